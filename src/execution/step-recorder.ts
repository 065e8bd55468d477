import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { TaskStepEntity } from '../tasks/entities/task-step.entity.js';
import type { TaskStore } from '../tasks/task.store.js';
import { UnitOfWork } from '../tasks/unit-of-work.js';
import type { StepFinish, StepHandle, StepStart, TraceWriter } from '../tasks/task-type.js';
import type { TaskEvents } from './task-events.js';

const SUMMARY_LIMIT = 2000;

/**
 * Serialises only what a summary can show: an array's first SUMMARY_LIMIT items and a string's first
 * SUMMARY_LIMIT characters already serialise to more than SUMMARY_LIMIT characters, so the summary — the first
 * SUMMARY_LIMIT - 1 characters of the JSON — is the same as of the whole value, without writing out (say) the
 * 100,000 customers of a bulk input.
 */
function bounded(_key: string, value: unknown): unknown {
  if (Array.isArray(value) && value.length > SUMMARY_LIMIT) return value.slice(0, SUMMARY_LIMIT);
  if (typeof value === 'string' && value.length > SUMMARY_LIMIT) return value.slice(0, SUMMARY_LIMIT);
  return value;
}

/** A step's input or output as at most SUMMARY_LIMIT characters of JSON (an ellipsis marks a cut). */
export function summarise(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'string' ? value : (JSON.stringify(value, bounded) as string | undefined);
  if (text === undefined) return null;
  return text.length > SUMMARY_LIMIT ? `${text.slice(0, SUMMARY_LIMIT - 1)}…` : text;
}

/** What the step rows of both recorders share: the row of a starting step, the patch of a finishing one. */
abstract class TraceRecorder implements TraceWriter {
  constructor(
    protected readonly taskId: string,
    protected readonly tenantId: string,
    protected readonly attempt: number,
    protected readonly signal: AbortSignal,
  ) {}

  abstract start(step: StepStart): Promise<StepHandle>;

  /** Waits until every step written so far is in the database; throws the first write that failed. */
  abstract flush(): Promise<void>;

  protected newRow(step: StepStart): TaskStepEntity {
    return Object.assign(new TaskStepEntity(), {
      id: randomUUID(),
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
  }

  protected finishPatch(row: TaskStepEntity, outcome: StepFinish): Partial<TaskStepEntity> {
    const finishedAt = new Date();
    return {
      status: outcome.status ?? (outcome.error ? 'failed' : 'completed'),
      outputSummary: summarise(outcome.output),
      error: outcome.error ?? null,
      inputTokens: outcome.inputTokens ?? 0,
      outputTokens: outcome.outputTokens ?? 0,
      cachedTokens: outcome.cachedTokens ?? 0,
      costUsd: outcome.costUsd ?? 0,
      finishedAt,
      durationMs: finishedAt.getTime() - row.startedAt.getTime(),
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
 * Writes a task's trace as it grows: one row per step, updated when the step finishes; the step events
 * (SSE) follow each write. With `writeBehind`, the work does not wait for the writes: they go out in order
 * behind it, and the runner flushes them before it writes the task's final state — so a step costs its work
 * no database round trip, and a reader that sees the task finished sees its whole trace. A write that fails
 * fails the next step's start and the flush (the task then fails with that error).
 */
export class StepRecorder extends TraceRecorder {
  private writes: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  /** The write being made now (the task's transaction waits for it before it opens). */
  private inFlight: Promise<unknown> = Promise.resolve();
  /** Set while the task's transaction is open: writes not yet made wait until resume() says where they go. */
  private held?: { manager: Promise<EntityManager>; resume: (manager: EntityManager) => void };
  /** Where writes go once resumed (the open transaction before its commit); the pool when unset. */
  private target?: EntityManager;

  constructor(
    private readonly store: TaskStore,
    private readonly events: TaskEvents,
    taskId: string,
    tenantId: string,
    attempt: number,
    signal: AbortSignal,
    private readonly options: { writeBehind?: boolean; gate?: () => Promise<void> } = {},
  ) {
    super(taskId, tenantId, attempt, signal);
  }

  async start(step: StepStart): Promise<StepHandle> {
    if (this.failure) throw this.failure.error;
    const row = this.newRow(step);
    await this.write(async (manager) => {
      // Made in the task's transaction, a step is written again on the pool if that transaction rolls back.
      await UnitOfWork.keep(
        manager,
        (m) => this.store.insertStep(row, m),
        (m) => this.store.insertStep(row, m),
      );
      this.events.emit({ kind: 'step', taskId: this.taskId, stepId: row.id, phase: 'start' });
    });
    return {
      id: row.id,
      finish: (outcome: StepFinish = {}) => {
        const patch = this.finishPatch(row, outcome);
        return this.write(async (manager) => {
          await UnitOfWork.keep(
            manager,
            (m) => this.store.updateStep(row.id, patch, m),
            (m) => this.store.updateStep(row.id, patch, m),
          );
          this.events.emit({ kind: 'step', taskId: this.taskId, stepId: row.id, phase: 'finish' });
        });
      },
    };
  }

  async flush(): Promise<void> {
    await this.writes;
    if (this.failure) throw this.failure.error;
  }

  /**
   * The task's transaction is opening: the writes not yet made wait (on the embedded database a write on
   * another connection would wait for the transaction, and the transaction for the trace). Answers once the
   * write in flight is done. Only for a recorder that writes behind (the work never waits for its writes).
   */
  hold(): Promise<void> {
    if (!this.held) {
      let resume!: (manager: EntityManager) => void;
      const manager = new Promise<EntityManager>((resolve) => (resume = resolve));
      this.held = { manager, resume };
    }
    return this.inFlight.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Lets the held writes go through `manager`: the task's transaction before it commits, the pool after a rollback. */
  resume(manager: EntityManager): void {
    this.target = manager;
    const held = this.held;
    this.held = undefined;
    held?.resume(manager);
  }

  /** Queues a write after the earlier ones; waits for it unless writing behind (then behind the gate, if any). */
  private write(operation: (manager: EntityManager | undefined) => Promise<void>): Promise<void> {
    const gate = this.options.writeBehind ? this.options.gate : undefined;
    const written = this.writes.then(async () => {
      if (this.failure) return;
      try {
        if (gate) await gate();
        const manager = this.held ? await this.held.manager : this.target;
        const write = operation(manager);
        this.inFlight = write;
        await write;
      } catch (error) {
        this.failure = { error };
      }
    });
    this.writes = written;
    if (this.options.writeBehind) return Promise.resolve();
    return written.then(() => {
      if (this.failure) throw this.failure.error;
    });
  }
}

/**
 * The trace of a direct task that is not in the database yet (direct tasks are written once, finished):
 * steps are kept in memory and inserted after the task row.
 */
export class BufferedStepRecorder extends TraceRecorder {
  readonly steps: TaskStepEntity[] = [];

  constructor(taskId: string, tenantId: string, signal: AbortSignal) {
    super(taskId, tenantId, 1, signal);
  }

  start(step: StepStart): Promise<StepHandle> {
    const row = this.newRow(step);
    this.steps.push(row);
    return Promise.resolve({
      id: row.id,
      finish: (outcome: StepFinish = {}) => {
        Object.assign(row, this.finishPatch(row, outcome));
        return Promise.resolve();
      },
    });
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
}
