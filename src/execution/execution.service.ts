import { hostname } from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { validateDto } from '../common/validation.js';
import { DelegationService } from '../delegation/delegation.service.js';
import type { TaskTypeDefinition } from '../delegation/task-type.js';
import { TaskTypeRegistry } from '../delegation/task-type.registry.js';
import type { TaskEntity } from '../tasks/entities/task.entity.js';
import { TaskStore } from '../tasks/task.store.js';
import { DIRECT_STRATEGIES, type Domain, type Strategy } from '../tasks/task.types.js';

export interface SubmitInput {
  tenantId: string;
  type: string;
  description: string;
  domain?: Domain;
  parameters: Record<string, unknown>;
  dataVolume: number;
  requiresAi: boolean;
  multiDomain: boolean;
  priority: number;
  timeoutS?: number;
  preferredStrategy?: Strategy;
  forceCrew: boolean;
  asyncExecution: boolean;
  callbackUrl?: string;
  userId?: string;
  sessionId?: string;
  metadata: Record<string, unknown>;
  idempotencyKey?: string;
}

export interface SubmitResult {
  task: TaskEntity;
  /** false when the idempotency key matched an earlier task. */
  created: boolean;
}

export const WORKER_ID = `${hostname()}:${process.pid}`;

function describeError(error: unknown): string {
  if (error instanceof ProblemException) return error.detail;
  return error instanceof Error ? error.message : String(error);
}

/** Accepts tasks, decides how they run, runs direct strategies inline and records every outcome. */
@Injectable()
export class ExecutionService {
  private readonly logger = new Logger(ExecutionService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: TaskTypeRegistry,
    private readonly delegation: DelegationService,
    private readonly store: TaskStore,
  ) {}

  async submit(input: SubmitInput): Promise<SubmitResult> {
    const definition = this.registry.get(input.type);
    if (!definition) {
      throw new ValidationProblem(
        [{ field: 'type', message: `unknown task type "${input.type}"; GET /api/crew/catalogue lists the valid task types` }],
        `Unknown task type "${input.type}". GET /api/crew/catalogue lists the valid task types.`,
        { catalogue: '/api/crew/catalogue' },
      );
    }
    if (input.domain && definition.domain !== 'system' && input.domain !== definition.domain) {
      throw new ValidationProblem([
        { field: 'domain', message: `${input.type} belongs to domain ${definition.domain}, not ${input.domain}` },
      ]);
    }
    const parameters = await validateDto(definition.parameters, input.parameters, 'parameters');
    const decision = this.delegation.decide(definition, input);
    const now = new Date();
    const direct = DIRECT_STRATEGIES.has(decision.strategy);
    const values: Partial<TaskEntity> = {
      tenantId: input.tenantId,
      userId: input.userId ?? null,
      sessionId: input.sessionId ?? null,
      type: input.type,
      domain: input.domain ?? (definition.domain === 'system' ? null : definition.domain),
      description: input.description,
      parameters: input.parameters,
      metadata: input.metadata,
      priority: input.priority,
      dataVolume: input.dataVolume,
      requiresAi: input.requiresAi,
      multiDomain: input.multiDomain,
      preferredStrategy: input.preferredStrategy ?? null,
      forceCrew: input.forceCrew,
      asyncExecution: input.asyncExecution,
      complexity: decision.complexity,
      category: decision.category,
      strategy: decision.strategy,
      decision,
      timeoutS: input.timeoutS ?? this.config.crew.defaultTimeoutS,
      callbackUrl: input.callbackUrl ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      // Direct strategies start at once in this instance: one insert instead of insert + update.
      status: direct ? 'running' : 'pending',
      startedAt: direct ? now : null,
      queueWaitMs: direct ? 0 : null,
      attempts: direct ? 1 : 0,
      workerId: direct ? WORKER_ID : null,
      fallbackChain: [decision.strategy],
    };
    const { task, created } = input.idempotencyKey
      ? await this.store.transaction((manager) => this.store.insertIdempotent(manager, values))
      : { task: await this.store.insert(this.store.manager, values), created: true };
    if (!created) return { task, created };
    if (!direct) {
      throw new ProblemException(501, 'strategy-unavailable', 'Not Implemented', `Strategy ${decision.strategy} is not available yet.`);
    }
    return { task: await this.runInline(task, definition, parameters), created };
  }

  /** Runs a direct strategy in this process, bounded by the task's timeout, and records the outcome. */
  private async runInline(task: TaskEntity, definition: TaskTypeDefinition, parameters: object): Promise<TaskEntity> {
    const signal = AbortSignal.timeout(task.timeoutS * 1000);
    const started = task.startedAt ?? new Date();
    try {
      const outcome = await definition.run(
        { taskId: task.id, tenantId: task.tenantId, description: task.description, signal, manager: this.store.manager },
        parameters,
      );
      signal.throwIfAborted();
      Object.assign(task, {
        status: 'completed',
        result: outcome.result,
        aiMode: outcome.aiMode,
        agentsUsed: outcome.agentsUsed ?? [],
      } satisfies Partial<TaskEntity>);
    } catch (error) {
      const timedOut = signal.aborted;
      if (!timedOut && !(error instanceof ProblemException)) {
        this.logger.error(
          `Task ${task.id} (${task.type}) failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
      Object.assign(task, {
        status: timedOut ? 'timed_out' : 'failed',
        error: timedOut ? `Task exceeded its timeout of ${task.timeoutS} s` : describeError(error),
        guidance: timedOut
          ? 'Raise "timeout" (up to 3600 s), narrow the parameters, or submit with async_execution: true and poll links.self.'
          : error instanceof ProblemException
            ? 'Correct the parameters as the error says and submit again.'
            : 'The failure was recorded; retry the task. If it persists, report the task id.',
      } satisfies Partial<TaskEntity>);
    }
    const finishedAt = new Date();
    Object.assign(task, { finishedAt, durationMs: finishedAt.getTime() - started.getTime() });
    await this.store.update(this.store.manager, task.id, {
      status: task.status,
      result: task.result,
      aiMode: task.aiMode,
      agentsUsed: task.agentsUsed,
      error: task.error,
      guidance: task.guidance,
      finishedAt: task.finishedAt,
      durationMs: task.durationMs,
    });
    return task;
  }
}
