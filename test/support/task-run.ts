import type { DataSource } from 'typeorm';
import type { TaskRunContext } from '../../src/tasks/task-type.js';
import { StepRecorder } from '../../src/execution/step-recorder.js';
import { TaskEvents } from '../../src/execution/task-events.js';
import { TaskStore } from '../../src/tasks/task.store.js';

export interface TaskRun {
  context: TaskRunContext;
  /** Aborting it is what cancelling or timing out the task does in the runner. */
  controller: AbortController;
  taskId: string;
}

/**
 * A running task row and the TaskRunContext the runner would build for it (StepRecorder trace, task
 * signal, step signal bounded by `stepTimeoutMs`), for tests that drive agents without the queue.
 */
export async function createTaskRun(
  dataSource: DataSource,
  options: { tenantId: string; stepTimeoutMs?: number; type?: string },
): Promise<TaskRun> {
  const store = new TaskStore(dataSource);
  const task = await store.insert({
    tenantId: options.tenantId,
    type: options.type ?? 'agent_runtime_test',
    description: 'agent runtime test',
    strategy: 'single_agent',
    status: 'running',
    startedAt: new Date(),
    attempts: 1,
    timeoutS: 300,
  });
  const controller = new AbortController();
  const { signal } = controller;
  const stepTimeoutMs = options.stepTimeoutMs ?? 120_000;
  const context: TaskRunContext = {
    taskId: task.id,
    tenantId: task.tenantId,
    description: task.description,
    signal,
    manager: dataSource.manager,
    write: (work) => work(dataSource.manager),
    trace: new StepRecorder(store, new TaskEvents(), task.id, task.tenantId, 1, signal),
    stepSignal: () => AbortSignal.any([signal, AbortSignal.timeout(stepTimeoutMs)]),
  };
  return { context, controller, taskId: task.id };
}
