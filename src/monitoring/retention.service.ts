import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TaskStore } from '../tasks/task.store.js';

const INTERVAL_MS = 60 * 60 * 1000;
const FIRST_RUN_MS = 60 * 1000;
/** Rows per DELETE, so a large backlog never holds long locks. */
const BATCH = 5000;

export interface PurgeResult {
  steps: number;
  alerts: number;
}

/** Deletes trace steps and alerts older than METRICS_RETENTION_DAYS, hourly; task rows are kept. */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tasks: TaskStore,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(FIRST_RUN_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.purge()
        .catch((error: unknown) => this.logger.warn(`Retention purge failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => this.schedule(INTERVAL_MS));
    }, ms);
    this.timer.unref();
  }

  async purge(): Promise<PurgeResult> {
    const days = this.config.monitoring.retentionDays;
    const steps = await this.tasks.purgeSteps(days, BATCH, () => this.stopped);
    const alerts = await this.deleteOldAlerts(days);
    if (steps + alerts > 0) this.logger.log(`Retention: removed ${steps} steps and ${alerts} alerts older than ${days} days`);
    return { steps, alerts };
  }

  private async deleteOldAlerts(days: number): Promise<number> {
    let total = 0;
    for (;;) {
      // TypeORM answers a DELETE as [rows, affected].
      const [, deleted] = await this.dataSource.query<[unknown[], number]>(
        `DELETE FROM alerts WHERE id IN (
           SELECT id FROM alerts WHERE created_at < now() - $1::int * interval '1 day' LIMIT ${BATCH}
         )`,
        [days],
      );
      total += deleted;
      if (deleted < BATCH || this.stopped) return total;
    }
  }
}
