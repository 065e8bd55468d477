import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { TaskEvents } from '../execution/task-events.js';
import type { TaskEntity } from '../tasks/entities/task.entity.js';
import { taskLink } from '../tasks/task-response.mapper.js';
import { BrainClient } from './brain.client.js';
import { logFor } from '../common/request-context.js';

export const COMPLETION_NOTICE_PATH = '/api/brain/notifications/crew-task-completed';
const NOTICE_TIMEOUT_MS = 5000;

/**
 * Best-effort completion notices to the Brain for every task this instance finishes: fire and forget,
 * no retries, skipped for a minute after the Brain could not be reached. A notice never affects a task.
 */
@Injectable()
export class CompletionNotifier implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CompletionNotifier.name);
  private unsubscribe?: () => void;

  constructor(
    private readonly events: TaskEvents,
    private readonly brain: BrainClient,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.onFinished((task) => this.notify(task));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  private notify(task: TaskEntity): void {
    if (!this.brain.probablyReachable) return;
    const body = {
      event: 'crew_task_completed',
      task_id: task.id,
      workflow_id: task.workflowId,
      tenant_id: task.tenantId,
      user_id: task.userId,
      session_id: task.sessionId,
      task_type: task.type,
      domain: task.domain,
      status: task.status,
      strategy: task.strategy,
      ai_mode: task.aiMode,
      duration_ms: task.durationMs,
      cost_usd: task.costUsd,
      error: task.error,
      brain_request_id: typeof task.metadata?.brain_request_id === 'string' ? task.metadata.brain_request_id : null,
      finished_at: task.finishedAt ? task.finishedAt.toISOString() : new Date().toISOString(),
      links: { self: taskLink(task) },
    };
    this.brain.call(COMPLETION_NOTICE_PATH, { method: 'POST', body, retries: 0, timeoutMs: NOTICE_TIMEOUT_MS }).then(
      (response) => {
        if (response.status >= 300) {
          logFor(task.requestId, () =>
            this.logger.debug(`Completion notice for task ${task.id}: the Brain API answered ${response.status}`),
          );
        }
      },
      (error: unknown) =>
        logFor(task.requestId, () =>
          this.logger.debug(
            `Completion notice for task ${task.id} not delivered: ${error instanceof Error ? error.message : String(error)}`,
          ),
        ),
    );
  }
}
