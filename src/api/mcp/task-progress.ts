import type { TaskChange } from '../task-follower.js';

/** The progress message an assistant shows: `task <id> running`, `step wait started`, `step wait completed`. */
export function progressMessage(change: TaskChange): string {
  if (change.kind === 'status') return `task ${change.task.id} ${change.status}`;
  return change.phase === 'start' ? `step ${change.step.name} started` : `step ${change.step.name} ${change.step.status}`;
}
