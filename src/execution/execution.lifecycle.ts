import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ActiveTasks } from './active-tasks.js';
import { CallbackService } from './callback.service.js';
import { QueueService } from './queue.service.js';
import { WorkerService } from './worker.service.js';

const HAND_BACK_MS = 3000;

/**
 * Start-up and SIGTERM in one place, so the order is explicit: stop fetching, let running tasks finish
 * within SHUTDOWN_GRACE_SECONDS, abort the rest (they go back to the queue for another instance),
 * then stop the queue — all before the database closes.
 */
@Injectable()
export class ExecutionLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ExecutionLifecycle.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly worker: WorkerService,
    private readonly active: ActiveTasks,
    private readonly queue: QueueService,
    private readonly callbacks: CallbackService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.crew.workerEnabled) await this.callbacks.startWorker();
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    await this.worker.stopFetching();
    if (this.active.size > 0) {
      this.logger.log(
        `${signal ?? 'Shutdown'}: waiting up to ${this.config.crew.shutdownGraceS} s for ${this.active.size} running task(s)`,
      );
      const settled = await this.active.drain(this.config.crew.shutdownGraceS * 1000);
      if (!settled) {
        const ids = this.active.ids();
        this.logger.warn(`Grace period over: handing ${ids.length} task(s) back to the queue`);
        for (const id of ids) this.active.abort(id, 'shutdown');
        await this.active.drain(HAND_BACK_MS);
      }
    }
    await this.queue.stop();
  }
}
