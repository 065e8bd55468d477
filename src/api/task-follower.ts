import type { TaskEvents } from '../execution/task-events.js';
import type { TaskStepEntity } from '../tasks/entities/task-step.entity.js';
import type { TaskEntity } from '../tasks/entities/task.entity.js';
import type { TaskStore } from '../tasks/task.store.js';
import { FINAL_STATUSES } from '../tasks/task.types.js';

const POLL_MS = 250;

/** One thing that happened to a followed task: its status changed, or a step started or finished. */
export type TaskChange =
  | { kind: 'status'; task: TaskEntity; status: string; final: boolean }
  | { kind: 'step'; phase: 'start' | 'finish'; task: TaskEntity; step: TaskStepEntity };

export interface FollowOptions {
  /** Stop following (answering the task as last read) at this epoch ms; never when absent. */
  deadline?: number;
  signal: AbortSignal;
  report: (change: TaskChange) => Promise<void> | void;
}

/**
 * Follows a task until it is final, the deadline passes or the signal aborts, reporting each status change and
 * each step's start and finish in the order a reader expects: a new status, the steps, then the final status.
 * Reads the database, so it follows a task whichever instance runs it, and wakes early on this instance's own
 * events. Answers the task as last read, or null when it no longer exists. The SSE stream of
 * GET /task/{id}/events and the MCP tool calls both follow tasks through it.
 */
export async function followTask(store: TaskStore, events: TaskEvents, taskId: string, options: FollowOptions): Promise<TaskEntity | null> {
  const seen = new Map<string, string>();
  let status = '';
  for (;;) {
    const task = await store.findById(taskId);
    if (!task) return null;
    const final = FINAL_STATUSES.has(task.status);
    if (task.status !== status && !final) {
      status = task.status;
      await options.report({ kind: 'status', task, status, final });
    }
    for (const step of await store.steps(task.id)) {
      const before = seen.get(step.id);
      if (before === undefined) await options.report({ kind: 'step', phase: 'start', task, step });
      if (before !== step.status && step.status !== 'running') await options.report({ kind: 'step', phase: 'finish', task, step });
      seen.set(step.id, step.status);
    }
    if (task.status !== status) {
      status = task.status;
      await options.report({ kind: 'status', task, status, final });
    }
    const left = (options.deadline ?? Infinity) - Date.now();
    if (final || left <= 0 || options.signal.aborted) return task;
    await events.next(task.id, Math.min(POLL_MS, left), options.signal);
  }
}
