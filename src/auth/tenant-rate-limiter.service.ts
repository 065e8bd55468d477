import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import type { TenantSettings } from '../brain/tenant-settings.service.js';
import { SECURITY_SETTINGS, type SecuritySettings } from './security-settings.js';

export type RateDecision =
  | { allowed: true; limit: number; remaining: number }
  | { allowed: false; limit: number; retryAfterS: number }
  | { allowed: true; limit: null };

const TABLE = 'rate_limit_buckets';
const KEY_PREFIX = 'tenant_http';
const WINDOW_S = 60;
const CLEANUP_EVERY_MS = 5 * 60_000;
const WARN_EVERY_MS = 60_000;

/**
 * Per-tenant request limit over a fixed one-minute window, counted in PostgreSQL (rate-limiter-flexible's
 * Postgres store on the app's pool), so every instance on the database shares one count per tenant.
 */
@Injectable()
export class TenantRateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(TenantRateLimiter.name);
  /** One limiter per distinct limit; they share the table and the key, so a changed limit applies mid-window. */
  private readonly limiters = new Map<number, RateLimiterPostgres>();
  private readonly cleanup: NodeJS.Timeout;
  private lastWarning = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SECURITY_SETTINGS) private readonly settings: SecuritySettings,
  ) {
    this.cleanup = setInterval(() => void this.deleteExpired(), CLEANUP_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.cleanup);
  }

  /** The limit that applies: the tenant's synced limit (0 = none), else TENANT_RATE_LIMIT_PER_MINUTE (0 = none). */
  limitFor(settings: TenantSettings | null): number {
    return settings?.requestsPerMinute ?? this.settings.tenantRateLimitPerMinute;
  }

  async consume(tenantId: string, limit: number): Promise<RateDecision> {
    if (limit <= 0) return { allowed: true, limit: null };
    try {
      const result = await this.limiter(limit).consume(tenantId, 1);
      return { allowed: true, limit, remaining: result.remainingPoints };
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        return { allowed: false, limit, retryAfterS: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
      }
      // The limiter must not turn a database hiccup into refusals of its own: let the request through.
      if (Date.now() - this.lastWarning > WARN_EVERY_MS) {
        this.lastWarning = Date.now();
        this.logger.warn(`Tenant rate limit not applied (store unavailable): ${error instanceof Error ? error.message : String(error)}`);
      }
      return { allowed: true, limit: null };
    }
  }

  private limiter(points: number): RateLimiterPostgres {
    let limiter = this.limiters.get(points);
    if (!limiter) {
      limiter = new RateLimiterPostgres({
        storeClient: this.storeClient(),
        storeType: 'pool',
        tableName: TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: KEY_PREFIX,
        points,
        duration: WINDOW_S,
      });
      this.limiters.set(points, limiter);
    }
    return limiter;
  }

  /**
   * The app's pg pool, minus statement names: the embedded database is a single session shared by all
   * connections, where two connections preparing the same named statement collide.
   */
  private storeClient(): { query(q: { text: string; values?: unknown[] }): Promise<pg.QueryResult> } {
    const pool = (this.dataSource.driver as unknown as { master: pg.Pool }).master;
    return { query: (q) => pool.query(q.text, q.values) };
  }

  private async deleteExpired(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    await this.dataSource.query(`DELETE FROM ${TABLE} WHERE expire < $1`, [Date.now() - 3_600_000]).catch(() => undefined);
  }
}
