import type { StepHandle, StepStart, TaskRunContext } from '../../tasks/task-type.js';

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The strategies' trace step: starts `step`, runs `work` under it and finishes the step with the work's value
 * as its output; when anything inside fails, finishes it failed (cancelled once the task is aborted) with the
 * error's text and rethrows. `then` runs after the step has finished, still inside it, so a failure there
 * (a narrative cut off by a cancel) marks the step failed too.
 */
export function inStep<T>(context: TaskRunContext, step: StepStart, work: (handle: StepHandle) => Promise<T>): Promise<T>;
export function inStep<T, R>(
  context: TaskRunContext,
  step: StepStart,
  work: (handle: StepHandle) => Promise<T>,
  then: (value: T, handle: StepHandle) => Promise<R>,
): Promise<R>;
export async function inStep<T>(
  context: TaskRunContext,
  step: StepStart,
  work: (handle: StepHandle) => Promise<T>,
  then?: (value: T, handle: StepHandle) => Promise<unknown>,
): Promise<unknown> {
  const handle = await context.trace.start(step);
  try {
    const value = await work(handle);
    await handle.finish({ output: value });
    return then ? await then(value, handle) : value;
  } catch (error) {
    await handle.finish({ status: context.signal.aborted ? 'cancelled' : 'failed', error: errorText(error) });
    throw error;
  }
}
