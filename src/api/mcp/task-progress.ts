import type { TaskEvents } from '../../execution/task-events.js';
import type { TaskEntity } from '../../tasks/entities/task.entity.js';
import type { TaskStore } from '../../tasks/task.store.js';
import { FINAL_STATUSES } from '../../tasks/task.types.js';

const POLL_MS = 250;

/** One thing that happened to a followed task: its status changed, or a step started or finished. */
export type TaskProgress =
  { kind: 'status'; taskId: string; status: string } | { kind: 'step'; phase: 'start' | 'finish'; name: string; status: string };

/**
 * Follows a task until it is final, `deadline` (epoch ms) passes or `signal` aborts, reporting each status change
 * and step start/finish; answers the task as last read. Reads the database, so it follows a task whichever
 * instance runs it, and wakes early on this instance's own events (as the SSE stream of GET /task/{id}/events).
 */
export async function followTask(
  store: TaskStore,
  events: TaskEvents,
  taskId: string,
  deadline: number,
  signal: AbortSignal,
  report: (progress: TaskProgress) => Promise<void>,
): Promise<TaskEntity> {
  const seen = new Map<string, string>();
  let status = '';
  for (;;) {
    const task = await store.findById(taskId);
    if (!task) throw new Error(`Task ${taskId} disappeared while it was followed`);
    if (task.status !== status) {
      status = task.status;
      if (!FINAL_STATUSES.has(task.status)) await report({ kind: 'status', taskId: task.id, status });
    }
    for (const step of await store.steps(task.id)) {
      const before = seen.get(step.id);
      if (before === undefined) await report({ kind: 'step', phase: 'start', name: step.name, status: 'running' });
      if (before !== step.status && step.status !== 'running')
        await report({ kind: 'step', phase: 'finish', name: step.name, status: step.status });
      seen.set(step.id, step.status);
    }
    const left = deadline - Date.now();
    if (FINAL_STATUSES.has(task.status) || left <= 0 || signal.aborted) return task;
    await events.next(task.id, Math.min(POLL_MS, left), signal);
  }
}

/** The progress message an assistant shows: `task <id> running`, `step wait started`, `step wait completed`. */
export function progressMessage(progress: TaskProgress): string {
  if (progress.kind === 'status') return `task ${progress.taskId} ${progress.status}`;
  return progress.phase === 'start' ? `step ${progress.name} started` : `step ${progress.name} ${progress.status}`;
}
