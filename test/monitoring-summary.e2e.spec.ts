import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { METRIC_TYPES } from '../src/monitoring/dto/monitoring-query.dto.js';
import { EXPORT_COLUMNS } from '../src/monitoring/export.service.js';
import { groupedStats, overallStats, windowStats } from '../src/tasks/statistics/task-stats.queries.js';
import { clearMonitoringTables, insertSteps, insertTasks, type TaskRow } from './support/task-row.factory.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PROBLEM_JSON = /^application\/problem\+json/;

/** PostgreSQL's percentile_cont: linear interpolation between the two nearest ranks, computed independently here. */
function percentileCont(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
/** The API's seconds: milliseconds rounded to whole ms, divided by 1000. */
const seconds = (ms: number) => Math.round(ms) / 1000;

describe('monitoring reports (summary, status, statistics, series, export)', () => {
  let testApp: TestApp;
  let db: DataSource;
  const http = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    testApp = await createTestApp();
    db = testApp.app.get(DataSource);
  });
  afterAll(async () => {
    await testApp?.dispose();
  });
  beforeEach(async () => {
    await clearMonitoringTables(db);
  });

  it('windowStats (one GROUPING SETS scan) equals the overall and per-column queries it replaces', async () => {
    await insertTasks(db, [
      { status: 'completed', durationMs: 100, strategy: 'single_agent', domain: 'crm', type: 'crm_lead_scoring', costUsd: 0.01 },
      { status: 'completed', durationMs: 250, strategy: 'single_agent', domain: 'crm', type: 'crm_lead_scoring' },
      { status: 'failed', durationMs: 900, strategy: 'multi_agent', domain: 'analytics', type: 'analytics_report_generation' },
      { status: 'completed', durationMs: 40, strategy: 'direct_db', domain: null, type: 'get_task_list' },
      { status: 'pending', durationMs: null, strategy: null, domain: null, type: 'system_probe', queued: true },
      {
        status: 'completed',
        durationMs: 5000,
        strategy: 'multi_agent',
        domain: 'analytics',
        type: 'analytics_report_generation',
        ageS: 7200,
      },
    ]);
    for (const filter of [{}, { windowS: 3600 }, { windowS: 3600, domain: 'crm' }]) {
      const both = await windowStats(db, ['strategy', 'domain', 'type'], filter);
      expect(both.overall).toEqual(await overallStats(db, filter));
      expect(both.groups.strategy).toEqual(await groupedStats(db, 'strategy', filter));
      expect(both.groups.domain).toEqual(await groupedStats(db, 'domain', filter));
      expect(both.groups.type).toEqual(await groupedStats(db, 'type', filter));
    }
    // No task in the window: the overall row is still there (zeros), every grouping empty.
    const none = await windowStats(db, ['strategy'], { windowS: 3600, domain: 'billing' });
    expect(none.overall).toEqual(await overallStats(db, { windowS: 3600, domain: 'billing' }));
    expect(none.overall.executions).toBe(0);
    expect(none.groups.strategy).toEqual([]);
  });

  describe('GET /performance/summary', () => {
    // Ended tasks inside the 24 h window (the ones the percentiles measure).
    const single: TaskRow[] = (
      [
        { durationMs: 120, status: 'completed' },
        { durationMs: 340, status: 'completed' },
        { durationMs: 561, status: 'completed' },
        { durationMs: 1503, status: 'failed' },
        { durationMs: 2210, status: 'completed' },
        { durationMs: 3333, status: 'completed' },
        { durationMs: 4001, status: 'timed_out' },
      ] as TaskRow[]
    ).map((row) => ({ ...row, strategy: 'single_agent', domain: 'crm', type: 'crm_lead_scoring' }));
    const multi: TaskRow[] = (
      [
        { durationMs: 7777, status: 'completed' },
        { durationMs: 8123, status: 'completed' },
        { durationMs: 15007, status: 'failed' },
        { durationMs: 31013, status: 'completed' },
        { durationMs: 45029, status: 'completed' },
        { durationMs: 61031, status: 'completed' },
      ] as TaskRow[]
    ).map((row) => ({ ...row, strategy: 'multi_agent', domain: 'analytics', type: 'analytics_report_generation' }));
    const ended = [...single, ...multi];
    // Present in the window but not measured: cancelled (time is the caller's), running and pending.
    const unmeasured: TaskRow[] = [
      { status: 'cancelled', durationMs: 999_999, strategy: 'multi_agent', domain: 'analytics' },
      { status: 'running', durationMs: null, strategy: 'single_agent', domain: 'crm' },
      { status: 'pending', durationMs: null, strategy: 'single_agent', domain: 'crm', queued: true, ageS: 5 },
    ];
    const old: TaskRow = { status: 'completed', durationMs: 900_000, strategy: 'single_agent', domain: 'crm', ageS: 25 * 3600 };

    it('execution time avg/median/p95 equal an independent percentile_cont over the same tasks, per window and strategy', async () => {
      await insertTasks(db, [...ended, ...unmeasured, old]);
      const durations = ended.map((row) => row.durationMs as number);

      const day = await http().get('/api/crew/performance/summary?hours=24').expect(200);
      expect(day.body.execution_time).toEqual({
        avg_seconds: seconds(average(durations)),
        median_seconds: seconds(percentileCont(durations, 0.5)),
        p95_seconds: seconds(percentileCont(durations, 0.95)),
        max_seconds: 61.031,
        measured: 13,
        by_strategy: {
          single_agent: {
            avg_seconds: seconds(average(single.map((r) => r.durationMs as number))),
            median_seconds: seconds(
              percentileCont(
                single.map((r) => r.durationMs as number),
                0.5,
              ),
            ),
            p95_seconds: seconds(
              percentileCont(
                single.map((r) => r.durationMs as number),
                0.95,
              ),
            ),
          },
          multi_agent: {
            avg_seconds: seconds(average(multi.map((r) => r.durationMs as number))),
            median_seconds: seconds(
              percentileCont(
                multi.map((r) => r.durationMs as number),
                0.5,
              ),
            ),
            p95_seconds: seconds(
              percentileCont(
                multi.map((r) => r.durationMs as number),
                0.95,
              ),
            ),
          },
        },
      });
      // p95 of the 13 lies between ranks 12 and 13: 45.029 + 0.4 × 16.002 = 51.4298 s.
      expect(day.body.execution_time.p95_seconds).toBe(51.43);
      expect(day.body.execution_time.median_seconds).toBe(4.001);

      // A wider window takes the 25-hour-old task in, and the numbers move exactly as the independent computation says.
      const wider = await http().get('/api/crew/performance/summary?hours=26').expect(200);
      const withOld = [...durations, 900_000];
      expect(wider.body.execution_time).toMatchObject({
        avg_seconds: seconds(average(withOld)),
        median_seconds: seconds(percentileCont(withOld, 0.5)),
        p95_seconds: seconds(percentileCont(withOld, 0.95)),
        max_seconds: 900,
        measured: 14,
      });
    });

    it('answers totals, success rates, queue wait, distribution, tokens, cost, cache, agents and health from the rows', async () => {
      const ids = await insertTasks(db, [
        ...ended.map((row, i) => ({
          ...row,
          tenantId: i % 2 === 0 ? 'tenant_a' : 'tenant_b',
          costUsd: (i + 1) * 0.01,
          inputTokens: 100 * (i + 1),
          outputTokens: 10 * (i + 1),
          cachedTokens: i,
          llmCalls: 1,
          cacheHit: i < 2,
          queueWaitMs: row.strategy === 'multi_agent' ? (i + 1) * 1000 : undefined,
        })),
        ...unmeasured,
        old,
      ]);
      await insertSteps(db, [
        { taskId: ids[0], agentId: 'crm_lead_specialist', durationMs: 1200 },
        { taskId: ids[0], agentId: 'crm_data_processor', durationMs: 800, status: 'failed', error: 'boom' },
        { taskId: ids[1], agentId: 'crm_lead_specialist', durationMs: 1000 },
        { taskId: ids[7], agentId: 'analytics_supervisor', durationMs: 3000 },
        { taskId: ids[7], agentId: 'crm_lead_specialist', durationMs: 500, ageS: 30 * 3600 },
      ]);

      const { body } = await http().get('/api/crew/performance/summary').expect(200);
      expect(body.period.hours).toBe(24);
      expect(new Date(body.period.to).getTime() - new Date(body.period.from).getTime()).toBe(24 * 3600 * 1000);
      expect(body.totals).toEqual({ executions: 16, completed: 10, failed: 2, timed_out: 1, cancelled: 1, running: 1, pending: 1 });
      // Success = completed / (completed + failed + timed_out): cancelled, running and pending count in neither.
      expect(body.success_rate).toEqual({
        overall: 0.7692,
        by_strategy: {
          single_agent: { executions: 9, finished: 7, success_rate: 0.7143 },
          multi_agent: { executions: 7, finished: 6, success_rate: 0.8333 },
        },
        by_domain: {
          crm: { executions: 9, finished: 7, success_rate: 0.7143 },
          analytics: { executions: 7, finished: 6, success_rate: 0.8333 },
        },
      });
      const waits = [8, 9, 10, 11, 12, 13].map((n) => n * 1000);
      expect(body.queue_wait.queued_tasks).toBe(6);
      expect(body.queue_wait.avg_seconds).toBe(seconds(average(waits)));
      expect(body.queue_wait.p95_seconds).toBe(seconds(percentileCont(waits, 0.95)));
      expect(body.queue_wait.oldest_pending_seconds).toBeGreaterThanOrEqual(5);
      expect(body.queue_wait.oldest_pending_seconds).toBeLessThan(60);
      expect(body.strategy_distribution).toEqual({ single_agent: 9, multi_agent: 7 });

      const sum = (f: (i: number) => number) => Array.from({ length: 13 }, (_, i) => f(i)).reduce((a, b) => a + b, 0);
      expect(body.tokens).toEqual({
        input: sum((i) => 100 * (i + 1)),
        output: sum((i) => 10 * (i + 1)),
        cached: sum((i) => i),
        total: sum((i) => 110 * (i + 1)),
        llm_calls: 13,
      });
      expect(body.cost.total_usd).toBeCloseTo(
        sum((i) => (i + 1) * 0.01),
        6,
      );
      expect(body.cost.per_tenant).toEqual([
        { tenant_id: 'tenant_a', executions: 7, cost_usd: 0.49, tokens: 110 * 49 },
        { tenant_id: 'tenant_b', executions: 6, cost_usd: 0.42, tokens: 110 * 42 },
        { tenant_id: 'acme', executions: 3, cost_usd: 0, tokens: 0 },
      ]);
      expect(body.cost.per_task_type[0]).toEqual({
        task_type: 'analytics_report_generation',
        executions: 6,
        cost_usd: 0.63,
        avg_cost_usd: 0.105,
        tokens: 110 * 63,
      });
      expect(body.cost.per_hour.reduce((n: number, h: { executions: number }) => n + h.executions, 0)).toBe(16);
      expect(body.cache).toEqual({ hits: 2, hit_rate: 0.125 });

      // Steps older than the window do not count; utilization = busy seconds / window seconds.
      expect(body.agent_utilization).toEqual([
        {
          agent_id: 'crm_lead_specialist',
          tasks: 2,
          steps: 2,
          failed_steps: 0,
          busy_seconds: 2.2,
          utilization: Math.round((2.2 / 86_400) * 1e6) / 1e6,
          share_of_steps: 0.5,
          cost_usd: 0,
        },
        {
          agent_id: 'analytics_supervisor',
          tasks: 1,
          steps: 1,
          failed_steps: 0,
          busy_seconds: 3,
          utilization: Math.round((3 / 86_400) * 1e6) / 1e6,
          share_of_steps: 0.25,
          cost_usd: 0,
        },
        {
          agent_id: 'crm_data_processor',
          tasks: 1,
          steps: 1,
          failed_steps: 1,
          busy_seconds: 0.8,
          utilization: Math.round((0.8 / 86_400) * 1e6) / 1e6,
          share_of_steps: 0.25,
          cost_usd: 0,
        },
      ]);
      // 10 of 13 succeeded: 23 points off; p95 51.43 s and queue p95 12.75 s are under their warning thresholds.
      expect(body.health).toEqual({ score: 77, status: 'degraded', penalties: [{ reason: 'success rate 76.9%', points: 23 }] });
      expect(body.recent_alerts).toEqual([]);
      expect(Array.isArray(body.recommendations)).toBe(true);
    });

    it('is healthy with score 100 on an empty window, and null where nothing was measured', async () => {
      const { body } = await http().get('/api/crew/performance/summary?hours=1').expect(200);
      expect(body.totals.executions).toBe(0);
      expect(body.success_rate.overall).toBeNull();
      expect(body.execution_time).toMatchObject({ avg_seconds: null, median_seconds: null, p95_seconds: null, measured: 0 });
      expect(body.cache.hit_rate).toBeNull();
      expect(body.health).toEqual({ score: 100, status: 'healthy', penalties: [] });
    });

    it('refuses a bad window with 422 naming hours', async () => {
      for (const hours of ['0', '721', 'abc', '1.5']) {
        const response = await http().get(`/api/crew/performance/summary?hours=${hours}`).expect(422);
        expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['hours']));
      }
      const unknown = await http().get('/api/crew/performance/summary?window=3').expect(422);
      expect(unknown.body.errors).toEqual([{ field: 'window', message: 'is not an allowed field' }]);
    });
  });

  describe('GET /performance/metrics', () => {
    beforeEach(async () => {
      await insertTasks(db, [
        { ageS: 30 * 60, durationMs: 1000, strategy: 'single_agent', domain: 'crm', costUsd: 0.25, inputTokens: 40, outputTokens: 2 },
        { ageS: 30 * 60, durationMs: 3000, strategy: 'multi_agent', domain: 'crm', status: 'failed', costUsd: 0.5 },
        { ageS: 90 * 60, durationMs: 5000, strategy: 'single_agent', domain: 'billing', queueWaitMs: 4000, cacheHit: true },
        { ageS: 5 * 3600, durationMs: 7000, strategy: 'single_agent', domain: 'crm' },
      ]);
    });

    it('answers execution_time as 5-minute buckets over 3 hours, every bucket present, values from the rows', async () => {
      const { body } = await http().get('/api/crew/performance/metrics?metric_type=execution_time&hours=3').expect(200);
      expect(body).toMatchObject({ metric_type: 'execution_time', unit: 'seconds', hours: 3, bucket_seconds: 300 });
      expect(body.filters).toEqual({ strategy: null, domain: null });
      expect(body.points.length).toBeGreaterThanOrEqual(36);
      expect(body.points.length).toBeLessThanOrEqual(37);
      for (const point of body.points) expect(new Date(point.timestamp).getTime() % 300_000).toBe(0);
      const measured = body.points.filter((p: { count: number }) => p.count > 0);
      // The two 30-minute-old tasks share a bucket unless the clock crossed a 5-minute boundary between inserts.
      const values = measured.flatMap((p: { value: number; count: number }) => Array(p.count).fill(p.value) as number[]);
      expect(measured.reduce((n: number, p: { count: number }) => n + p.count, 0)).toBe(3);
      expect(values.sort()).toEqual(measured.length === 2 ? [2, 2, 5] : [1, 3, 5]);
      expect(body.points.filter((p: { count: number }) => p.count === 0).every((p: { value: null }) => p.value === null)).toBe(true);
      expect(body.summary).toEqual({ count: 3, value: 3 });
    });

    it('filters by strategy and domain, and hourly buckets for a day', async () => {
      const byStrategy = await http()
        .get('/api/crew/performance/metrics?metric_type=throughput&strategy=single_agent&hours=24')
        .expect(200);
      expect(byStrategy.body.bucket_seconds).toBe(3600);
      expect(byStrategy.body.points.length).toBeGreaterThanOrEqual(24);
      expect(byStrategy.body.points.length).toBeLessThanOrEqual(25);
      expect(byStrategy.body.filters).toEqual({ strategy: 'single_agent', domain: null });
      expect(byStrategy.body.summary).toEqual({ count: 3, value: 3 });
      const total = byStrategy.body.points.reduce((n: number, p: { value: number }) => n + p.value, 0);
      expect(total).toBe(3);

      const success = await http().get('/api/crew/performance/metrics?metric_type=success_rate&domain=crm&hours=2').expect(200);
      expect(success.body.unit).toBe('ratio');
      expect(success.body.summary).toEqual({ count: 2, value: 0.5 });

      const cost = await http().get('/api/crew/performance/metrics?metric_type=cost&hours=6').expect(200);
      expect(cost.body.bucket_seconds).toBe(900);
      expect(cost.body.summary).toEqual({ count: 4, value: 0.75 });

      const tokens = await http().get('/api/crew/performance/metrics?metric_type=tokens').expect(200);
      expect(tokens.body.summary).toEqual({ count: 4, value: 42 });

      const queue = await http().get('/api/crew/performance/metrics?metric_type=queue_wait&hours=4').expect(200);
      expect(queue.body.summary).toEqual({ count: 1, value: 4 });

      const cache = await http().get('/api/crew/performance/metrics?metric_type=cache_hit_rate&hours=4').expect(200);
      expect(cache.body.summary).toEqual({ count: 3, value: 0.3333 });
    });

    it('answers 422 listing the allowed metric types for an unknown one, and 422 for bad filters', async () => {
      const response = await http().get('/api/crew/performance/metrics?metric_type=latency').expect(422);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toMatchObject({ status: 422, title: 'Unprocessable Content' });
      expect(response.body.errors).toEqual([{ field: 'metric_type', message: `metric_type must be one of: ${METRIC_TYPES.join(', ')}` }]);
      for (const name of METRIC_TYPES) expect(response.body.errors[0].message).toContain(name);

      const strategy = await http().get('/api/crew/performance/metrics?strategy=fastest').expect(422);
      expect(strategy.body.errors[0].field).toBe('strategy');
      const domain = await http().get('/api/crew/performance/metrics?domain=space').expect(422);
      expect(domain.body.errors[0].field).toBe('domain');
    });
  });

  describe('POST /performance/export', () => {
    it('csv: a header row and one row per execution of the window, oldest first; json: the same executions', async () => {
      const ids = await insertTasks(db, [
        { ageS: 3 * 3600, type: 'crm_lead_scoring', domain: 'crm', costUsd: 0.125, durationMs: 1500 },
        { ageS: 2 * 3600, type: 'get_task_list', strategy: 'direct_db', domain: null, durationMs: 12 },
        { ageS: 3600, status: 'pending', queued: true, durationMs: null },
        { ageS: 48 * 3600 },
      ]);
      const csv = await http().post('/api/crew/performance/export?format=csv&hours=24').expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toBe('attachment; filename="crew-executions-24h.csv"');
      const lines = csv.text.split('\r\n').filter((line) => line.length > 0);
      expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
      expect(lines).toHaveLength(1 + 3);
      const rows = lines.slice(1).map((line) => Object.fromEntries(line.split(',').map((cell, i) => [EXPORT_COLUMNS[i], cell])));
      expect(rows.map((row) => row.task_id)).toEqual(ids.slice(0, 3));
      expect(rows[0]).toMatchObject({
        tenant_id: 'acme',
        type: 'crm_lead_scoring',
        domain: 'crm',
        status: 'completed',
        duration_ms: '1500',
        cost_usd: '0.125',
      });
      expect(rows[1]).toMatchObject({ type: 'get_task_list', strategy: 'direct_db', domain: '', duration_ms: '12' });
      expect(rows[2]).toMatchObject({ status: 'pending', duration_ms: '', finished_at: '' });

      const json = await http().post('/api/crew/performance/export?hours=24').expect(200);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(json.body).toMatchObject({ count: 3, truncated: false, period: { hours: 24 } });
      expect(json.body.executions.map((e: { task_id: string }) => e.task_id)).toEqual(ids.slice(0, 3));
      expect(Object.keys(json.body.executions[0])).toEqual([...EXPORT_COLUMNS]);

      const limited = await http().post('/api/crew/performance/export?format=json&limit=2').expect(200);
      expect(limited.body).toMatchObject({ count: 2, truncated: true });
      const empty = await http().post('/api/crew/performance/export?format=csv&hours=1').expect(200);
      expect(empty.text).toBe(`${EXPORT_COLUMNS.join(',')}\r\n`);
    });

    it('refuses an unknown format and a bad limit with 422', async () => {
      const format = await http().post('/api/crew/performance/export?format=xml').expect(422);
      expect(format.body.errors).toEqual([{ field: 'format', message: 'format must be one of: json, csv' }]);
      const limit = await http().post('/api/crew/performance/export?limit=0').expect(422);
      expect(limit.body.errors[0].field).toBe('limit');
    });
  });

  describe('GET /status and GET /statistics', () => {
    it('status: service info, workers, queue depth, monitoring switch, distributions and the 10 most recent decisions', async () => {
      const decision = (i: number) => ({ confidence: 0.5 + i / 100, rule: `rule_${i}`, reasoning: `because ${i}` });
      const ids = await insertTasks(
        db,
        Array.from({ length: 12 }, (_, i) => ({
          ageS: 600 - i * 10,
          strategy: i < 8 ? 'direct_db' : 'crew_workflow',
          complexity: i < 8 ? 'simple' : 'expert',
          decision: decision(i),
        })),
      );
      await insertTasks(db, [{ ageS: 30 * 3600, strategy: 'multi_agent', complexity: 'complex', decision: decision(99) }]);
      const { body } = await http().get('/api/crew/status').expect(200);
      expect(body).toMatchObject({
        service: 'ai-crew-system',
        status: 'operational',
        version: '0.1.0',
        // npm test runs on the Node 24 that the `node` dev dependency installs, whatever the system Node is.
        runtime: { node: expect.stringMatching(/^v24\./) as unknown, node_supported: '>=24.11.0', supported: true, pid: process.pid },
        environment: 'test',
        ai_mode: 'deterministic',
        model: null,
        database: process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded',
        worker: { enabled: true, slots: 10, busy: 0 },
        queue: { depth: 0 },
        monitoring: { active: true, source: 'config', changed_at: null },
        distribution_window_hours: 24,
        strategy_distribution: { crew_workflow: 4, direct_db: 8 },
        complexity_distribution: { expert: 4, simple: 8 },
      });
      expect(body.uptime_seconds).toBeGreaterThan(0);
      expect(body.recent_decisions).toHaveLength(10);
      expect(body.recent_decisions.map((d: { task_id: string }) => d.task_id)).toEqual(ids.slice(2).reverse());
      expect(body.recent_decisions[0]).toMatchObject({
        strategy: 'crew_workflow',
        complexity: 'expert',
        confidence: 0.61,
        rule: 'rule_11',
        reasoning: 'because 11',
      });
    });

    it('statistics: all-time totals by status, strategy, domain and type with success rates, tokens and cost', async () => {
      await insertTasks(db, [
        { strategy: 'direct_db', domain: null, type: 'get_task_list', durationMs: 10 },
        { strategy: 'direct_db', domain: null, type: 'get_task_list', durationMs: 30 },
        {
          strategy: 'single_agent',
          domain: 'crm',
          type: 'crm_lead_scoring',
          status: 'failed',
          costUsd: 0.02,
          inputTokens: 500,
          outputTokens: 50,
          llmCalls: 2,
        },
        {
          strategy: 'single_agent',
          domain: 'crm',
          type: 'crm_lead_scoring',
          ageS: 400 * 24 * 3600,
          costUsd: 0.03,
          inputTokens: 700,
          outputTokens: 70,
          cachedTokens: 100,
          llmCalls: 3,
        },
        { strategy: 'single_agent', domain: 'crm', type: 'crm_lead_scoring', status: 'cancelled' },
      ]);
      const { body } = await http().get('/api/crew/statistics').expect(200);
      expect(body.total_tasks).toBe(5);
      expect(body.by_status).toEqual({ completed: 3, failed: 1, cancelled: 1 });
      expect(body.by_strategy.direct_db).toEqual({
        executions: 2,
        completed: 2,
        failed: 0,
        timed_out: 0,
        cancelled: 0,
        success_rate: 1,
        avg_execution_time: 0.02,
        cost_usd: 0,
      });
      expect(body.by_strategy.single_agent).toMatchObject({
        executions: 3,
        completed: 1,
        failed: 1,
        cancelled: 1,
        success_rate: 0.5,
        cost_usd: 0.05,
      });
      expect(Object.keys(body.by_domain).sort()).toEqual(['crm', 'none']);
      expect(body.by_type.get_task_list.executions).toBe(2);
      expect(body.success_rate).toBe(0.75);
      expect(body.tokens).toEqual({ input: 1200, output: 120, cached: 100, total: 1320, llm_calls: 5 });
      expect(body.cost).toEqual({ total_usd: 0.05, per_task_usd: 0.01 });
      expect(body.cache_hits).toBe(0);
    });
  });
});
