import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableKpis } from '../src/domains/analytics/task-types/kpi-snapshot.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const KPI_TENANT = 'analytics-kpi';
const REPORT_TENANT = 'analytics-report';
const TREND_TENANT = 'analytics-trend';
const TREND_REPORT_TENANT = 'analytics-trend-report';
/** Each task run is part of its tenant's history, so every "empty" check uses a tenant of its own. */
const EMPTY_TENANT = 'analytics-empty';

const CUSTOMERS = [
  { customer_id: 'a', ltv: 15000, engagement_score: 92, churn_risk: 0.1 },
  { customer_id: 'b', ltv: 200, engagement_score: 20, churn_risk: 0.8 },
  { customer_id: 'c', ltv: 14000, engagement_score: 88, churn_risk: 0.15 },
  { customer_id: 'd', ltv: 300, engagement_score: 25, churn_risk: 0.7 },
];

describe('analytics domain through /execute (deterministic mode)', () => {
  let testApp: TestApp;
  let dataSource: DataSource;
  const http = () => request(testApp.app.getHttpServer());
  const execute = (type: string, parameters: Record<string, unknown>, tenant: string, extra: Record<string, unknown> = {}) =>
    http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', tenant)
      .send({ type, description: `Run ${type}`, parameters, ...extra });
  /** A task row `daysAgo` UTC days before today, at 01:00. */
  const seedTask = (
    tenant: string,
    daysAgo: number,
    status: string,
    costUsd = 0,
    durationMs: number | null = null,
    domain: string | null = null,
  ) =>
    dataSource.query(
      `INSERT INTO tasks (tenant_id, type, domain, description, timeout_s, status, cost_usd, duration_ms, created_at)
       VALUES ($1, 'seeded_task', $2, 'seeded', 60, $3, $4, $5,
               (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') - make_interval(days => $6) + interval '1 hour')`,
      [tenant, domain, status, costUsd, durationMs, daysAgo],
    );

  beforeAll(async () => {
    testApp = await createTestApp();
    dataSource = testApp.app.get<DataSource>(getDataSourceToken());
    await seedTask(KPI_TENANT, 1, 'completed', 0.01, 100, 'cms');
    await seedTask(KPI_TENANT, 1, 'completed', 0.02, 300, 'crm');
    await seedTask(KPI_TENANT, 2, 'failed', 0, 200, 'crm');
    await seedTask(KPI_TENANT, 2, 'cancelled');
    await seedTask(KPI_TENANT, 40, 'completed', 5, 100, 'crm'); // outside the 30-day window
    for (const tenant of [KPI_TENANT, REPORT_TENANT]) {
      for (const [status, title] of [
        ['draft', 'One'],
        ['draft', 'Two'],
        ['published', 'Three'],
      ]) {
        await dataSource.query(`INSERT INTO content_items (tenant_id, title, slug, status, published_at) VALUES ($1, $2, $3, $4, $5)`, [
          tenant,
          title,
          title.toLowerCase(),
          status,
          status === 'published' ? new Date() : null,
        ]);
      }
    }
    // Daily activity 2, 4, 6, 8, 10 tasks over the last five UTC days; one failure two days ago.
    for (const tenant of [TREND_TENANT, TREND_REPORT_TENANT]) {
      for (const [daysAgo, count] of [
        [4, 2],
        [3, 4],
        [2, 6],
        [1, 8],
        [0, 10],
      ]) {
        for (let i = 0; i < count; i += 1) await seedTask(tenant, daysAgo, daysAgo === 2 && i === 0 ? 'failed' : 'completed', 0.001);
      }
    }
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('snapshots KPIs across the domains for one tenant, worked by hand', async () => {
    const response = await execute('analytics_kpi_snapshot', {}, KPI_TENANT).expect(200);
    expect(response.body).toMatchObject({ status: 'completed', strategy_used: 'direct_db', metrics: { ai_mode: 'deterministic' } });
    const kpis = response.body.result;
    // In the window: 2 completed, 1 failed, 1 cancelled → success 2 / 3 = 0.6667; cost 0.03; mean duration (100 + 300 + 200) / 3 = 200.
    expect(kpis).toMatchObject({
      status: 'ok',
      window_days: 30,
      tasks: {
        total: 4,
        completed: 2,
        failed: 1,
        cancelled: 1,
        timed_out: 0,
        in_progress: 0,
        success_rate: 0.6667,
        cost_usd: 0.03,
        avg_duration_ms: 200,
        by_domain: { cms: { total: 1, completed: 1 }, crm: { total: 2, completed: 1 }, system: { total: 1, completed: 0 } },
      },
    });
    expect(kpis.domains.cms.content_items).toEqual({
      available: true,
      total: 3,
      created_in_window: 3,
      by_status: { draft: 2, published: 1 },
    });
    expect(kpis.domains.integrations.sync_runs).toEqual({ available: true, total: 0, created_in_window: null, by_status: {} });
    // Whatever the other domains have built: present tables are counted for this tenant only, absent ones are named.
    for (const [domain, tables] of Object.entries(kpis.domains as Record<string, Record<string, { available: boolean }>>)) {
      for (const [table, kpi] of Object.entries(tables)) {
        if (kpi.available) expect(kpi).toMatchObject({ total: expect.any(Number) });
        else expect(kpis.not_available).toContain(`${domain}.${table}`);
      }
    }
    expect(kpis.domains.crm.customers).toMatchObject({ available: true, total: 0 });
    // The tables counted are the ones each domain's supervisor declares in the registry (analytics declares none).
    expect(
      Object.fromEntries(Object.entries(kpis.domains as Record<string, object>).map(([domain, tables]) => [domain, Object.keys(tables)])),
    ).toEqual({
      crm: ['customers', 'leads', 'deals'],
      ecommerce: ['products', 'orders', 'order_items', 'inventory_movements'],
      billing: ['subscriptions', 'subscription_changes', 'invoices', 'payments'],
      cms: ['content_items'],
      integrations: ['integration_connections', 'sync_runs', 'integration_records'],
    });
    expect(kpis.not_available).toEqual([]);
  });

  it('reports a missing table, or one without tenant_id, as not available instead of failing', async () => {
    const kpis = await tableKpis(dataSource.manager, KPI_TENANT, ['content_items', 'no_such_table_xyz', 'llm_rate_limits'], new Date(0));
    expect(kpis).toEqual({
      content_items: { available: true, total: 3, created_in_window: 3, by_status: { draft: 2, published: 1 } },
      no_such_table_xyz: { available: false, reason: 'the table does not exist' },
      llm_rate_limits: { available: false, reason: 'the table has no tenant_id column, so it cannot be read per tenant' },
    });
  });

  it('answers not enough data for a tenant without tasks or records, and never counts another tenant', async () => {
    const response = await execute('analytics_kpi_snapshot', { days: 7 }, EMPTY_TENANT).expect(200);
    expect(response.body.result).toMatchObject({
      status: 'not_enough_data',
      message: `Not enough data: tenant ${EMPTY_TENANT} has no tasks in the last 7 days and no records in the domain tables. Run some tasks or import data first.`,
      tasks: { total: 0, success_rate: null },
      domains: { cms: { content_items: { available: true, total: 0 } } },
    });
    const trends = await execute('analytics_activity_trends', {}, `${EMPTY_TENANT}-2`).expect(200);
    expect(trends.body.result).toMatchObject({ status: 'not_enough_data', days: [], insights: { metrics: [] } });
  });

  it('derives daily series from the task history with trend and anomalies', async () => {
    const response = await execute('analytics_activity_trends', { days: 14 }, TREND_TENANT).expect(200);
    const result = response.body.result;
    expect(result.series).toEqual({
      tasks_per_day: [2, 4, 6, 8, 10],
      failed_per_day: [0, 0, 1, 0, 0],
      cost_usd_per_day: [0.002, 0.004, 0.006, 0.008, 0.01],
    });
    expect(result.days).toHaveLength(5);
    // tasks: slope 2, intercept 2, r² 1; relative change 2 × 4 / mean 6 = 1.333333.
    const tasks = result.insights.metrics.find((m: { metric: string }) => m.metric === 'tasks_per_day');
    expect(tasks).toMatchObject({
      status: 'ok',
      points: 5,
      trend: { slope: 2, intercept: 2, r2: 1, relative_change: 1.333333, direction: 'up' },
      anomalies: [],
    });
    // failed: median 0, MAD 0, mean |dev| 0.2 × 1.2533 = 0.25066 → z(1) = 3.9895 ≥ 3.5.
    const failed = result.insights.metrics.find((m: { metric: string }) => m.metric === 'failed_per_day');
    expect(failed.anomalies).toEqual([{ index: 2, value: 1, robust_z: 3.9895 }]);
  });

  it('runs the insights type on posted metrics', async () => {
    const response = await execute('analytics_insights_generation', { metrics: { revenue: [1, 3, 2, 4] } }, REPORT_TENANT).expect(200);
    expect(response.body.result.metrics[0]).toMatchObject({ metric: 'revenue', trend: { slope: 0.8, intercept: 1.3, r2: 0.64 } });
  });

  it('builds the report as multi-agent work: KPIs by the data worker, insights by the specialist, synthesis by the supervisor', async () => {
    const response = await execute(
      'analytics_report_generation',
      { metrics: { signups: [2, 4, 6, 8, 10], load: [10, 10, 10, 10, 10, 50] } },
      REPORT_TENANT,
    ).expect(200);
    expect(response.body).toMatchObject({
      status: 'completed',
      strategy_used: 'multi_agent',
      metrics: { ai_mode: 'deterministic', llm_calls: 0 },
    });
    expect(response.body.agents_used).toEqual(
      expect.arrayContaining(['analytics_supervisor', 'analytics_data_worker', 'analytics_insights_specialist']),
    );
    expect(response.body.agents_used).not.toContain('analytics_calc_worker');
    const report = response.body.result;
    expect(report).toMatchObject({
      report_type: 'business_report',
      status: 'ok',
      window_days: 30,
      narrative: null,
      kpis: { status: 'ok', domains: { cms: { content_items: { total: 3 } } } },
      insights: { source: 'posted_metrics', summary: { analysed: 2, anomalies: 1 } },
    });
    expect(report.highlights).toEqual(
      expect.arrayContaining([
        'cms.content_items: 3 records (3 new in 30 days).',
        'signups is trending up (+133.3% over the series), r² 1.',
        'load: 1 anomaly at #5 = 50 (z 4.7874).',
      ]),
    );
  });

  it('uses the task history when no metrics are posted, and answers not enough data for an empty tenant', async () => {
    const history = await execute('analytics_report_generation', { days: 14 }, TREND_REPORT_TENANT).expect(200);
    expect(history.body.agents_used).toEqual(
      expect.arrayContaining(['analytics_supervisor', 'analytics_data_worker', 'analytics_calc_worker']),
    );
    expect(history.body.result).toMatchObject({ status: 'ok', insights: { source: 'task_history', summary: { analysed: 3 } } });
    expect(history.body.result.highlights).toContain('tasks_per_day is trending up (+133.3% over the series), r² 1.');

    const empty = await execute('analytics_report_generation', {}, `${EMPTY_TENANT}-3`).expect(200);
    expect(empty.body).toMatchObject({ status: 'completed' });
    expect(empty.body.result).toMatchObject({
      status: 'not_enough_data',
      insights: null,
      message: expect.stringContaining('Not enough data for a report'),
    });
  });

  it('runs the report as a crew across analytics, integrations and CRM through the registry', async () => {
    const response = await execute('analytics_report_generation', { customers: CUSTOMERS, segment_count: 2 }, REPORT_TENANT, {
      multi_domain: true,
    }).expect(200);
    expect(response.body).toMatchObject({
      status: 'completed',
      strategy_used: 'crew_workflow',
      metrics: { fallback_chain: ['crew_workflow'] },
    });
    expect(response.body.agents_used).toEqual(
      expect.arrayContaining(['master_business_supervisor', 'analytics_supervisor', 'integrations_supervisor', 'crm_supervisor']),
    );
    const report = response.body.result;
    expect(report.parts).toEqual(['analytics', 'customers', 'integrations']);
    expect(report).toMatchObject({ report_type: 'business_report', status: 'ok', kpis: { tasks: { total: expect.any(Number) } } });
    expect(report.domains.integrations).toMatchObject({ status: 'not_enough_data' });
    expect(report.domains.crm).not.toBeNull();
  });

  it('falls back to the single-agent path with the same synthesis', async () => {
    const response = await execute('analytics_report_generation', { metrics: { signups: [2, 4, 6, 8, 10] } }, REPORT_TENANT, {
      preferred_strategy: 'single_agent',
    }).expect(200);
    expect(response.body).toMatchObject({ strategy_used: 'single_agent', agents_used: ['analytics_reporting_specialist'] });
    expect(response.body.result).toMatchObject({ status: 'ok', insights: { source: 'posted_metrics' } });
  });

  it('refuses bad report parameters with 422', async () => {
    const response = await execute('analytics_report_generation', { metrics: { revenue: [1, 'x'] }, customers: [1] }, REPORT_TENANT).expect(
      422,
    );
    expect(response.body.errors).toEqual([
      { field: 'parameters.metrics.revenue', message: 'must contain only finite numbers' },
      { field: 'parameters.customers', message: 'must be an array of customer objects' },
    ]);
  });
});
