import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { TaskEntity } from '../tasks/entities/task.entity.js';
import type { TaskStatus } from '../tasks/task.types.js';

export type TaskEvent =
  { kind: 'status'; taskId: string; status: TaskStatus } | { kind: 'step'; taskId: string; stepId: string; phase: 'start' | 'finish' };

/**
 * In-process notifications of task changes made by this instance. Waiters also poll the database,
 * so changes made by other instances arrive too; these events only make local ones immediate.
 */
@Injectable()
export class TaskEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly finishedListeners = new Set<(task: TaskEntity) => void>();

  /** Every task that reaches a final state in this instance (metrics, alerts, notices). */
  onFinished(listener: (task: TaskEntity) => void): () => void {
    this.finishedListeners.add(listener);
    return () => this.finishedListeners.delete(listener);
  }

  finished(task: TaskEntity): void {
    for (const listener of this.finishedListeners) {
      try {
        listener(task);
      } catch {
        // A listener's failure must never affect the task.
      }
    }
  }

  emit(event: TaskEvent): void {
    this.emitter.emit(event.taskId, event);
  }

  subscribe(taskId: string, listener: (event: TaskEvent) => void): () => void {
    this.emitter.on(taskId, listener);
    return () => this.emitter.off(taskId, listener);
  }

  /** Resolves on the next local event for the task, after `ms`, or when `signal` aborts — whichever is first. */
  next(taskId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      const unsubscribe = this.subscribe(taskId, done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
