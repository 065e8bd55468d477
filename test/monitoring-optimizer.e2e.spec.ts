import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RoutingOverrideStore } from '../src/delegation/routing-override.store.js';
import { clearMonitoringTables, insertSteps, insertTasks, type StepRow, type TaskRow } from './support/task-row.factory.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface RecommendationBody {
  category: string;
  priority: string;
  strategy?: string;
  task_type?: string;
  recommendation: string;
  details: Record<string, unknown>;
  expected_impact: string;
  applicable: boolean;
  applied: boolean;
}

const times = (n: number, row: TaskRow | ((i: number) => TaskRow)): TaskRow[] =>
  Array.from({ length: n }, (_, i) => (typeof row === 'function' ? row(i) : { ...row }));

/** A week of ordinary traffic that no rule should find anything wrong with. */
function healthyHistory(): TaskRow[] {
  return [
    ...times(20, (i) => ({ type: 'get_task_list', strategy: 'direct_db', durationMs: 15 + i, parameters: { limit: 10 } })),
    ...times(8, (i) => ({
      type: 'crm_lead_scoring',
      strategy: 'single_agent',
      durationMs: 4000 + i * 100,
      costUsd: 0.002,
      parameters: { lead: i },
    })),
    ...times(6, (i) => ({
      type: 'analytics_report_generation',
      strategy: 'multi_agent',
      durationMs: 40_000 + i * 1000,
      costUsd: 0.01,
      agentsUsed: ['analytics_supervisor', 'analytics_reporting_specialist', 'analytics_data_worker'],
      parameters: { period: `2025-0${i + 1}` },
      queueWaitMs: 2000,
    })),
    ...times(5, (i) => ({
      type: 'crm_comprehensive_analysis',
      strategy: 'crew_workflow',
      durationMs: 50_000 - i * 1000,
      costUsd: 0.03,
      agentsUsed: ['master_business_supervisor', 'crm_supervisor', 'analytics_supervisor'],
      parameters: { segment: i },
      queueWaitMs: 3000,
    })),
  ];
}

describe('optimizer: recommendations from measured history, applied as routing overrides', () => {
  let testApp: TestApp;
  let db: DataSource;
  const http = () => request(testApp.app.getHttpServer());
  const optimize = async (query = '') =>
    (await http().post(`/api/crew/optimize${query}`).expect(200)).body as {
      recommendations: RecommendationBody[];
      applied_now: { id: string; task_type: string | null; from_strategy: string; to_strategy: string; reason: string }[];
      active_overrides: { id: string; task_type: string | null; from_strategy: string; to_strategy: string }[];
      period_hours: number;
    };
  const byCategory = async (category: string, query = '') => (await optimize(query)).recommendations.filter((r) => r.category === category);

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

  it('finds nothing to recommend in healthy history', async () => {
    const ids = await insertTasks(db, healthyHistory());
    await insertSteps(
      db,
      ids.slice(20, 28).map((taskId) => ({ taskId, agentId: 'crm_lead_specialist' })),
    );
    const body = await optimize();
    expect(body.recommendations).toEqual([]);
    expect(body.period_hours).toBe(24);
    expect(body.applied_now).toEqual([]);
    expect(body.active_overrides).toEqual([]);
  });

  it('over-provisioned: crew workflows that finish fast with one agent → run them as single_agent (applicable)', async () => {
    const fast: TaskRow = {
      type: 'crm_comprehensive_analysis',
      strategy: 'crew_workflow',
      durationMs: 4200,
      costUsd: 0.02,
      agentsUsed: ['crm_customer_specialist'],
    };
    await insertTasks(db, [...times(5, fast), ...times(3, { ...fast, strategy: 'single_agent', durationMs: 3000, costUsd: 0.004 })]);
    const [found, ...rest] = await byCategory('strategy');
    expect(rest).toEqual([]);
    expect(found).toEqual({
      category: 'strategy',
      priority: 'high',
      strategy: 'crew_workflow',
      task_type: 'crm_comprehensive_analysis',
      recommendation:
        'Run crm_comprehensive_analysis as single_agent instead of crew_workflow: 100% of its tasks used one agent and finished in a median 4.2 s',
      details: { completed_tasks: 5, median_seconds: 4.2, single_agent_share: 1, avg_cost_usd: 0.02 },
      expected_impact:
        'single_agent runs of crm_comprehensive_analysis took a median 3 s at $0.004 per task, against 4.2 s at $0.02 with crew_workflow',
      applicable: true,
      applied: false,
    });
  });

  it('over-provisioned does not fire for slow runs, several agents (reported or traced), or too few tasks', async () => {
    const base: TaskRow = { type: 'crm_comprehensive_analysis', strategy: 'multi_agent', durationMs: 4200, agentsUsed: ['crm_supervisor'] };
    await insertTasks(db, times(5, { ...base, durationMs: 15_001 }));
    expect(await byCategory('strategy')).toEqual([]);

    await clearMonitoringTables(db);
    await insertTasks(db, times(5, { ...base, agentsUsed: ['crm_supervisor', 'crm_lead_specialist'] }));
    expect(await byCategory('strategy')).toEqual([]);

    await clearMonitoringTables(db);
    const ids = await insertTasks(db, times(5, base));
    // One agent reported, but the trace shows two agents worked on each task.
    await insertSteps(
      db,
      ids.flatMap((taskId) => [
        { taskId, agentId: 'crm_supervisor' },
        { taskId, agentId: 'crm_lead_specialist' },
      ]),
    );
    expect(await byCategory('strategy')).toEqual([]);

    await clearMonitoringTables(db);
    await insertTasks(db, times(4, base));
    expect(await byCategory('strategy')).toEqual([]);

    await clearMonitoringTables(db);
    await insertTasks(db, times(5, base));
    expect((await byCategory('strategy')).map((r) => [r.priority, r.strategy, r.expected_impact])).toEqual([
      [
        'medium',
        'multi_agent',
        'Fewer LLM calls per task: no supervisor planning and synthesis around work one agent already does (now $0 per task)',
      ],
    ]);
  });

  it('repeated identical inputs → caching advice; not when inputs differ, come from other tenants, or the cache answers them', async () => {
    const repeat: TaskRow = {
      type: 'crm_lead_scoring',
      strategy: 'single_agent',
      parameters: { lead_id: 7, weights: { a: 1, b: 2 } },
      costUsd: 0.01,
    };
    await insertTasks(db, [...times(6, repeat), { ...repeat, parameters: { weights: { b: 2, a: 1 }, lead_id: 7 } }]);
    expect(await byCategory('caching')).toEqual([
      {
        category: 'caching',
        priority: 'high',
        task_type: 'crm_lead_scoring',
        recommendation:
          'Repeated inputs of crm_lead_scoring miss the cache: raise CREW_CACHE_TTL_SECONDS so identical requests are answered from it',
        // Key order does not matter: jsonb compares the same object the same way.
        details: { tasks: 7, distinct_inputs: 1, repeated: 6, cache_hits: 0, avg_cost_usd: 0.01 },
        expected_impact: 'Up to 6 LLM runs (86%) answered from the cache, about $0.06 less per window',
        applicable: false,
        applied: false,
      },
    ]);

    await clearMonitoringTables(db);
    await insertTasks(
      db,
      times(7, (i) => ({ ...repeat, parameters: { lead_id: i } })),
    );
    expect(await byCategory('caching')).toEqual([]);

    await clearMonitoringTables(db);
    await insertTasks(
      db,
      times(7, (i) => ({ ...repeat, tenantId: `tenant_${i}` })),
    );
    expect(await byCategory('caching')).toEqual([]);

    await clearMonitoringTables(db);
    await insertTasks(
      db,
      times(7, (i) => ({ ...repeat, cacheHit: i > 0 })),
    );
    expect(await byCategory('caching')).toEqual([]);

    // Direct tasks are cheap to repeat; caching is about LLM work.
    await clearMonitoringTables(db);
    await insertTasks(db, times(7, { ...repeat, strategy: 'direct_db' }));
    expect(await byCategory('caching')).toEqual([]);
  });

  it('costly task types: $0.05 per task or more fires (high from $0.50); $0.049999 does not', async () => {
    await insertTasks(db, [
      ...times(5, { type: 'analytics_insights', costUsd: 0.05, inputTokens: 9000, outputTokens: 1000 }),
      ...times(5, { type: 'crm_churn_analysis', costUsd: 0.5 }),
      ...times(5, { type: 'crm_lead_scoring', costUsd: 0.049999 }),
      ...times(4, { type: 'cms_content_generation', costUsd: 2 }),
    ]);
    const found = await byCategory('cost');
    expect(found.map((r) => [r.task_type, r.priority])).toEqual([
      ['crm_churn_analysis', 'high'],
      ['analytics_insights', 'medium'],
    ]);
    expect(found[1].details).toEqual({
      tasks: 5,
      cost_usd: 0.25,
      avg_cost_usd: 0.05,
      share_of_cost: Math.round((0.25 / 10.999995) * 1000) / 1000,
      avg_tokens: 10000,
    });
    expect(found[1].applicable).toBe(false);
  });

  it('slow strategies: p95 at the execution-time warning threshold (60 s) fires, high from 120 s; 59.999 s does not', async () => {
    await insertTasks(db, [
      ...times(5, { strategy: 'multi_agent', durationMs: 60_000 }),
      ...times(5, { strategy: 'crew_workflow', durationMs: 120_000, status: 'timed_out' }),
      ...times(5, { strategy: 'single_agent', durationMs: 59_999 }),
    ]);
    const found = await byCategory('performance');
    expect(found.map((r) => [r.strategy, r.priority])).toEqual([
      ['crew_workflow', 'high'],
      ['multi_agent', 'medium'],
    ]);
    expect(found[0].details).toEqual({ tasks: 5, avg_seconds: 120, median_seconds: 120, p95_seconds: 120, timed_out_share: 1 });
  });

  it('failing agents: 20% failed steps fires (high from 50%); below 20% or under 5 steps does not', async () => {
    const [taskId] = await insertTasks(db, [{}]);
    const steps = (agentId: string, total: number, failed: number, error: string): StepRow[] =>
      Array.from({ length: total }, (_, i) => ({
        taskId,
        agentId,
        status: i < failed ? 'failed' : 'completed',
        error: i < failed ? error : null,
      }));
    await insertSteps(db, [
      ...steps('crm_email_worker', 5, 1, 'SMTP 451'),
      ...steps('billing_payment_worker', 5, 3, 'gateway timeout'),
      ...steps('cms_seo_worker', 6, 1, 'title too long'),
      ...steps('cms_publish_worker', 4, 4, 'denied'),
    ]);
    const found = await byCategory('reliability');
    expect(found.map((r) => [r.details.agent_id, r.priority])).toEqual([
      ['billing_payment_worker', 'high'],
      ['crm_email_worker', 'medium'],
    ]);
    expect(found[0]).toMatchObject({
      recommendation:
        'Agent billing_payment_worker fails 60% of its steps: review its tools, inputs and prompt (most common error: gateway timeout)',
      details: { agent_id: 'billing_payment_worker', steps: 5, failed_steps: 3, failure_rate: 0.6 },
      applicable: false,
    });
  });

  it('queue saturation: p95 queue wait at 30 s fires with the MAX_CONCURRENT_WORKFLOWS advice; 29.999 s does not', async () => {
    await insertTasks(db, times(5, { queueWaitMs: 29_999 }));
    expect(await byCategory('scaling')).toEqual([]);
    await clearMonitoringTables(db);
    await insertTasks(db, times(5, { queueWaitMs: 30_000 }));
    expect(await byCategory('scaling')).toEqual([
      {
        category: 'scaling',
        priority: 'medium',
        recommendation:
          'Queued tasks wait too long (p95 30 s): raise MAX_CONCURRENT_WORKFLOWS (now 10 per instance) or add instances with WORKER_ENABLED=true',
        details: { queued_tasks: 5, avg_wait_seconds: 30, p95_wait_seconds: 30, max_concurrent_workflows: 10, worker_enabled: 'true' },
        expected_impact: 'Doubling capacity to 20 slots roughly halves the wait while workers are the bottleneck',
        applicable: false,
        applied: false,
      },
    ]);
  });

  it('apply=true writes routing overrides for the safe ones only; later calls show them applied; the store returns them', async () => {
    const fast = (i: number): TaskRow => ({
      type: 'crm_comprehensive_analysis',
      strategy: 'crew_workflow',
      durationMs: 3000,
      agentsUsed: ['crm_customer_specialist'],
      parameters: { run: i },
    });
    await insertTasks(db, [...times(5, fast), ...times(5, (i) => ({ type: 'crm_churn_analysis', costUsd: 0.5, parameters: { run: i } }))]);

    const preview = await optimize();
    expect(preview.recommendations.map((r) => [r.category, r.applicable, r.applied])).toEqual([
      ['strategy', true, false],
      ['cost', false, false],
    ]);
    expect(preview.active_overrides).toEqual([]);

    const applied = await optimize('?apply=true');
    expect(applied.applied_now).toHaveLength(1);
    expect(applied.applied_now[0]).toMatchObject({
      task_type: 'crm_comprehensive_analysis',
      from_strategy: 'crew_workflow',
      to_strategy: 'single_agent',
    });
    expect(applied.applied_now[0].reason).toBe(preview.recommendations[0].recommendation);
    expect(applied.active_overrides).toEqual([expect.objectContaining({ id: applied.applied_now[0].id })]);
    expect(applied.recommendations.map((r) => [r.category, r.applied])).toEqual([
      ['strategy', true],
      ['cost', false],
    ]);

    const later = await optimize();
    expect(later.applied_now).toEqual([]);
    expect(later.recommendations[0].applied).toBe(true);
    expect(later.active_overrides.map((o) => o.id)).toEqual([applied.applied_now[0].id]);

    // Applying again changes nothing: one active override per task type and strategy.
    expect((await optimize('?apply=true')).applied_now).toEqual([]);
    expect(await db.query(`SELECT task_type, from_strategy, to_strategy, active FROM routing_overrides`)).toEqual([
      { task_type: 'crm_comprehensive_analysis', from_strategy: 'crew_workflow', to_strategy: 'single_agent', active: true },
    ]);
    const store = testApp.app.get(RoutingOverrideStore);
    expect(
      (await store.activeOverrides()).map((o) => ({ taskType: o.taskType, fromStrategy: o.fromStrategy, toStrategy: o.toStrategy })),
    ).toEqual([{ taskType: 'crm_comprehensive_analysis', fromStrategy: 'crew_workflow', toStrategy: 'single_agent' }]);
    expect(await store.resolve('crm_comprehensive_analysis', 'crew_workflow')).toMatchObject({ toStrategy: 'single_agent' });
    expect(await store.resolve('crm_comprehensive_analysis', 'multi_agent')).toBeUndefined();
    expect(await store.resolve('other_type', 'crew_workflow')).toBeUndefined();

    expect(await store.revoke(applied.applied_now[0].id)).toBe(true);
    expect(await store.activeOverrides()).toEqual([]);
    expect((await optimize()).recommendations[0].applied).toBe(false);
  });

  it('an applied override changes the next routing decision of the delegation engine', async () => {
    const body = {
      type: 'orchestrate_partner_review',
      description: 'Orchestrate a comprehensive partner review workflow',
      tenant_id: 'acme',
      requires_ai: true,
    };
    const before = await http().post('/api/crew/delegation/analyze').send(body).expect(200);
    expect(before.body.delegation.strategy).toBe('crew_workflow');

    await insertTasks(db, times(5, { type: body.type, strategy: 'crew_workflow', durationMs: 2500, agentsUsed: ['crm_supervisor'] }));
    expect((await optimize('?apply=true')).applied_now).toHaveLength(1);

    const after = await http().post('/api/crew/delegation/analyze').send(body).expect(200);
    expect(after.body.delegation).toMatchObject({ strategy: 'single_agent', rule: 'routing_override' });
  });

  it('refuses a malformed apply or window with 422', async () => {
    const apply = await http().post('/api/crew/optimize?apply=yes').expect(422);
    expect(apply.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(apply.body.errors).toEqual([{ field: 'apply', message: 'apply must be true or false' }]);
    const hours = await http().post('/api/crew/optimize?hours=0').expect(422);
    expect(hours.body.errors[0].field).toBe('hours');
  });
});
