import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'delegation-tenant';
const LEAD = { email: 'cto@techcorp.com', company: 'TechCorp', role: 'CTO', engagement_score: 85, website_visits: 12 };
const CUSTOMERS = [
  { customer_id: 'a', ltv: 15000, engagement_score: 92, churn_risk: 0.1 },
  { customer_id: 'b', ltv: 200, engagement_score: 20, churn_risk: 0.8 },
  { customer_id: 'c', ltv: 14000, engagement_score: 88, churn_risk: 0.15 },
  { customer_id: 'd', ltv: 300, engagement_score: 25, churn_risk: 0.7 },
];

describe('delegation engine, hierarchy, catalogue and self-tests (deterministic mode)', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());
  const execute = (body: Record<string, unknown>) => http().post('/api/crew/execute').set('X-Tenant-ID', TENANT).send(body);

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('has exactly 31 agents: 1 master, 6 domain supervisors, 12 specialists, 12 workers', async () => {
    const response = await http().get('/api/crew/agents').expect(200);
    expect(response.body.total).toBe(31);
    const all: { id: string; tier: string; reports_to: string | null; subordinates: unknown[] }[] = [];
    const walk = (node: any) => {
      all.push(node);
      node.subordinates.forEach(walk);
    };
    response.body.hierarchy.forEach(walk);
    expect(all).toHaveLength(31);
    const byTier = all.reduce<Record<string, number>>((counts, agent) => ({ ...counts, [agent.tier]: (counts[agent.tier] ?? 0) + 1 }), {});
    expect(byTier).toEqual({ master: 1, supervisor: 6, specialist: 12, worker: 12 });
    expect(response.body.hierarchy).toHaveLength(1);
    expect(response.body.hierarchy[0].id).toBe('master_business_supervisor');
    expect(response.body.hierarchy[0].subordinates.map((s: { id: string }) => s.id).sort()).toEqual([
      'analytics_supervisor',
      'billing_supervisor',
      'cms_supervisor',
      'crm_supervisor',
      'ecommerce_supervisor',
      'integrations_supervisor',
    ]);
    for (const agent of all) {
      expect(agent).toMatchObject({
        role: expect.any(String),
        goal: expect.any(String),
        backstory: expect.any(String),
        max_iterations: expect.any(Number),
      });
    }
  });

  it('lists every task type with parameter and result schemas generated from the DTOs', async () => {
    const response = await http().get('/api/crew/catalogue').expect(200);
    const insights = response.body.domains.analytics.find((entry: { type: string }) => entry.type === 'analytics_insights_generation');
    expect(insights).toMatchObject({
      default_strategy: 'single_agent',
      requires_ai: true,
      parameters_schema: {
        properties: { metrics: { type: 'object' }, z_threshold: { type: 'number', minimum: 1, maximum: 10 } },
        required: ['metrics'],
      },
    });
    expect(response.body.domains.crm.map((entry: { type: string }) => entry.type)).toEqual(
      expect.arrayContaining(['crm_lead_scoring', 'crm_customer_segmentation', 'comprehensive_crm_analysis']),
    );
  });

  it.each([
    ['crm_lead_scoring', { lead_data: LEAD }, {}, 'single_agent', ['crm_lead_specialist']],
    [
      'crm_customer_segmentation',
      { customer_data: CUSTOMERS, segment_count: 2 },
      { data_volume: 50_000, requires_ai: true },
      'multi_agent',
      ['crm_supervisor', 'crm_customer_specialist', 'crm_data_processor'],
    ],
    [
      'comprehensive_crm_analysis',
      { leads: [LEAD], customers: CUSTOMERS, metrics: { revenue: [1, 2, 3, 40] } },
      { multi_domain: true, requires_ai: true },
      'crew_workflow',
      ['master_business_supervisor', 'crm_supervisor', 'analytics_supervisor'],
    ],
  ])('routes %s to its strategy and runs it with the right agents', async (type, parameters, extra, strategy, agents) => {
    const response = await execute({ type, description: `Run ${type}`, parameters, ...extra }).expect(200);
    expect(response.body).toMatchObject({
      status: 'completed',
      strategy_used: strategy,
      execution_type: strategy,
      metrics: { ai_mode: 'deterministic', llm_calls: 0, fallback_chain: [strategy] },
    });
    expect(response.body.agents_used).toEqual(expect.arrayContaining(agents));
    expect(response.body.result.narrative).toBeNull();
  });

  it('honours preferred_strategy and force_crew, and says when a preference cannot apply', async () => {
    const preferred = await execute({
      type: 'crm_lead_scoring',
      description: 'Score',
      parameters: { lead_data: LEAD },
      preferred_strategy: 'multi_agent',
    }).expect(200);
    expect(preferred.body.delegation).toMatchObject({ strategy: 'multi_agent', rule: 'preferred_strategy' });
    const forced = await execute({
      type: 'crm_lead_scoring',
      description: 'Score',
      parameters: { lead_data: LEAD },
      force_crew: true,
    }).expect(200);
    expect(forced.body).toMatchObject({ strategy_used: 'crew_workflow', status: 'completed' });
    expect(forced.body.agents_used).toEqual(
      expect.arrayContaining(['master_business_supervisor', 'crm_supervisor', 'crm_lead_specialist']),
    );
    // Any domain type can be forced into a crew (what a hierarchical crew does for everything), even plain CRUD.
    const crud = await execute({ type: 'get_customer_list', description: 'List customers', force_crew: true }).expect(200);
    expect(crud.body).toMatchObject({ status: 'completed', strategy_used: 'crew_workflow', execution_type: 'crew_workflow' });
    expect(crud.body.agents_used).toEqual(expect.arrayContaining(['master_business_supervisor', 'crm_supervisor']));
    const refused = await execute({ type: 'get_task_list', description: 'List tasks', preferred_strategy: 'multi_agent' }).expect(200);
    expect(refused.body.strategy_used).toBe('direct_db');
    expect(refused.body.delegation.reasoning).toContain('preferred_strategy multi_agent');
    expect(refused.body.recommendations).toEqual(
      expect.arrayContaining([expect.stringContaining('preferred_strategy multi_agent was not applied')]),
    );
  });

  it('previews a decision with /delegation/analyze without creating a task', async () => {
    const before = (await http().get('/api/crew/tasks').set('X-Tenant-ID', TENANT).expect(200)).body.items.length;
    const response = await http()
      .post('/api/crew/delegation/analyze')
      .set('X-Tenant-ID', TENANT)
      .send({ type: 'crm_customer_segmentation', description: 'Segment customers', requires_ai: true, data_volume: 50_000 })
      .expect(200);
    expect(response.body).toMatchObject({
      in_catalogue: true,
      delegation: { strategy: 'multi_agent', estimate_source: expect.stringMatching(/^(static|history)$/) },
      budget: { allowed: true, remaining: null },
    });
    expect(response.body.delegation.estimated_time).toBeGreaterThan(0);
    const after = (await http().get('/api/crew/tasks').set('X-Tenant-ID', TENANT).expect(200)).body.items.length;
    expect(after).toBe(before);
    const bad = await http()
      .post('/api/crew/delegation/analyze')
      .set('X-Tenant-ID', TENANT)
      .send({ type: 'x', description: 'd' })
      .expect(422);
    expect(bad.body.errors[0].field).toBe('type');
  });

  it('answers 422 pointing to the catalogue for a free-form type without an LLM', async () => {
    const response = await execute({ type: 'forecast_next_quarter', description: 'Forecast revenue', requires_ai: true }).expect(422);
    expect(response.body).toMatchObject({ catalogue: '/api/crew/catalogue', errors: [{ field: 'type' }] });
  });

  it('rejects CRM input that breaks the algorithm rules with the field named', async () => {
    const response = await execute({
      type: 'crm_customer_segmentation',
      description: 'Segment',
      parameters: { customer_data: CUSTOMERS, segment_count: 9 },
    }).expect(422);
    expect(response.body.errors[0].field).toMatch(/^parameters\.segment_count/);
  });

  it('passes both self-tests', async () => {
    const simple = await http().post('/api/crew/test/simple-task').expect(200);
    expect(simple.body).toMatchObject({
      test_type: 'simple_task',
      status: 'success',
      result: { status: 'completed', strategy_used: 'direct_db' },
    });
    const complex = await http().post('/api/crew/test/complex-workflow').expect(200);
    expect(complex.body).toMatchObject({
      test_type: 'complex_workflow',
      status: 'success',
      checks: { completed: true, crew_workflow: true, master: true, crm: true, analytics: true },
      result: { status: 'completed', strategy_used: 'crew_workflow', metrics: { ai_mode: 'deterministic' } },
    });
    expect(Object.keys(complex.body.result.result)).toEqual(
      expect.arrayContaining(['insights', 'lead_scoring', 'narrative', 'parts', 'segmentation']),
    );
    expect(complex.body.result.result.insights.metrics[0].anomalies).toEqual([expect.objectContaining({ index: 4, value: 160 })]);
  });
});
