import { describe, expect, it } from 'vitest';
import type { SyncRunStatus } from '../entities/sync-run.entity.js';
import { analyzeErrors, failureCluster, severityOf, suggestedTimeout } from './error-analysis.js';
import { optimizeSyncs } from './sync-optimization.js';
import { percentile, type RunSample } from './sync-stats.js';

function run(
  connectionId: string,
  at: string,
  status: SyncRunStatus,
  durationMs: number,
  extra: Partial<Pick<RunSample, 'errorClass' | 'httpStatus' | 'records' | 'inserted' | 'updated'>> = {},
): RunSample {
  return {
    connectionId,
    startedAt: new Date(`2026-03-02T${at}:00Z`),
    status,
    durationMs,
    httpStatus: extra.httpStatus ?? (status === 'succeeded' ? 200 : null),
    errorClass: extra.errorClass ?? null,
    attempts: 1,
    records: extra.records ?? 0,
    inserted: extra.inserted ?? 0,
    updated: extra.updated ?? 0,
  };
}

const CONNECTIONS = [
  { id: 'a', name: 'crm-api', schedule: '15m', timeoutMs: 2000 },
  { id: 'b', name: 'shop', schedule: null, timeoutMs: 10_000 },
];

const HISTORY: RunSample[] = [
  run('a', '01:00', 'succeeded', 100),
  run('a', '02:00', 'succeeded', 200),
  run('a', '03:00', 'failed', 2000, { errorClass: 'timeout' }),
  run('a', '03:15', 'failed', 2000, { errorClass: 'timeout' }),
  run('a', '03:30', 'failed', 300, { errorClass: 'http_5xx', httpStatus: 503 }),
  run('a', '04:00', 'succeeded', 400),
  run('a', '05:00', 'failed', 50, { errorClass: 'rate_limited', httpStatus: 429 }),
  run('a', '06:00', 'cancelled', 10, { errorClass: 'cancelled' }),
  run('b', '10:00', 'succeeded', 500),
  run('b', '11:00', 'succeeded', 700),
  run('b', '12:00', 'succeeded', 900),
  run('b', '13:00', 'failed', 100, { errorClass: 'http_4xx', httpStatus: 401 }),
];

describe('percentiles (linear interpolation, rank = p × (n − 1))', () => {
  it('interpolates between the closest ranks', () => {
    // [100, 200, 300, 400, 1000]: p50 rank 2 → 300; p95 rank 3.8 → 400 + 0.8 × 600 = 880
    expect(percentile([1000, 300, 100, 400, 200], 0.5)).toBe(300);
    expect(percentile([1000, 300, 100, 400, 200], 0.95)).toBe(880);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('integrations error analysis', () => {
  it('computes failure rates, latency, error classes, the 03:00 cluster and advice by hand', () => {
    const result = analyzeErrors(HISTORY, CONNECTIONS, 30);
    // 11 finished runs (1 cancelled), 5 failed → 5/11 = 0.4545.
    // Sorted durations 50 100 100 200 300 400 500 700 900 2000 2000: p50 rank 5 → 400; p95 rank 9.5 → 2000.
    expect(result.overall).toEqual({
      runs: 11,
      failed: 5,
      cancelled: 1,
      failure_rate: 0.4545,
      latency_ms: { p50: 400, p95: 2000 },
      error_classes: {
        timeout: 2,
        network: 0,
        rate_limited: 1,
        http_4xx: 1,
        http_5xx: 1,
        http_other: 0,
        malformed: 0,
        config: 0,
        cancelled: 0,
      },
    });
    const [crm, shop] = result.connections;
    // crm-api: 7 finished, 4 failed → 0.5714 (high); durations 50 100 200 300 400 2000 2000 → p50 300, p95 rank 5.7 → 2000.
    expect(crm).toMatchObject({
      name: 'crm-api',
      runs: 7,
      failed: 4,
      failure_rate: 0.5714,
      severity: 'high',
      latency_ms: { p50: 300, p95: 2000 },
      last_status: 'cancelled',
      last_error_class: 'cancelled',
      // 3 of 4 failures at 03:xx, where 3 of 3 runs failed, against 1 of 4 runs at other hours = 0.25.
      failure_cluster: { hour_utc: 3, failures: 3, runs: 3, failure_rate: 1, failure_rate_other_hours: 0.25 },
    });
    expect(crm.advice.map((a) => [a.kind, a.retryable])).toEqual([
      ['timeout', true],
      ['rate_limited', true],
      ['http_5xx', true],
      ['failure_cluster', null],
    ]);
    // Successful durations 100 200 400 → p95 380 → 1.5 × 380 = 570 → 1000; max(2 × 2000, 1000) = 4000.
    expect(crm.advice[0].message).toBe(
      '2 of 4 failures were timeouts at timeout_ms 2000: raise timeout_ms to 4000 or fetch smaller batches (a narrower path or page size).',
    );
    expect(crm.advice[1].message).toContain('increase the interval from 15m to 30m');
    expect(crm.advice[3].message).toContain('Failures cluster at 03:00–03:59 UTC');
    // shop: 4 finished, 1 failed → 0.25 (medium); [100 500 700 900] → p50 600, p95 rank 2.85 → 700 + 0.85 × 200 = 870.
    expect(shop).toMatchObject({
      name: 'shop',
      failure_rate: 0.25,
      severity: 'medium',
      latency_ms: { p50: 600, p95: 870 },
      failure_cluster: null,
    });
    expect(shop.advice.map((a) => [a.kind, a.retryable])).toEqual([['http_4xx', false]]);
    expect(result.advice.map((a) => a.connection)).toEqual(['crm-api', 'crm-api', 'crm-api', 'crm-api', 'shop']);
  });

  it('answers not enough data without finished runs', () => {
    const result = analyzeErrors([run('a', '01:00', 'cancelled', 5)], CONNECTIONS, 7);
    expect(result).toMatchObject({
      status: 'not_enough_data',
      message: 'Not enough data: no finished sync runs in the last 7 days. Run integrations_sync on a connection first.',
      connections: [],
      overall: { runs: 0, cancelled: 1, failure_rate: null, latency_ms: { p50: null, p95: null } },
    });
  });

  it('sees no cluster when every run is in the same hour or failures are spread', () => {
    const sameHour = ['03:00', '03:10', '03:20'].map((at) => run('a', at, 'failed', 1, { errorClass: 'timeout' }));
    expect(failureCluster(sameHour)).toBeNull();
    const spread = ['01:00', '02:00', '03:00', '04:00'].map((at) => run('a', at, 'failed', 1, { errorClass: 'timeout' }));
    expect(failureCluster(spread)).toBeNull();
  });

  it('grades severity by failure rate and sizes timeouts', () => {
    expect([null, 0, 0.1, 0.2, 0.5].map(severityOf)).toEqual(['none', 'none', 'low', 'medium', 'high']);
    // p95 of [1000, 9000] = 1000 + 0.95 × 8000 = 8600 → × 1.5 = 12900 → 13000 > 2 × 5000
    expect(suggestedTimeout(5000, [1000, 9000])).toBe(13_000);
    expect(suggestedTimeout(100_000, [])).toBe(120_000);
  });
});

describe('integrations sync optimization', () => {
  const connections = [
    { id: 'c', name: 'erp', schedule: '1h', timeoutMs: 10_000 },
    { id: 'd', name: 'feed', schedule: null, timeoutMs: 30_000 },
    { id: 'f', name: 'tickets', schedule: '*/10 * * * *', timeoutMs: 10_000 },
    { id: 'e', name: 'idle', schedule: '1d', timeoutMs: 10_000 },
  ];
  const runs: RunSample[] = [
    ...[1000, 1200, 1400, 9500].map((ms, i) => run('c', `0${i}:00`, 'succeeded', ms, { records: 100 })),
    run('d', '01:00', 'succeeded', 100, { records: 6000, inserted: 6000 }),
    run('d', '02:00', 'succeeded', 200, { records: 10, updated: 10 }),
    run('d', '03:00', 'succeeded', 300, { records: 10, updated: 5 }),
    run('d', '04:00', 'failed', 50, { errorClass: 'network' }),
    ...['01:00', '02:00', '03:00'].map((at) => run('f', at, 'succeeded', 100, { records: 10, updated: 10 })),
  ];

  it('derives timeout, schedule and pagination advice by hand', () => {
    const result = optimizeSyncs(runs, connections, 30);
    expect(result.without_runs).toEqual(['idle']);
    const [erp, feed, tickets] = result.connections;
    // erp: success p95 of [1000 1200 1400 9500] = 1400 + 0.85 × 8100 = 8285 > 0.8 × 10000 → 1.5 × 8285 = 12427.5 → 13000.
    // Every run changed nothing → no_change_share 1 → double the 1h interval.
    expect(erp).toMatchObject({
      interval_seconds: 3600,
      succeeded: 4,
      success_latency_ms: { p50: 1300, p95: 8285 },
      records_per_run: { avg: 100, max: 100 },
      change_ratio: 0,
      no_change_share: 1,
    });
    expect(erp.recommendations.map((r) => [r.kind, r.suggested])).toEqual([
      ['raise_timeout', 13_000],
      ['increase_interval', '2h'],
    ]);
    // feed: success p95 of [100 200 300] = 290 < 10 % of 30000 → max(1000, 870 → 1000); 6015 of 6020 records changed.
    expect(feed).toMatchObject({
      failure_rate: 0.25,
      change_ratio: 0.9992,
      no_change_share: 0,
      records_per_run: { avg: 2006.67, max: 6000 },
    });
    expect(feed.recommendations.map((r) => [r.kind, r.suggested])).toEqual([
      ['lower_timeout', 1000],
      ['paginate', null],
      ['set_schedule', null],
      ['fix_failures', null],
    ]);
    // tickets: every run changed every record (ratio 1) on a 10-minute cron → suggest 5m.
    expect(tickets.recommendations.map((r) => [r.kind, r.suggested])).toEqual([
      ['lower_timeout', 1000],
      ['decrease_interval', '5m'],
    ]);
  });

  it('answers not enough data without runs', () => {
    expect(optimizeSyncs([], connections, 30)).toMatchObject({
      status: 'not_enough_data',
      without_runs: ['erp', 'feed', 'tickets', 'idle'],
      recommendations: [],
    });
  });
});
