import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TenantSettings } from '../tenancy/tenant-settings.service.js';
import { SECURITY_SETTINGS, type SecuritySettings } from './security-settings.js';
import { logFor } from '../common/request-context.js';

export type RateDecision =
  | { allowed: true; limit: number; remaining: number }
  | { allowed: false; limit: number; retryAfterS: number }
  | { allowed: true; limit: null };

const TABLE = 'rate_limit_buckets';
const KEY_PREFIX = 'tenant_http';
const WINDOW_MS = 60_000;
const CLEANUP_EVERY_MS = 5 * 60_000;
const WARN_EVERY_MS = 60_000;
/** Leases start at one point and double while the tenant keeps asking, up to this share of its limit. */
const LEASE_SHARE = 0.02;

interface Lease {
  window: number;
  /** Points the next lease asks for. */
  size: number;
  granted: number;
  used: number;
  /** The shared count after this instance's last lease. */
  sharedTotal: number;
  pending?: Promise<void>;
}

/**
 * Per-tenant request limit over a fixed one-minute window, shared by every instance through PostgreSQL.
 * Instead of a database round trip per request, an instance leases points with one atomic upsert and spends
 * them locally. A lease starts at one point (so light traffic is counted exactly, across instances and
 * across a limit change mid-window) and doubles while the tenant keeps asking, up to 2 % of its limit — a
 * busy tenant costs one round trip per ~2 % of its limit. A lease is never more than what is left.
 */
@Injectable()
export class TenantRateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(TenantRateLimiter.name);
  private readonly leases = new Map<string, Lease>();
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

  async consume(tenantId: string, limit: number, requestId?: string): Promise<RateDecision> {
    if (limit <= 0) return { allowed: true, limit: null };
    const window = Math.floor(Date.now() / WINDOW_MS);
    const key = `${tenantId}:${limit}`;
    try {
      for (;;) {
        let lease = this.leases.get(key);
        if (!lease || lease.window !== window) {
          lease = { window, size: 1, granted: 0, used: 0, sharedTotal: 0 };
          this.leases.set(key, lease);
        }
        if (lease.used < lease.granted) {
          lease.used += 1;
          return { allowed: true, limit, remaining: Math.max(0, limit - lease.sharedTotal) + (lease.granted - lease.used) };
        }
        if (lease.pending) {
          await lease.pending;
          continue;
        }
        const before = lease.granted;
        lease.pending = this.lease(lease, tenantId, limit, window).finally(() => {
          if (lease) lease.pending = undefined;
        });
        await lease.pending;
        if (lease.granted === before) {
          return { allowed: false, limit, retryAfterS: Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - Date.now()) / 1000)) };
        }
      }
    } catch (error) {
      // The limiter must not turn a database hiccup into refusals of its own: let the request through.
      if (Date.now() - this.lastWarning > WARN_EVERY_MS) {
        this.lastWarning = Date.now();
        logFor(requestId, () =>
          this.logger.warn(`Tenant rate limit not applied (store unavailable): ${error instanceof Error ? error.message : String(error)}`),
        );
      }
      return { allowed: true, limit: null };
    }
  }

  /** One atomic upsert: adds a lease to the shared count and keeps what was still below the limit. */
  private async lease(lease: Lease, tenantId: string, limit: number, window: number): Promise<void> {
    const size = lease.size;
    lease.size = Math.min(lease.size * 2, Math.max(1, Math.floor(limit * LEASE_SHARE)));
    const rows = await this.dataSource.query<{ points: number }[]>(
      `INSERT INTO ${TABLE} (key, points, expire) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET points = ${TABLE}.points + EXCLUDED.points
       RETURNING points`,
      [`${KEY_PREFIX}:${tenantId}:${window}`, size, (window + 1) * WINDOW_MS],
    );
    const total = Number(rows[0].points);
    lease.sharedTotal = total;
    lease.granted += Math.max(0, Math.min(size, limit - (total - size)));
  }

  private async deleteExpired(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    await this.dataSource.query(`DELETE FROM ${TABLE} WHERE expire < $1`, [Date.now() - 3_600_000]).catch(() => undefined);
  }
}
