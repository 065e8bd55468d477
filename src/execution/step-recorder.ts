import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { TaskStepEntity } from '../tasks/entities/task-step.entity.js';
import type { TaskStore } from '../tasks/task.store.js';
import type { StepFinish, StepHandle, StepStart, TraceWriter } from '../delegation/task-type.js';
import type { TaskEvents } from './task-events.js';

const SUMMARY_LIMIT = 2000;

export function summarise(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > SUMMARY_LIMIT ? `${text.slice(0, SUMMARY_LIMIT - 1)}…` : text;
}

/** Writes a task's trace as it grows: one row per step, updated when the step finishes. */
export class StepRecorder implements TraceWriter {
  constructor(
    private readonly store: TaskStore,
    private readonly manager: EntityManager,
    private readonly events: TaskEvents,
    private readonly taskId: string,
    private readonly tenantId: string,
    private readonly attempt: number,
    private readonly signal: AbortSignal,
  ) {}

  async start(step: StepStart): Promise<StepHandle> {
    const startedAt = new Date();
    const row = await this.store.insertStep(this.manager, {
      taskId: this.taskId,
      tenantId: this.tenantId,
      attempt: this.attempt,
      kind: step.kind,
      name: step.name,
      agentId: step.agentId ?? null,
      tier: step.tier ?? null,
      parentStepId: step.parentStepId ?? null,
      inputSummary: summarise(step.input),
      status: 'running',
      startedAt,
    });
    this.events.emit({ kind: 'step', taskId: this.taskId, stepId: row.id, phase: 'start' });
    return {
      id: row.id,
      finish: async (outcome: StepFinish = {}) => {
        const finishedAt = new Date();
        await this.store.updateStep(this.manager, row.id, {
          status: outcome.status ?? (outcome.error ? 'failed' : 'completed'),
          outputSummary: summarise(outcome.output),
          error: outcome.error ?? null,
          inputTokens: outcome.inputTokens ?? 0,
          outputTokens: outcome.outputTokens ?? 0,
          cachedTokens: outcome.cachedTokens ?? 0,
          costUsd: outcome.costUsd ?? 0,
          finishedAt,
          durationMs: finishedAt.getTime() - startedAt.getTime(),
        });
        this.events.emit({ kind: 'step', taskId: this.taskId, stepId: row.id, phase: 'finish' });
      },
    };
  }

  /** Runs `work` as a step: finished as completed with its result, or failed with its error. */
  async run<T>(step: StepStart, work: () => Promise<T>, describeOutput: (value: T) => unknown = (value) => value): Promise<T> {
    const handle = await this.start(step);
    try {
      const value = await work();
      await handle.finish({ output: describeOutput(value) });
      return value;
    } catch (error) {
      const reason: unknown = this.signal.aborted ? this.signal.reason : error;
      await handle.finish({
        status: this.signal.aborted ? 'cancelled' : 'failed',
        error: reason instanceof Error ? reason.message : String(reason),
      });
      throw error;
    }
  }
}

/**
 * The trace of a direct task that is not in the database yet (direct tasks are written once, finished):
 * steps are kept in memory and inserted after the task row.
 */
export class BufferedStepRecorder implements TraceWriter {
  readonly steps: TaskStepEntity[] = [];

  constructor(
    private readonly taskId: string,
    private readonly tenantId: string,
    private readonly signal: AbortSignal,
  ) {}

  start(step: StepStart): Promise<StepHandle> {
    const row = Object.assign(new TaskStepEntity(), {
      id: randomUUID(),
      taskId: this.taskId,
      tenantId: this.tenantId,
      attempt: 1,
      kind: step.kind,
      name: step.name,
      agentId: step.agentId ?? null,
      tier: step.tier ?? null,
      parentStepId: step.parentStepId ?? null,
      inputSummary: summarise(step.input),
      status: 'running',
      startedAt: new Date(),
      finishedAt: null,
      durationMs: null,
      inputTokens: 0,
      outputTokens: 0,
      cachedTokens: 0,
      costUsd: 0,
      outputSummary: null,
      error: null,
    } satisfies Partial<TaskStepEntity>);
    this.steps.push(row);
    return Promise.resolve({
      id: row.id,
      finish: (outcome: StepFinish = {}) => {
        const finishedAt = new Date();
        Object.assign(row, {
          status: outcome.status ?? (outcome.error ? 'failed' : 'completed'),
          outputSummary: summarise(outcome.output),
          error: outcome.error ?? null,
          inputTokens: outcome.inputTokens ?? 0,
          outputTokens: outcome.outputTokens ?? 0,
          cachedTokens: outcome.cachedTokens ?? 0,
          costUsd: outcome.costUsd ?? 0,
          finishedAt,
          durationMs: finishedAt.getTime() - row.startedAt.getTime(),
        });
        return Promise.resolve();
      },
    });
  }

  async run<T>(step: StepStart, work: () => Promise<T>, describeOutput: (value: T) => unknown = (value) => value): Promise<T> {
    const handle = await this.start(step);
    try {
      const value = await work();
      await handle.finish({ output: describeOutput(value) });
      return value;
    } catch (error) {
      const reason: unknown = this.signal.aborted ? this.signal.reason : error;
      await handle.finish({
        status: this.signal.aborted ? 'cancelled' : 'failed',
        error: reason instanceof Error ? reason.message : String(reason),
      });
      throw error;
    }
  }
}
