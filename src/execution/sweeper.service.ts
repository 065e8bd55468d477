import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TaskStore } from '../tasks/task.store.js';
import { DIRECT_STRATEGIES, type Strategy } from '../tasks/task.types.js';
import { ActiveTasks } from './active-tasks.js';
import { QueueService } from './queue.service.js';
import { TaskEvents } from './task-events.js';
import { logFor } from '../common/request-context.js';

const SWEEP_MS = 5000;
const LIVE_JOB_STATES = new Set(['created', 'retry', 'active']);

/**
 * Guarantees no task stays `running` forever: a task past its timeout plus the expiry margin whose job
 * will not come back (retry limit reached, or a direct task whose instance died) is failed with a reason.
 */
@Injectable()
export class Sweeper implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(Sweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: TaskStore,
    private readonly queue: QueueService,
    private readonly active: ActiveTasks,
    private readonly events: TaskEvents,
  ) {}

  onModuleInit(): void {
    const every = Math.min(SWEEP_MS, this.config.crew.queueMaintenanceS * 1000);
    this.timer = setInterval(() => void this.sweep().catch(() => undefined), every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    const graceS = this.config.crew.expiryMarginS + this.config.crew.queueMaintenanceS + 2;
    const stale = await this.store.staleRunning(graceS);
    let swept = 0;
    for (const task of stale) {
      if (this.active.has(task.id)) continue;
      const direct = DIRECT_STRATEGIES.has(task.strategy as Strategy);
      const state = await this.queue.jobState(task.id);
      if (state && LIVE_JOB_STATES.has(state)) continue;
      const error = state
        ? `The worker running this task stopped ${task.attempts} time(s); the retry limit (TASK_MAX_ATTEMPTS=${this.config.crew.maxAttempts}) is reached.`
        : direct
          ? 'The instance running this task stopped before it finished.'
          : 'The task lost its queue job.';
      const failed = await this.store.failStale(
        task.id,
        error,
        'Submit the task again. If it keeps failing this way, check the service logs for crashes (out of memory, killed pods).',
      );
      if (failed) {
        swept += 1;
        logFor(task.requestId, () => this.logger.warn(`Task ${task.id} failed by the sweeper: ${error}`));
        this.events.emit({ kind: 'status', taskId: task.id, status: 'failed' });
      }
    }
    return swept;
  }
}
