import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { outboundRequest } from '../common/outbound-http.js';
import type { TaskEntity } from '../tasks/entities/task.entity.js';
import { TaskStore } from '../tasks/task.store.js';
import { toExecuteResponse } from '../tasks/task-response.mapper.js';
import { QueueService } from './queue.service.js';
import { logFor } from '../common/request-context.js';

const CALLBACK_TIMEOUT_MS = 10_000;

/**
 * Delivers the final result to `callback_url`: a durable job (survives restarts), POSTed with a timeout
 * and retried three times with exponential backoff; the outbound guard applies at connect time.
 */
@Injectable()
export class CallbackService {
  private readonly logger = new Logger(CallbackService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queue: QueueService,
    private readonly store: TaskStore,
  ) {}

  async schedule(task: TaskEntity): Promise<void> {
    if (!task.callbackUrl) return;
    await this.queue.enqueueCallback({ taskId: task.id });
  }

  async startWorker(): Promise<void> {
    await this.queue.workCallbacks((job) => this.deliver(job.data.taskId));
  }

  async deliver(taskId: string): Promise<void> {
    const task = await this.store.findById(taskId);
    if (!task?.callbackUrl) return;
    const response = await outboundRequest(task.callbackUrl, {
      method: 'POST',
      body: JSON.stringify({ event: 'task.finished', ...toExecuteResponse(task) }),
      headers: { 'x-crew-task-id': task.id, 'x-crew-tenant-id': task.tenantId },
      timeoutMs: CALLBACK_TIMEOUT_MS,
      allowPrivate: this.config.security.outboundAllowPrivate,
      maxBytes: 64 * 1024,
    });
    if (response.status < 200 || response.status >= 300) {
      throw new Error(`callback to ${new URL(task.callbackUrl).host} answered ${response.status}`);
    }
    logFor(task.requestId, () => this.logger.log(`Callback for task ${task.id} delivered (${response.status})`));
  }
}
