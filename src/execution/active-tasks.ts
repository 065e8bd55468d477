import { Injectable } from '@nestjs/common';

export type AbortReason = 'cancelled' | 'timed_out' | 'shutdown';

/** Raised through a task's AbortSignal; `reason` tells the runner which final status to record. */
export class TaskAbort extends Error {
  constructor(readonly reason: AbortReason) {
    super(
      reason === 'cancelled'
        ? 'The task was cancelled'
        : reason === 'timed_out'
          ? 'The task exceeded its timeout'
          : 'The instance is shutting down',
    );
    this.name = 'TaskAbort';
  }
}

interface ActiveTask {
  controller: AbortController;
  timer: NodeJS.Timeout;
  /** The work's promise, awaited by graceful shutdown. */
  done?: Promise<unknown>;
}

/** The tasks running in this instance, each with the AbortController that stops it. */
@Injectable()
export class ActiveTasks {
  private readonly tasks = new Map<string, ActiveTask>();

  /** Registers a task; its signal aborts with TaskAbort('timed_out') after `timeoutMs`. */
  start(taskId: string, timeoutMs: number): AbortSignal {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TaskAbort('timed_out')), timeoutMs);
    timer.unref();
    this.tasks.set(taskId, { controller, timer });
    return controller.signal;
  }

  track(taskId: string, done: Promise<unknown>): void {
    const task = this.tasks.get(taskId);
    if (task) task.done = done;
  }

  finish(taskId: string): void {
    const task = this.tasks.get(taskId);
    if (!task) return;
    clearTimeout(task.timer);
    this.tasks.delete(taskId);
  }

  abort(taskId: string, reason: AbortReason): boolean {
    const task = this.tasks.get(taskId);
    if (!task || task.controller.signal.aborted) return false;
    task.controller.abort(new TaskAbort(reason));
    return true;
  }

  has(taskId: string): boolean {
    return this.tasks.has(taskId);
  }

  ids(): string[] {
    return [...this.tasks.keys()];
  }

  get size(): number {
    return this.tasks.size;
  }

  /** Resolves when every running task has settled or `ms` passed; answers whether all settled. */
  async drain(ms: number): Promise<boolean> {
    const pending = [...this.tasks.values()].map((task) => task.done ?? Promise.resolve());
    if (pending.length === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const settled = Promise.allSettled(pending).then(() => true);
    const result = await Promise.race([settled, timeout]);
    clearTimeout(timer);
    return result;
  }
}
