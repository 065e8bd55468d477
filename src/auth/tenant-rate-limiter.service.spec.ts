import { describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { TenantRateLimiter } from './tenant-rate-limiter.service.js';

/** A stand-in for the shared table: the same atomic "add and return the total" the upsert does. */
function sharedStore() {
  const points = new Map<string, number>();
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    query: (_sql: string, values: unknown[]) => {
      calls += 1;
      const [key, size] = values as [string, number];
      const total = (points.get(key) ?? 0) + size;
      points.set(key, total);
      return Promise.resolve([{ points: total }]);
    },
  };
}

function limiterWith(query: (sql: string, values: unknown[]) => Promise<unknown>, defaultLimit = 10): TenantRateLimiter {
  const dataSource = { query, isInitialized: true } as unknown as DataSource;
  const limiter = new TenantRateLimiter(dataSource, { tenantRateLimitPerMinute: defaultLimit });
  limiter.onModuleDestroy();
  return limiter;
}

describe('TenantRateLimiter', () => {
  it('picks the synced limit, else the default; 0 means none', () => {
    const limiter = limiterWith(() => Promise.resolve([]), 10);
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
    const store = sharedStore();
    const limiter = limiterWith(store.query);
    expect(await limiter.consume('acme', 0)).toEqual({ allowed: true, limit: null });
    expect(store.calls).toBe(0);
  });

  it('leases 1, then 2 (2 % of 100) points at a time: 100 requests at limit 100 take 51 store round trips, the 101st is refused', async () => {
    const store = sharedStore();
    const limiter = limiterWith(store.query);
    const decisions = [];
    for (let i = 0; i < 101; i += 1) decisions.push(await limiter.consume('acme', 100));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(100);
    expect(decisions[100]).toMatchObject({ allowed: false, limit: 100 });
    expect((decisions[100] as { retryAfterS: number }).retryAfterS).toBeGreaterThanOrEqual(1);
    expect(store.calls).toBe(52);
  });

  it('holds exactly across two instances at a small limit (lease of one point)', async () => {
    const store = sharedStore();
    const a = limiterWith(store.query);
    const b = limiterWith(store.query);
    const results = await Promise.all([a, b, a, b, a, b].map((limiter) => limiter.consume('acme', 3)));
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
  });

  it('never grants more than is left when another instance used part of the window', async () => {
    const store = sharedStore();
    const a = limiterWith(store.query);
    const b = limiterWith(store.query);
    // a leases 1, then 2 at a time: after 98 requests it holds 99 of the shared 100 (one unused).
    for (let i = 0; i < 98; i += 1) expect((await a.consume('acme', 100)).allowed).toBe(true);
    const fromB = [];
    for (let i = 0; i < 3; i += 1) fromB.push((await b.consume('acme', 100)).allowed);
    expect(fromB).toEqual([true, false, false]);
    expect((await a.consume('acme', 100)).allowed).toBe(true);
    expect((await a.consume('acme', 100)).allowed).toBe(false);
  });
});
