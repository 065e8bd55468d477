import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { checkOutboundUrl, OutboundUrlError } from '../common/outbound-http.js';
import { ConflictProblem, NotFoundProblem, ValidationProblem } from '../common/problem.js';
import { validateDto } from '../common/validation.js';
import { DelegationService } from '../delegation/delegation.service.js';
import { StrategyExecutor } from '../delegation/strategies/strategy-executor.service.js';
import type { TaskEntity } from '../tasks/entities/task.entity.js';
import { TaskStore } from '../tasks/task.store.js';
import { DIRECT_STRATEGIES, type Domain, FINAL_STATUSES, type Strategy } from '../tasks/task.types.js';
import { BudgetService } from '../llm/budget.service.js';
import { ActiveTasks } from './active-tasks.js';
import { QueueService } from './queue.service.js';
import { TaskEvents } from './task-events.js';
import { TaskRunner } from './task-runner.service.js';
import { WorkerService } from './worker.service.js';
import { WORKER_ID } from './worker-id.js';

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
  /** X-Request-Id of the submitting request (kept on the task for its log lines). */
  requestId?: string;
}

export interface SubmitResult {
  task: TaskEntity;
  /** false when the idempotency key matched an earlier task. */
  created: boolean;
}

const WAIT_POLL_MS = 250;
const CANCEL_WAIT_MS = 2000;

/**
 * Accepts tasks and decides how they run: direct strategies inline in this instance, everything else
 * through the queue (enqueued in the same transaction as the task row). Synchronous callers wait for the
 * final state up to the task's timeout.
 */
@Injectable()
export class ExecutionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly delegation: DelegationService,
    private readonly store: TaskStore,
    private readonly queue: QueueService,
    private readonly runner: TaskRunner,
    private readonly worker: WorkerService,
    private readonly events: TaskEvents,
    private readonly active: ActiveTasks,
    private readonly budget: BudgetService,
    private readonly strategies: StrategyExecutor,
  ) {}

  async submit(input: SubmitInput): Promise<SubmitResult> {
    const definition = this.strategies.resolve(input.type, input.domain);
    if (!definition) {
      if (this.config.llm.enabled && !input.domain) {
        throw new ValidationProblem(
          [
            {
              field: 'domain',
              message: `required for a task type outside the catalogue ("${input.type}"): the domain's supervisor runs it`,
            },
          ],
          undefined,
          { catalogue: '/api/crew/catalogue' },
        );
      }
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
    if (definition.onlyTenant !== undefined && input.tenantId !== definition.onlyTenant) {
      throw new ValidationProblem(
        [{ field: 'tenant_id', message: `${input.type} runs only for the tenant "${definition.onlyTenant}", not "${input.tenantId}"` }],
        `${input.type} runs only for the tenant "${definition.onlyTenant}"; send it with X-Tenant-ID: ${definition.onlyTenant}.`,
      );
    }
    if (input.callbackUrl) this.checkCallbackUrl(input.callbackUrl);
    const parameters = definition.freeForm ? input.parameters : await validateDto(definition.parameters, input.parameters, 'parameters');
    const problems = definition.check?.(parameters) ?? [];
    if (problems.length > 0) {
      throw new ValidationProblem(problems.map((p) => ({ field: p.field ? `parameters.${p.field}` : 'parameters', message: p.message })));
    }
    const { decision, recommendations } = await this.delegation.decide(definition, { ...input, parameters: input.parameters });
    // Admission control: AI work is checked against the tenant's daily budget before it starts.
    if (!DIRECT_STRATEGIES.has(decision.strategy) && this.config.llm.enabled) {
      if ((await this.budget.enforce(input.tenantId, decision.estimatedCost, input.requestId)) === 'downgrade') {
        decision.budgetAction = 'downgrade';
        recommendations.push("The tenant's daily LLM budget is spent: this task runs in deterministic mode (no LLM calls).");
      }
    }
    const queued = definition.queued === true || !DIRECT_STRATEGIES.has(decision.strategy);
    const timeoutS = input.timeoutS ?? this.config.crew.defaultTimeoutS;
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
      timeoutS,
      callbackUrl: input.callbackUrl ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      requestId: input.requestId ?? null,
      fallbackChain: [decision.strategy],
      recommendations,
      // Direct strategies start at once in this instance: one insert instead of insert + update.
      ...(queued
        ? { status: 'pending', enqueuedAt: new Date() }
        : { status: 'running', startedAt: new Date(), queueWaitMs: 0, attempts: 1, workerId: WORKER_ID }),
    };

    // Direct tasks without an idempotency key run first and are written once, finished: one INSERT.
    if (!queued && !input.idempotencyKey) {
      const task = this.store.build(values);
      return { task: (await this.runner.run(task, 1, { unsaved: true, parameters })).task, created: true };
    }
    const { task, created } = await this.dataSource.transaction(async (manager) => {
      const inserted = input.idempotencyKey
        ? await this.store.insertIdempotent(values, manager)
        : { task: await this.store.insert(values, manager), created: true };
      if (queued && inserted.created) {
        await this.queue.enqueueTask(
          manager,
          { taskId: inserted.task.id, tenantId: input.tenantId },
          { priority: input.priority, timeoutS },
        );
      }
      return inserted;
    });
    if (!created) return { task, created };
    if (!queued) return { task: (await this.runner.run(task, 1, { parameters })).task, created };
    this.worker.wake();
    if (input.asyncExecution) return { task, created };
    return { task: await this.waitForFinal(task.id, timeoutS * 1000 + 1000), created };
  }

  private checkCallbackUrl(url: string): void {
    try {
      checkOutboundUrl(url, this.config.security.outboundAllowPrivate);
    } catch (error) {
      if (error instanceof OutboundUrlError) throw new ValidationProblem([{ field: 'callback_url', message: error.reason }]);
      throw error;
    }
  }

  /** The task once it is final, or as it is when `ms` ran out. */
  async waitForFinal(taskId: string, ms: number, signal?: AbortSignal): Promise<TaskEntity> {
    const deadline = Date.now() + ms;
    for (;;) {
      const task = await this.store.findById(taskId);
      if (!task) throw new NotFoundProblem(`Task ${taskId} disappeared`);
      const left = deadline - Date.now();
      if (FINAL_STATUSES.has(task.status) || left <= 0 || signal?.aborted) return task;
      await this.events.next(taskId, Math.min(WAIT_POLL_MS, left), signal);
    }
  }

  /**
   * Cancels a pending task in the queue, or asks the instance running it to abort (it sees the request
   * within a quarter second). Answers the task as it is after at most two seconds.
   */
  async cancel(tenantId: string, id: string): Promise<TaskEntity> {
    const task = await this.store.findForTenant(tenantId, id);
    if (!task) throw new NotFoundProblem(`No task ${id} for tenant ${tenantId}.`);
    if (FINAL_STATUSES.has(task.status)) {
      throw new ConflictProblem(
        `Task ${task.id} already finished with status ${task.status}; only pending or running tasks can be cancelled.`,
        {
          task_status: task.status,
        },
      );
    }
    const pendingCancelled = await this.store.cancelPending(
      task.id,
      'The task was cancelled before it started',
      'The task was cancelled on request; submit it again to run it.',
    );
    if (pendingCancelled) {
      await this.queue.cancel(task.id).catch(() => undefined);
      this.events.emit({ kind: 'status', taskId: task.id, status: 'cancelled' });
      return (await this.store.findById(task.id)) as TaskEntity;
    }
    await this.store.requestCancel(task.id);
    this.active.abort(task.id, 'cancelled');
    const after = await this.waitForFinal(task.id, CANCEL_WAIT_MS);
    if (FINAL_STATUSES.has(after.status) && after.status !== 'cancelled') {
      throw new ConflictProblem(`Task ${task.id} finished with status ${after.status} before the cancel took effect.`, {
        task_status: after.status,
      });
    }
    return after;
  }
}
