import { describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { TenantRateLimiter } from './tenant-rate-limiter.service.js';

function limiterWith(query: () => Promise<unknown>, defaultLimit = 10): TenantRateLimiter {
  const dataSource = { driver: { master: { query } }, isInitialized: true } as unknown as DataSource;
  const limiter = new TenantRateLimiter(dataSource, { tenantRateLimitPerMinute: defaultLimit });
  limiter.onModuleDestroy();
  return limiter;
}

describe('TenantRateLimiter', () => {
  it('picks the synced limit, else the default; 0 means none', () => {
    const limiter = limiterWith(() => Promise.resolve({ rows: [] }), 10);
    const synced = { requestsPerMinute: 3 } as Parameters<TenantRateLimiter['limitFor']>[0];
    expect(limiter.limitFor(null)).toBe(10);
    expect(limiter.limitFor(synced)).toBe(3);
    expect(limiter.limitFor({ ...synced!, requestsPerMinute: 0 })).toBe(0);
    expect(limiter.limitFor({ ...synced!, requestsPerMinute: null })).toBe(10);
  });

  it('lets requests through (without a limit header) when the store fails, instead of refusing them', async () => {
    let calls = 0;
    const limiter = limiterWith(() => {
      calls += 1;
      return Promise.reject(new Error('connection terminated'));
    });
    expect(await limiter.consume('acme', 5)).toEqual({ allowed: true, limit: null });
    expect(calls).toBe(1);
  });

  it('does not touch the store when there is no limit', async () => {
    let calls = 0;
    const limiter = limiterWith(() => {
      calls += 1;
      return Promise.resolve({ rows: [] });
    });
    expect(await limiter.consume('acme', 0)).toEqual({ allowed: true, limit: null });
    expect(calls).toBe(0);
  });

  it('sends unnamed statements (the embedded database shares one session between connections)', async () => {
    const seen: unknown[] = [];
    const dataSource = {
      driver: {
        master: {
          query: (...args: unknown[]) => {
            seen.push(args);
            return Promise.resolve({ rows: [{ points: 1, expire: Date.now() + 60_000 }], rowCount: 1 });
          },
        },
      },
    } as unknown as DataSource;
    const limiter = new TenantRateLimiter(dataSource, { tenantRateLimitPerMinute: 10 });
    limiter.onModuleDestroy();
    expect(await limiter.consume('acme', 5)).toEqual({ allowed: true, limit: 5, remaining: 4 });
    expect(seen).toHaveLength(1);
    const [text, values] = seen[0] as [string, unknown[]];
    expect(typeof text).toBe('string');
    expect(text).toContain('INSERT INTO "rate_limit_buckets"');
    expect(values[0]).toBe('tenant_http:acme');
  });
});
