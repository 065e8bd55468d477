import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { isExposed, ProblemException } from '../common/problem.js';
import { validateDto } from '../common/validation.js';
import type { TaskRunContext, TraceWriter } from '../tasks/task-type.js';
import { FallbackExhaustedError, StrategyExecutor, type StrategyOutcome } from '../delegation/strategies/strategy-executor.service.js';
import type { TaskEntity } from '../tasks/entities/task.entity.js';
import { TaskStore } from '../tasks/task.store.js';
import { UnitOfWork } from '../tasks/unit-of-work.js';
import { DIRECT_STRATEGIES, type Strategy } from '../tasks/task.types.js';
import { ActiveTasks, type AbortReason, TaskAbort } from './active-tasks.js';
import { CallbackService } from './callback.service.js';
import { BufferedStepRecorder, StepRecorder } from './step-recorder.js';
import { TaskEvents } from './task-events.js';
import { logFor } from '../common/request-context.js';

export interface RunOptions {
  /** The task row does not exist yet (an inline direct task): it is inserted once, finished, with its steps. */
  unsaved?: boolean;
  /** The parameters as already validated at submission. */
  parameters?: object;
  /**
   * Called once the work itself has ended, before its final state is written (a worker frees its slot);
   * the writes wait for the promise it answers (the worker refills its slots first).
   */
  onWorkDone?: () => Promise<void> | void;
  /**
   * The trace's writes (behind the work) wait for the promise this answers before each write: a worker
   * holds them while it refills its slots, so the fetch and claim do not queue behind them.
   */
  writeGate?: () => Promise<void>;
}

export interface RunResult {
  task: TaskEntity;
  /** Set when the run was interrupted by this instance shutting down (the task goes back to the queue). */
  interrupted: boolean;
}

const GUIDANCE: Record<Exclude<AbortReason, 'shutdown'>, string> = {
  cancelled: 'The task was cancelled on request; submit it again to rerun it.',
  timed_out:
    'Raise "timeout" (up to 3600 s), narrow the parameters or data volume, or submit with async_execution: true and poll links.self.',
};

function errorMessage(error: unknown): string {
  if (error instanceof ProblemException) return error.detail;
  return error instanceof Error ? error.message : String(error);
}

/** The `error` of a task that failed on an internal error: a stable code and a safe sentence, never the internals. */
export const INTERNAL_TASK_ERROR = 'internal_error: the task failed on an unexpected error inside the service';

function internalGuidance(requestId: string | null): string {
  const reference = requestId ? ` and request id ${requestId}` : '';
  return `Submit the task again; if it fails the same way, report the task id${reference}: the details are in the service log under it.`;
}

/** Runs one claimed task (status running) to its final state, bounded by its timeout and cancellable. */
@Injectable()
export class TaskRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger(TaskRunner.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: TaskStore,
    private readonly events: TaskEvents,
    private readonly active: ActiveTasks,
    private readonly callbacks: CallbackService,
    private readonly strategies: StrategyExecutor,
  ) {}

  /** Whether an open transaction stops every other connection (asked once, at boot). */
  private exclusive = false;

  async onApplicationBootstrap(): Promise<void> {
    this.exclusive = await this.store.exclusiveTransactions();
  }

  /**
   * `unsaved`: the task row does not exist yet (an inline direct task); it is inserted once, finished, with
   * its buffered steps — one write instead of insert + update.
   */
  async run(task: TaskEntity, attempt: number, options: RunOptions = {}): Promise<RunResult> {
    const signal = this.active.start(task.id, task.timeoutS * 1000);
    const work = this.execute(task, attempt, signal, options);
    this.active.track(task.id, work);
    try {
      return await work;
    } finally {
      this.active.finish(task.id);
    }
  }

  private async execute(task: TaskEntity, attempt: number, signal: AbortSignal, options: RunOptions): Promise<RunResult> {
    this.events.emit({ kind: 'status', taskId: task.id, status: 'running' });
    const started = task.startedAt ?? new Date();
    const buffer = options.unsaved ? new BufferedStepRecorder(task.id, task.tenantId, signal) : undefined;
    const recorder = buffer
      ? undefined
      : new StepRecorder(this.store, this.events, task.id, task.tenantId, attempt, signal, {
          writeBehind: true,
          gate: options.writeGate,
        });
    const trace = buffer ?? (recorder as StepRecorder);
    // The trace written behind the work waits while the task's transaction is open, then goes where it is sent.
    // AI strategies run plan steps concurrently: on an exclusive database the task reads on a connection of its own.
    const unit = new UnitOfWork(this.dataSource, {
      beforeOpen: recorder && (() => recorder.hold()),
      exclusive: this.exclusive,
      ownConnection: this.exclusive && !DIRECT_STRATEGIES.has(task.strategy as Strategy),
    });
    let ended: Date | undefined;
    let afterWork: Promise<unknown> = Promise.resolve();
    // The work is over: its end time is taken and the caller told (a worker frees the slot) before the writes.
    const endWork = (): Date => {
      if (ended) return ended;
      ended = new Date();
      afterWork = Promise.resolve(options.onWorkDone?.()).catch(() => undefined);
      return ended;
    };
    // After a rollback the held trace goes to the pool, and whatever made it in lands before the final state.
    let undone = false;
    const undo = async (): Promise<void> => {
      undone = true;
      await unit.rollback();
      recorder?.resume(this.dataSource.manager);
      await trace.flush().catch(() => undefined);
    };
    let patch: Partial<TaskEntity>;
    try {
      const outcome = await this.invoke(task, signal, trace, unit, options.parameters);
      endWork();
      // Decided when the work ended: a timeout that falls in the bookkeeping below does not undo finished work.
      signal.throwIfAborted();
      // A write that failed undid the task's writes, even if the handler went on.
      if (unit.failed) throw unit.failed.error;
      await afterWork;
      // The whole trace is in before the task shows as finished (a failed trace write fails the task);
      // with the task's writes open, it goes into their transaction.
      if (unit.open) recorder?.resume(unit.manager);
      await trace.flush();
      patch = {
        status: 'completed',
        result: outcome.result,
        aiMode: outcome.aiMode,
        agentsUsed: outcome.agentsUsed ?? [],
        fallbackChain: outcome.fallbackChain,
        error: null,
        guidance: null,
      };
    } catch (error) {
      endWork();
      await afterWork;
      await undo();
      const abort = signal.aborted && signal.reason instanceof TaskAbort ? signal.reason : undefined;
      if (abort?.reason === 'shutdown' && !options.unsaved) return { task: await this.handBack(task), interrupted: true };
      patch = abort ? this.abortPatch(task, abort) : this.failurePatch(task, error);
    }
    const finishedAt = endWork();
    // What a failed state keeps if the completed one cannot be written.
    const unfinished: Partial<TaskEntity> = {
      result: task.result,
      aiMode: task.aiMode,
      agentsUsed: task.agentsUsed,
      fallbackChain: task.fallbackChain,
    };
    Object.assign(task, patch, { finishedAt, durationMs: finishedAt.getTime() - started.getTime() });
    if (undone) {
      // The task's writes are undone: its final state is written on its own.
      await this.writeFinal(this.dataSource.manager, task, patch, finishedAt, buffer);
    } else {
      try {
        // In the task's transaction with its writes when it wrote; one statement on the pool when it did not.
        await unit.commit((manager) => this.writeFinal(manager, task, patch, finishedAt, buffer));
      } catch (error) {
        await this.failFinal(task, unfinished, error, finishedAt, buffer, undo);
      }
    }
    this.events.emit({ kind: 'status', taskId: task.id, status: task.status });
    this.events.finished(task);
    await this.callbacks
      .schedule(task)
      .catch((error: unknown) =>
        logFor(task.requestId, () => this.logger.warn(`Callback for task ${task.id} not scheduled: ${errorMessage(error)}`)),
      );
    return { task, interrupted: false };
  }

  /**
   * The completed state (or its commit) could not be written: the task's writes are rolled back and it is
   * written as failed, on its own. If that fails too, the error is the caller's (a worker hands the task back).
   */
  private async failFinal(
    task: TaskEntity,
    unfinished: Partial<TaskEntity>,
    error: unknown,
    finishedAt: Date,
    buffer: BufferedStepRecorder | undefined,
    undo: () => Promise<void>,
  ): Promise<void> {
    await undo();
    const patch = { ...unfinished, ...this.failurePatch(task, error) };
    Object.assign(task, patch);
    await this.writeFinal(this.dataSource.manager, task, patch, finishedAt, buffer);
  }

  /** The task's final row: inserted with its buffered steps (a direct task not yet saved), or updated. */
  private async writeFinal(
    manager: EntityManager,
    task: TaskEntity,
    patch: Partial<TaskEntity>,
    finishedAt: Date,
    buffer: BufferedStepRecorder | undefined,
  ): Promise<void> {
    if (buffer) {
      await this.store.insertRow(task, manager);
      await this.store.insertSteps(buffer.steps, manager);
      return;
    }
    // Agents add tokens, cost and cache hits to the row as they go: continue with the row as stored.
    const stored = await this.store.updateReturning(
      task.id,
      { ...patch, result: patch.result ?? null, finishedAt, durationMs: task.durationMs },
      manager,
    );
    if (stored) Object.assign(task, stored);
  }

  private abortPatch(task: TaskEntity, abort: TaskAbort): Partial<TaskEntity> {
    return {
      status: abort.reason === 'shutdown' ? 'failed' : abort.reason,
      error:
        abort.reason === 'timed_out'
          ? `The task exceeded its timeout of ${task.timeoutS} s`
          : abort.reason === 'shutdown'
            ? 'The instance shut down while running the task'
            : 'The task was cancelled',
      guidance: abort.reason === 'shutdown' ? 'Submit the task again.' : GUIDANCE[abort.reason],
    };
  }

  /**
   * Deliberate refusals (policy, upstream, input) are the caller's to act on: a warning without a stack.
   * Anything else is a fault of the service: its detail goes to the log only, the task shows a stable code.
   */
  private failurePatch(task: TaskEntity, error: unknown): Partial<TaskEntity> {
    const exposed = isExposed(error) || error instanceof FallbackExhaustedError;
    if (!exposed) {
      logFor(task.requestId, () =>
        this.logger.error(
          `Task ${task.id} (${task.type}) failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
      );
    } else if (!(error instanceof ProblemException)) {
      logFor(task.requestId, () => this.logger.warn(`Task ${task.id} (${task.type}) failed: ${errorMessage(error)}`));
    }
    const guidance = (error as { guidance?: unknown }).guidance;
    return {
      status: 'failed',
      error: exposed ? errorMessage(error) : INTERNAL_TASK_ERROR,
      guidance:
        error instanceof ProblemException
          ? typeof error.extensions.guidance === 'string'
            ? error.extensions.guidance
            : 'Correct the parameters as the error says and submit again.'
          : error instanceof FallbackExhaustedError
            ? 'Every strategy in the fallback chain failed. If an LLM provider is failing, retry later or submit with preferred_strategy "direct_db"/a deterministic type; otherwise report the task id.'
            : exposed
              ? typeof guidance === 'string'
                ? guidance
                : 'The failure was recorded with the task; retry it, and report the task id if it persists.'
              : internalGuidance(task.requestId),
      ...(error instanceof FallbackExhaustedError ? { fallbackChain: error.fallbackChain } : {}),
    };
  }

  private async invoke(
    task: TaskEntity,
    signal: AbortSignal,
    trace: TraceWriter,
    unit: UnitOfWork,
    validated?: object,
  ): Promise<StrategyOutcome> {
    const definition = this.strategies.resolve(task.type, task.domain);
    if (!definition) throw new Error(`Task type ${task.type} is no longer in the catalogue`);
    const parameters =
      validated ?? (definition.freeForm ? task.parameters : await validateDto(definition.parameters, task.parameters, 'parameters'));
    const stepTimeoutMs = this.config.crew.agentExecutionTimeoutS * 1000;
    const context: TaskRunContext = {
      taskId: task.id,
      tenantId: task.tenantId,
      description: task.description,
      requestId: task.requestId,
      signal,
      // Reads see the task's own writes once its transaction is open.
      get manager() {
        return unit.manager;
      },
      write: (work) => unit.write(work),
      trace,
      stepSignal: () => AbortSignal.any([signal, AbortSignal.timeout(stepTimeoutMs)]),
    };
    return this.strategies.execute(task.strategy as Strategy, definition, parameters, context, {
      forceDeterministic: task.decision?.budgetAction === 'downgrade',
    });
  }

  /** Shutdown interrupted the task: put it back to pending so the next delivery starts it cleanly. */
  private async handBack(task: TaskEntity): Promise<TaskEntity> {
    await this.store.update(task.id, { status: 'pending', workerId: null });
    task.status = 'pending';
    this.events.emit({ kind: 'status', taskId: task.id, status: 'pending' });
    return task;
  }
}
