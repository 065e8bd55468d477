import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RateDecision, TenantRateLimiter } from '../src/auth/tenant-rate-limiter.service.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { sharedDatabaseUrl } from './support/service-process.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Large enough that leases grow to their cap: 2 % of 1,000 = 20 points per round trip. */
const LIMIT = 1000;
const LEASE_CAP = 20;
const WINDOW_MS = 60_000;
const INSTANCES = 3;

interface Instance {
  limiter: TenantRateLimiter;
  dataSource: DataSource;
  /** Lease round trips (upserts of rate_limit_buckets) since the last reset. */
  roundTrips: number;
}

type Refusal = Extract<RateDecision, { allowed: false }>;

const windowOf = (ms: number) => Math.floor(ms / WINDOW_MS);
/** What Retry-After must say at `ms`: the seconds left in the window, at least 1. */
const retryAfterAt = (ms: number) => Math.max(1, Math.ceil(((windowOf(ms) + 1) * WINDOW_MS - ms) / 1000));

/**
 * The tenant rate limiter's leases on a real database: several instances (each its own limiter and
 * connection pool) share one count. The window is a fixed minute, so each scenario runs for a tenant of its
 * own and is run again if it happened to straddle a minute boundary.
 */
describe('tenant rate limit leases on a shared database', () => {
  let testApp: TestApp;
  const instances: Instance[] = [];

  beforeAll(async () => {
    // The app migrates the database (and, embedded, serves it); the instances connect to it on their own.
    testApp = await createTestApp();
    for (let i = 0; i < INSTANCES; i += 1) {
      const dataSource = await new DataSource(dataSourceOptions({ url: sharedDatabaseUrl(testApp.env), poolSize: 4 })).initialize();
      const instance: Instance = { dataSource, limiter: new TenantRateLimiter(dataSource, { tenantRateLimitPerMinute: 0 }), roundTrips: 0 };
      const query = dataSource.query.bind(dataSource);
      dataSource.query = ((sql: string, parameters?: unknown[]) => {
        if (sql.includes('INSERT INTO rate_limit_buckets')) instance.roundTrips += 1;
        return query(sql, parameters);
      }) as DataSource['query'];
      instances.push(instance);
    }
  });
  afterAll(async () => {
    for (const instance of instances) {
      instance.limiter.onModuleDestroy();
      await instance.dataSource.destroy();
    }
    await testApp?.dispose();
  });

  /** Runs `scenario` for a fresh tenant until one run fits inside one rate window (at most three tries). */
  async function inOneWindow<T>(scenario: (tenant: string) => Promise<T>): Promise<T> {
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const window = windowOf(Date.now());
      for (const instance of instances) instance.roundTrips = 0;
      const result = await scenario(`leases-${randomUUID()}`);
      if (windowOf(Date.now()) === window) return result;
    }
    throw new Error('three runs in a row straddled a minute boundary');
  }

  /** One consume, with the moments around it (to check Retry-After against the clock). */
  async function consume(instance: Instance, tenant: string): Promise<{ decision: RateDecision; before: number; after: number }> {
    const before = Date.now();
    const decision = await instance.limiter.consume(tenant, LIMIT);
    return { decision, before, after: Date.now() };
  }

  function expectRetryAfter(refusal: { decision: RateDecision; before: number; after: number }): void {
    const decision = refusal.decision as Refusal;
    expect(decision).toEqual({ allowed: false, limit: LIMIT, retryAfterS: expect.any(Number) });
    // The window cannot have changed during the call (inOneWindow), so Retry-After lies between these two.
    expect(decision.retryAfterS).toBeGreaterThanOrEqual(retryAfterAt(refusal.after));
    expect(decision.retryAfterS).toBeLessThanOrEqual(retryAfterAt(refusal.before));
  }

  it('one instance allows exactly the limit in 54 leases (1, 2, 4, 8, 16, then 20 at a time), then refuses with Retry-After', async () => {
    const [instance] = instances;
    const { remaining, refused, tenant } = await inOneWindow(async (tenant) => {
      const remaining: number[] = [];
      for (let i = 0; i < LIMIT; i += 1) {
        const { decision } = await consume(instance, tenant);
        if (!decision.allowed || decision.limit === null)
          throw new Error(`request ${i + 1} of ${LIMIT} was refused: ${JSON.stringify(decision)}`);
        remaining.push(decision.remaining);
      }
      return { remaining, refused: await consume(instance, tenant), tenant };
    });
    // Nothing refused below the limit, and the remaining count is exact on a single instance.
    expect(remaining).toEqual(Array.from({ length: LIMIT }, (_, i) => LIMIT - 1 - i));
    expectRetryAfter(refused);
    // 1 + 2 + 4 + 8 + 16 = 31 points, then 48 leases of 20 and one of the 9 left; the refused request asks once more.
    expect(instance.roundTrips).toBe(5 + 49 + 1);
    const rows = await testApp.app
      .get(DataSource)
      .query<{ points: number }[]>(`SELECT points FROM rate_limit_buckets WHERE key LIKE $1`, [`tenant_http:${tenant}:%`]);
    // Leased points count as used (also the over-asks): the shared count is past the limit, never below it.
    expect(rows).toEqual([{ points: 31 + 49 * 20 + 20 }]);
  });

  it(`${INSTANCES} instances taking turns: exactly the limit in total, and none refused before the others’ leases are all that is left`, async () => {
    const result = await inOneWindow(async (tenant) => {
      let allowed = 0;
      let allowedAtFirstRefusal: number | undefined;
      const refusals: Awaited<ReturnType<typeof consume>>[] = [];
      const exhausted = new Set<number>();
      // Round robin; an instance that refused is asked once more (it must still refuse), then left alone.
      for (let turn = 0; exhausted.size < INSTANCES; turn += 1) {
        const index = turn % INSTANCES;
        if (exhausted.has(index)) continue;
        const outcome = await consume(instances[index], tenant);
        if (outcome.decision.allowed) {
          allowed += 1;
          continue;
        }
        allowedAtFirstRefusal ??= allowed;
        refusals.push(outcome);
        const again = await consume(instances[index], tenant);
        expect(again.decision.allowed).toBe(false);
        refusals.push(again);
        exhausted.add(index);
      }
      return { allowed, allowedAtFirstRefusal: allowedAtFirstRefusal as number, refusals };
    });
    expect(result.allowed).toBe(LIMIT);
    // An instance is refused only when the shared count is spent; what the others still hold is at most a
    // lease each (the documented early refusal of up to 2 % per instance).
    expect(result.allowedAtFirstRefusal).toBeGreaterThanOrEqual(LIMIT - (INSTANCES - 1) * LEASE_CAP);
    expect(result.refusals).toHaveLength(2 * INSTANCES);
    for (const refusal of result.refusals) expectRetryAfter(refusal);
    // Batching across instances too: far fewer round trips than requests.
    const roundTrips = instances.reduce((sum, instance) => sum + instance.roundTrips, 0);
    expect(roundTrips).toBeLessThan(LIMIT / 5);
  });

  it(`${INSTANCES} instances with 8 concurrent clients each, every client going until refused: exactly the limit allowed`, async () => {
    const { allowed, refusals } = await inOneWindow(async (tenant) => {
      let allowed = 0;
      const refusals: Awaited<ReturnType<typeof consume>>[] = [];
      const client = async (instance: Instance) => {
        for (;;) {
          const outcome = await consume(instance, tenant);
          if (!outcome.decision.allowed) {
            refusals.push(outcome);
            return;
          }
          allowed += 1;
        }
      };
      await Promise.all(instances.flatMap((instance) => Array.from({ length: 8 }, () => client(instance))));
      return { allowed, refusals };
    });
    // Never more than the limit (the upserts race on the shared row), and no point lost to a refusal.
    expect(allowed).toBe(LIMIT);
    expect(refusals).toHaveLength(INSTANCES * 8);
    for (const refusal of refusals) expectRetryAfter(refusal);
  });
});
