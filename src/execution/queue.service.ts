import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EMBEDDED_POSTGRES } from '../database/database.module.js';
import type { EmbeddedPostgres } from '../database/embedded-postgres.js';
import { preparedName } from '../database/fast-query.js';

export const TASK_QUEUE = 'crew-tasks';
export const CALLBACK_QUEUE = 'crew-callbacks';

export interface TaskJobData {
  taskId: string;
  tenantId: string;
}

export type TaskJob = PgBoss.JobWithMetadata<TaskJobData>;

/** pg-boss's `db` adapter over a TypeORM transaction, so a job is enqueued atomically with its task row. */
function transactionAdapter(manager: EntityManager): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      const runner = manager.queryRunner;
      if (!runner) throw new Error('enqueue must run inside a transaction');
      const result = await runner.query(text, values as unknown[], true);
      return { rows: result.records as unknown[] };
    },
  };
}

/**
 * pg-boss's connections: a small pool of the queue's own (the same as pg-boss makes), on which every
 * parameterised statement — fetch, complete, the worker's claim — is prepared once per connection
 * (DATABASE_PREPARED_STATEMENTS). Statements without parameters can hold several commands and run as they are.
 */
class QueueDb implements PgBoss.Db {
  constructor(
    readonly pool: pg.Pool,
    private readonly prepared: boolean,
  ) {}

  async executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
    const name = this.prepared && values !== undefined && values.length > 0 ? preparedName(text) : undefined;
    return this.pool.query({ name, text, values });
  }
}

/** The job queue (pg-boss on the service's own database, embedded included). */
@Injectable()
export class QueueService implements OnModuleInit {
  private readonly logger = new Logger(QueueService.name);
  private boss?: PgBoss;
  private db?: QueueDb;
  /** Job ids waiting to be marked completed, by their output (JSON). */
  private readonly pendingCompletions = new Map<string, string[]>();
  private flushing?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EMBEDDED_POSTGRES) private readonly embedded: EmbeddedPostgres | null,
  ) {}

  async onModuleInit(): Promise<void> {
    const connection =
      this.config.database.kind === 'postgres'
        ? { connectionString: this.config.database.url }
        : { host: this.embedded?.socketDir, port: 5432, user: 'postgres', database: 'postgres' };
    const pool = new pg.Pool({ ...connection, application_name: 'ai-crew-system:queue', max: 4 });
    pool.on('error', (error: Error) => this.logger.warn(`Queue connection: ${error.message}`));
    this.db = new QueueDb(pool, this.config.database.preparedStatements);
    const boss = new PgBoss({
      db: this.db,
      schedule: false,
      supervise: true,
      maintenanceIntervalSeconds: this.config.crew.queueMaintenanceS,
    });
    boss.on('error', (error: Error) => this.logger.warn(`Queue: ${error.message}`));
    try {
      await boss.start();
      for (const name of [TASK_QUEUE, CALLBACK_QUEUE]) await this.ensureQueue(boss, name);
    } catch (error) {
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      await pool.end().catch(() => undefined);
      throw error;
    }
    this.boss = boss;
    this.logger.log(`Queue ready (${this.config.database.kind === 'embedded' ? 'embedded database' : 'PostgreSQL'})`);
  }

  /** Instances booting together on a new database race to create the queue: the loser re-checks and retries. */
  private async ensureQueue(boss: PgBoss, name: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      if (await boss.getQueue(name)) return;
      try {
        await boss.createQueue(name, { name, policy: 'standard' });
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
        this.logger.warn(
          `Creating queue ${name} collided with another instance (${error instanceof Error ? error.message : String(error)}); retrying`,
        );
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt + Math.random() * 200));
      }
    }
  }

  private get client(): PgBoss {
    if (!this.boss) throw new Error('Queue is not started');
    return this.boss;
  }

  /** Enqueues inside the caller's transaction: the job exists if and only if the transaction commits. */
  async enqueueTask(manager: EntityManager, data: TaskJobData, options: { priority: number; timeoutS: number }): Promise<void> {
    await this.client.send(TASK_QUEUE, data, {
      id: data.taskId,
      priority: options.priority,
      retryLimit: this.config.crew.maxAttempts - 1,
      retryDelay: 1,
      expireInSeconds: options.timeoutS + this.config.crew.expiryMarginS,
      db: transactionAdapter(manager),
    });
  }

  async enqueueCallback(data: { taskId: string }): Promise<void> {
    await this.client.send(CALLBACK_QUEUE, data, {
      retryLimit: 3,
      retryDelay: this.config.crew.callbackRetryDelayS,
      retryBackoff: true,
      expireInSeconds: 60,
    });
  }

  /**
   * Runs a statement on the queue's own connections: the worker's claim goes here so it never waits in the
   * service pool behind the bookkeeping writes of the tasks that just finished.
   */
  readonly sql = async (sql: string, values: unknown[]): Promise<Record<string, unknown>[]> => {
    const result = await this.client.getDb().executeSql(sql, values);
    return result.rows as Record<string, unknown>[];
  };

  fetchTasks(count: number): Promise<TaskJob[]> {
    return this.client.fetch<TaskJobData>(TASK_QUEUE, { batchSize: count, includeMetadata: true, priority: true });
  }

  /**
   * Marks a finished job completed without waiting: completions that arrive together (a wave of tasks
   * ending at once) go to the database as one statement per distinct output. Losing one is harmless — the
   * job then expires and is re-delivered, and the claim refuses to run a finished task again.
   */
  completeSoon(jobId: string, output: object): void {
    const key = JSON.stringify(output);
    const ids = this.pendingCompletions.get(key);
    if (ids) ids.push(jobId);
    else this.pendingCompletions.set(key, [jobId]);
    this.flushing ??= this.flushCompletions();
  }

  private async flushCompletions(): Promise<void> {
    // Let the completions of this turn of the event loop (and of the flush before) gather first.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pendingCompletions.size > 0) {
      const batches = [...this.pendingCompletions];
      this.pendingCompletions.clear();
      for (const [output, ids] of batches) {
        try {
          await this.completeMany(ids, JSON.parse(output) as object);
        } catch (error) {
          this.logger.warn(
            `Marking ${ids.length} finished job(s) completed failed (${error instanceof Error ? error.message : String(error)}); they will expire and their re-delivery is skipped`,
          );
        }
      }
    }
    this.flushing = undefined;
  }

  private async completeMany(ids: string[], output: object): Promise<void> {
    // pg-boss completes an array of ids with one output (its typings only declare the single-id form).
    const complete = this.client.complete.bind(this.client) as (name: string, ids: string[], data: object) => Promise<unknown>;
    await complete(TASK_QUEUE, ids, output);
  }

  /** Hands a job back for another delivery (used when this instance shuts down mid-task). */
  async fail(jobId: string, output: object): Promise<void> {
    await this.client.fail(TASK_QUEUE, jobId, output);
  }

  async cancel(jobId: string): Promise<void> {
    await this.client.cancel(TASK_QUEUE, jobId);
  }

  async jobState(jobId: string): Promise<string | null> {
    const job = await this.client.getJobById(TASK_QUEUE, jobId, { includeArchive: true });
    return job?.state ?? null;
  }

  async depth(): Promise<number> {
    return this.client.getQueueSize(TASK_QUEUE);
  }

  workCallbacks(handler: (job: PgBoss.Job<{ taskId: string }>) => Promise<void>): Promise<string> {
    return this.client.work<{ taskId: string }>(CALLBACK_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => handler(job));
  }

  async stop(): Promise<void> {
    await this.flushing;
    const boss = this.boss;
    this.boss = undefined;
    await boss?.stop({ graceful: true, wait: true, timeout: 5000 });
    const db = this.db;
    this.db = undefined;
    await db?.pool.end();
  }
}
