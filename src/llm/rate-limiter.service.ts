import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, QueryResult } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LLM_RUNTIME_CONFIG, type LlmRuntimeConfig } from './llm-runtime.config.js';
import { LlmAbortedError } from './llm.errors.js';

export interface RateLimiterOptions {
  /** Requests per window across every instance on the database. */
  points: number;
  windowS: number;
}

const KEY = 'chat';

/**
 * The store client rate-limiter-flexible queries. Unnamed statements only: its named prepared statements
 * collide on the embedded server, where every pooled connection shares one PGlite session.
 */
function unnamedStatements(pool: Pool): { query(q: { text: string; values?: unknown[] }): Promise<QueryResult> } {
  return { query: (q) => pool.query(q.text, q.values) };
}

/**
 * MAX_RPM across all instances: one shared fixed-window counter in PostgreSQL (rate-limiter-flexible's
 * RateLimiterPostgres on the app's own pool). A caller out of points waits for the next window; the wait
 * ends early when its signal aborts. If the database store fails, a per-instance in-memory limiter
 * with the same budget stands in rather than blocking every LLM call.
 */
export class SharedRateLimiter {
  private readonly limiter: RateLimiterPostgres;
  private waiters = 0;

  constructor(pool: Pool, options: RateLimiterOptions) {
    const limits = { points: options.points, duration: options.windowS };
    this.limiter = new RateLimiterPostgres({
      ...limits,
      storeClient: unnamedStatements(pool),
      storeType: 'pool',
      tableName: 'llm_rate_limits',
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: 'llm_rpm',
      insuranceLimiter: new RateLimiterMemory({ ...limits, keyPrefix: 'llm_rpm_insurance' }),
    });
  }

  /** Callers of this instance currently waiting for a slot. */
  get waiting(): number {
    return this.waiters;
  }

  /** Takes one request slot, waiting for the next window when the shared budget is spent. */
  async acquire(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (signal.aborted) throw new LlmAbortedError(signal.reason);
      const rejection = await this.tryConsume();
      if (!rejection) return;
      this.waiters += 1;
      try {
        // A little jitter so the instances that waited do not all hit the store in the same millisecond.
        await sleep(rejection.msBeforeNext + Math.floor(Math.random() * 25), undefined, { signal });
      } catch {
        throw new LlmAbortedError(signal.reason);
      } finally {
        this.waiters -= 1;
      }
    }
  }

  /** undefined when a point was taken, else the rejection saying how long until the next window. */
  private async tryConsume(): Promise<RateLimiterRes | undefined> {
    try {
      await this.limiter.consume(KEY, 1);
      return undefined;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return rejection;
      throw rejection;
    }
  }
}

/** The app's limiter over the TypeORM DataSource's pg pool, sized by MAX_RPM (per RPM_WINDOW_SECONDS). */
@Injectable()
export class LlmRateLimiter extends SharedRateLimiter {
  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LLM_RUNTIME_CONFIG) runtime: LlmRuntimeConfig,
  ) {
    super((dataSource.driver as unknown as { master: Pool }).master, { points: config.crew.maxRpm, windowS: runtime.rpmWindowS });
  }
}
