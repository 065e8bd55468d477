import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustedRandIndex } from './support/crm/adjusted-rand-index.js';
import { plantedCustomers } from './support/crm/crm-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'crm-endpoints';
const PROBLEM_JSON = /^application\/problem\+json/;

const README_LEAD = { email: 'prospect@company.com', company: 'TechCorp Inc', role: 'CTO', engagement_score: 85, website_visits: 12 };
const README_CRITERIA = { engagement_weight: 0.3, demographic_weight: 0.4, behavior_weight: 0.3 };
const README_NURTURING = {
  lead_segments: ['high_value_prospects', 'warm_leads'],
  campaign_objective: 'Convert prospects to demos',
  duration_days: 30,
  touchpoint_frequency: 'weekly',
};
/** The README's segmentation body with five customers of the same fields (segment_count 5 needs at least five). */
const FIVE_CUSTOMERS = [
  { customer_id: 'cust_001', ltv: 15000, engagement_score: 92, churn_risk: 0.1 },
  { customer_id: 'cust_002', ltv: 12000, engagement_score: 85, churn_risk: 0.15 },
  { customer_id: 'cust_003', ltv: 800, engagement_score: 30, churn_risk: 0.7 },
  { customer_id: 'cust_004', ltv: 500, engagement_score: 20, churn_risk: 0.85 },
  { customer_id: 'cust_005', ltv: 4000, engagement_score: 60, churn_risk: 0.3 },
];
const WORKED_PIPELINE = {
  stages: { lead: 200, qualified: 80, proposal: 40, negotiation: 20 },
  conversion_rates: { lead: 0.4, qualified: 0.5, proposal: 0.5, negotiation: 0.5 },
  average_deal_size: 25000,
  sales_cycle_length: 45,
};
/** The same funnel with stages as an ordered array (what /execute needs: task parameters are stored as jsonb, which reorders object keys). */
const WORKED_PIPELINE_ARRAY = {
  ...WORKED_PIPELINE,
  stages: [
    { name: 'lead', count: 200 },
    { name: 'qualified', count: 80 },
    { name: 'proposal', count: 40 },
    { name: 'negotiation', count: 20 },
  ],
};
const WORKED_SUMMARY = {
  open_deals: 340,
  pipeline_value: 8_500_000,
  weighted_value: 1_000_000,
  expected_wins: 40,
  expected_revenue: 1_000_000,
  velocity_per_day: 22_222.22,
  velocity_per_month: 666_666.67,
};

describe('CRM endpoints /api/crew/crm/* (deterministic mode)', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());
  const post = (path: string, body: object, tenant: string | null = TENANT) => {
    const call = http().post(`/api/crew/crm/${path}`);
    return (tenant ? call.set('X-Tenant-ID', tenant) : call).send(body);
  };
  const execute = (body: Record<string, unknown>, tenant = TENANT) =>
    http().post('/api/crew/execute').set('X-Tenant-ID', tenant).send(body);

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  describe("the README's four example requests answer 200", () => {
    it('lead scoring: the README lead scores 83.4 (prospect@company.com is another business domain, F 81.5)', async () => {
      const response = await post('lead-scoring', { lead_data: README_LEAD, scoring_criteria: README_CRITERIA }).expect(200);
      expect(response.body).toMatchObject({
        task_type: 'crm_lead_scoring',
        status: 'completed',
        agent_used: 'crm_lead_specialist',
        agents_used: ['crm_lead_specialist'],
        ai_mode: 'deterministic',
        strategy_used: 'single_agent',
        metrics: { llm_calls: 0, fallback_chain: ['single_agent'], ai_mode: 'deterministic' },
        error: null,
      });
      expect(response.body.task_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(response.body.timestamp)).not.toBeNaN();
      expect(response.body.result).toMatchObject({
        lead_score: 83.4,
        grade: 'A',
        components: { fit: 81.5, engagement: 85, behavior: 84.2 },
        qualification_status: 'sales_ready',
        narrative: null,
        ai_explanation: null,
        model_version: 'crm-lead-scoring/1.0.0',
      });
      // The same task is readable through the task API (persisted, traced).
      const task = await http().get(`/api/crew/task/${response.body.task_id}`).set('X-Tenant-ID', TENANT).expect(200);
      expect(task.body).toMatchObject({ type: 'crm_lead_scoring', status: 'completed', domain: 'crm' });
    });

    it('customer segmentation: the README body shape with five customers and segment_count 5', async () => {
      const response = await post('customer-segmentation', {
        customer_data: FIVE_CUSTOMERS,
        segmentation_type: 'behavioral',
        segment_count: 5,
      }).expect(200);
      expect(response.body).toMatchObject({
        task_type: 'crm_customer_segmentation',
        status: 'completed',
        agent_used: 'crm_customer_specialist',
      });
      expect(response.body.result.quality).toMatchObject({ k_requested: 5, k_used: 5 });
      expect(response.body.result.segments).toHaveLength(5);
      // Numbered by descending mean LTV.
      expect(response.body.result.segments.map((segment: { customer_ids: string[] }) => segment.customer_ids)).toEqual([
        ['cust_001'],
        ['cust_002'],
        ['cust_005'],
        ['cust_003'],
        ['cust_004'],
      ]);
    });

    it('customer segmentation: the README sample verbatim (one customer, segment_count 5) is a 422 on segment_count', async () => {
      const response = await post('customer-segmentation', {
        customer_data: [{ customer_id: 'cust_001', ltv: 15000, engagement_score: 92, churn_risk: 0.1 }],
        segmentation_type: 'behavioral',
        segment_count: 5,
      }).expect(422);
      expect(response.body.errors).toEqual([{ field: 'segment_count', message: 'must not exceed the number of customers (1)' }]);
    });

    it('nurturing campaign: 30 days weekly touches days 0, 7, 14, 21 and 28', async () => {
      const response = await post('nurturing-campaign', README_NURTURING).expect(200);
      expect(response.body).toMatchObject({ task_type: 'crm_nurturing_campaign', status: 'completed', agent_used: 'crm_lead_specialist' });
      const result = response.body.result;
      expect(result.campaign.cadence).toMatchObject({ frequency: 'weekly', interval_days: 7, touches: 5 });
      expect(result.tracks.map((track: { segment: string; tier: string }) => [track.segment, track.tier])).toEqual([
        ['high_value_prospects', 'high_value'],
        ['warm_leads', 'warm'],
      ]);
      for (const track of result.tracks) {
        expect(track.touchpoints.map((touch: { day: number }) => touch.day)).toEqual([0, 7, 14, 21, 28]);
      }
      expect(result.tracks[0].touchpoints.map((touch: { channel: string }) => touch.channel)).toEqual([
        'email',
        'linkedin',
        'email',
        'linkedin',
        'sales_call',
      ]);
      expect(result.tracks[0].touchpoints.at(-1)).toMatchObject({ phase: 'decision', cta: 'Book a demo' });
    });

    it('pipeline optimization: the worked example — 40 wins, 1,000,000 revenue, ≈ 22,222 a day', async () => {
      const response = await post('pipeline-optimization', { pipeline_data: WORKED_PIPELINE }).expect(200);
      expect(response.body).toMatchObject({ task_type: 'crm_pipeline_optimization', status: 'completed' });
      const result = response.body.result;
      expect(result.summary).toEqual(WORKED_SUMMARY);
      expect(result.scenarios.slice(0, 4).map((scenario: { revenue_uplift: number }) => scenario.revenue_uplift)).toEqual([
        62_500, 100_000, 150_000, 200_000,
      ]);
      expect(result.bottleneck).toEqual({ stage: 'lead', next_stage: 'qualified', rate: 0.4, deals_lost: 120 });
      expect(result.highest_leverage).toEqual({
        stage: 'negotiation',
        next_stage: 'won',
        rate: 0.5,
        improved_rate: 0.6,
        revenue_uplift: 200_000,
        wins_uplift: 8,
      });
    });

    it("the README's quick-test body (unknown lead fields) is scored too", async () => {
      const response = await post('lead-scoring', { lead_data: { email: 'test@example.com', score: 85 } }).expect(200);
      expect(response.body).toMatchObject({ status: 'completed', result: { grade: 'D' } });
    });
  });

  describe('worked examples of crm-algorithms.md through the endpoints', () => {
    it('lead at the company domain: F 87.5, G 85, B ≈ 84.2 → 85.8, grade A, sales ready, A1', async () => {
      const response = await post('lead-scoring', {
        lead_data: { ...README_LEAD, email: 'cto@techcorp.com' },
        scoring_criteria: README_CRITERIA,
      }).expect(200);
      expect(response.body.result).toMatchObject({
        lead_score: 85.8,
        grade: 'A',
        components: { fit: 87.5, engagement: 85, behavior: 84.2 },
        qualification_status: 'sales_ready',
        matrix_cell: 'A1',
        applied_weights: { demographic_weight: 0.4, engagement_weight: 0.3, behavior_weight: 0.3 },
        warnings: [],
      });
    });

    it('weights 30/40/30 give the same score as 0.3/0.4/0.3, normalised with a warning', async () => {
      const lead = { ...README_LEAD, email: 'cto@techcorp.com' };
      const percent = await post('lead-scoring', {
        lead_data: lead,
        scoring_criteria: { engagement_weight: 30, demographic_weight: 40, behavior_weight: 30 },
      }).expect(200);
      expect(percent.body.result.lead_score).toBe(85.8);
      expect(percent.body.result.applied_weights).toEqual({ demographic_weight: 0.4, engagement_weight: 0.3, behavior_weight: 0.3 });
      expect(percent.body.result.warnings).toEqual([expect.stringContaining('normalised')]);
    });

    it('more engagement, visits or seniority never lowers the score', async () => {
      const scores = [];
      for (const lead of [
        { ...README_LEAD, role: 'Manager', engagement_score: 40, website_visits: 2 },
        { ...README_LEAD, role: 'Manager', engagement_score: 60, website_visits: 2 },
        { ...README_LEAD, role: 'Manager', engagement_score: 60, website_visits: 9 },
        { ...README_LEAD, role: 'VP Sales', engagement_score: 60, website_visits: 9 },
      ]) {
        scores.push((await post('lead-scoring', { lead_data: lead }).expect(200)).body.result.lead_score as number);
      }
      expect(scores).toEqual([...scores].sort((a, b) => a - b));
      expect(new Set(scores).size).toBe(4);
    });

    it('segmentation recovers planted clusters (ARI ≥ 0.95) with the same ids on a second run', async () => {
      const { customers, labels } = plantedCustomers(11);
      const first = await post('customer-segmentation', { customer_data: customers, segment_count: 4 }).expect(200);
      expect(first.body.status).toBe('completed');
      const predicted = first.body.result.assignments.map((assignment: { segment_id: number }) => assignment.segment_id);
      expect(adjustedRandIndex(labels, predicted)).toBeGreaterThanOrEqual(0.95);
      expect(
        first.body.result.segments.map((segment: { segment_id: number; name: string; size: number }) => [
          segment.segment_id,
          segment.name,
          segment.size,
        ]),
      ).toEqual([
        [1, 'Champions', 300],
        [2, 'At Risk (high value)', 400],
        [3, 'Loyal', 500],
        [4, 'Hibernating', 600],
      ]);
      const second = await post('customer-segmentation', { customer_data: customers, segment_count: 4 }).expect(200);
      expect(second.body.result.assignments).toEqual(first.body.result.assignments);
    });

    it('pipeline rates given as percentages give the same funnel, with a warning', async () => {
      const response = await post('pipeline-optimization', {
        pipeline_data: { ...WORKED_PIPELINE, conversion_rates: { lead: 40, qualified: 50, proposal: 50, negotiation: 50 } },
      }).expect(200);
      expect(response.body.result.summary).toEqual(WORKED_SUMMARY);
      expect(response.body.result.warnings).toContain('conversion rates are all between 1 and 100; read as percentages');
    });
  });

  interface BadCase {
    path: string;
    body: Record<string, unknown>;
    field: string;
    message: string | RegExp;
  }

  const seg = (overrides: Record<string, unknown>) => ({ customer_data: FIVE_CUSTOMERS, segmentation_type: 'behavioral', ...overrides });
  const nurture = (overrides: Record<string, unknown>) => ({ ...README_NURTURING, ...overrides });
  const pipe = (overrides: Record<string, unknown>) => ({ pipeline_data: { ...WORKED_PIPELINE, ...overrides } });
  const BAD: [string, BadCase][] = [
    [
      'a negative weight',
      {
        path: 'lead-scoring',
        body: { lead_data: README_LEAD, scoring_criteria: { ...README_CRITERIA, engagement_weight: -0.1 } },
        field: 'scoring_criteria.engagement_weight',
        message: 'must be at least 0',
      },
    ],
    [
      'a weight that is not a number',
      {
        path: 'lead-scoring',
        body: { lead_data: README_LEAD, scoring_criteria: { behavior_weight: 'high' } },
        field: 'scoring_criteria.behavior_weight',
        message: 'must be a finite number',
      },
    ],
    [
      'all weights zero',
      {
        path: 'lead-scoring',
        body: { lead_data: README_LEAD, scoring_criteria: { engagement_weight: 0, demographic_weight: 0, behavior_weight: 0 } },
        field: 'scoring_criteria',
        message: 'at least one weight must be greater than 0',
      },
    ],
    [
      'a malformed lead email',
      {
        path: 'lead-scoring',
        body: { lead_data: { ...README_LEAD, email: 'not-an-email' } },
        field: 'lead_data.email',
        message: 'must be a valid email address',
      },
    ],
    [
      'lead_data and leads together',
      {
        path: 'lead-scoring',
        body: { lead_data: README_LEAD, leads: [README_LEAD] },
        field: 'leads',
        message: 'send either lead_data or leads, not both',
      },
    ],
    [
      'lead_data that is not an object',
      { path: 'lead-scoring', body: { lead_data: 'CTO' }, field: 'lead_data', message: /must be an object/ },
    ],
    [
      'an empty customer list',
      { path: 'customer-segmentation', body: seg({ customer_data: [] }), field: 'customer_data', message: 'must not be empty' },
    ],
    [
      'a duplicate customer_id',
      {
        path: 'customer-segmentation',
        body: seg({ customer_data: [FIVE_CUSTOMERS[0], FIVE_CUSTOMERS[0]] }),
        field: 'customer_data[1].customer_id',
        message: 'duplicates customer_data[0].customer_id "cust_001"',
      },
    ],
    [
      'a negative ltv',
      {
        path: 'customer-segmentation',
        body: seg({ customer_data: [{ ...FIVE_CUSTOMERS[0], ltv: -1 }] }),
        field: 'customer_data[0].ltv',
        message: 'must be at least 0',
      },
    ],
    [
      'engagement above 100',
      {
        path: 'customer-segmentation',
        body: seg({ customer_data: [{ ...FIVE_CUSTOMERS[0], engagement_score: 101 }] }),
        field: 'customer_data[0].engagement_score',
        message: 'must be between 0 and 100',
      },
    ],
    [
      'churn_risk above 1',
      {
        path: 'customer-segmentation',
        body: seg({ customer_data: [{ ...FIVE_CUSTOMERS[0], churn_risk: 1.5 }] }),
        field: 'customer_data[0].churn_risk',
        message: 'must be between 0 and 1',
      },
    ],
    [
      'segment_count 0',
      { path: 'customer-segmentation', body: seg({ segment_count: 0 }), field: 'segment_count', message: /must not be less than 1/ },
    ],
    [
      'segment_count 11',
      { path: 'customer-segmentation', body: seg({ segment_count: 11 }), field: 'segment_count', message: /must not be greater than 10/ },
    ],
    [
      'more segments than customers',
      {
        path: 'customer-segmentation',
        body: seg({ customer_data: FIVE_CUSTOMERS.slice(0, 2), segment_count: 3 }),
        field: 'segment_count',
        message: 'must not exceed the number of customers (2)',
      },
    ],
    [
      'an unknown segmentation type',
      {
        path: 'customer-segmentation',
        body: seg({ segmentation_type: 'psychographic' }),
        field: 'segmentation_type',
        message: /behavioral, value_based, rfm, lifecycle/,
      },
    ],
    [
      'lifecycle without tenure',
      {
        path: 'customer-segmentation',
        body: seg({ segmentation_type: 'lifecycle', customer_data: [{ ...FIVE_CUSTOMERS[0], recency: 3 }] }),
        field: 'customer_data[0].tenure',
        message: 'is required for lifecycle segmentation',
      },
    ],
    [
      'rfm without recency',
      {
        path: 'customer-segmentation',
        body: seg({ segmentation_type: 'rfm', customer_data: [{ ...FIVE_CUSTOMERS[0], frequency: 3, monetary: 100 }] }),
        field: 'customer_data[0].recency',
        message: 'is required for rfm segmentation',
      },
    ],
    [
      'no segments',
      { path: 'nurturing-campaign', body: nurture({ lead_segments: [] }), field: 'lead_segments', message: 'must not be empty' },
    ],
    [
      'missing segments',
      {
        path: 'nurturing-campaign',
        body: { campaign_objective: 'Demos' },
        field: 'lead_segments',
        message: /lead_segments must be an array/,
      },
    ],
    [
      'a blank segment name',
      {
        path: 'nurturing-campaign',
        body: nurture({ lead_segments: ['warm', '  '] }),
        field: 'lead_segments[1]',
        message: 'must be a non-empty string',
      },
    ],
    [
      '21 distinct segments',
      {
        path: 'nurturing-campaign',
        body: nurture({ lead_segments: Array.from({ length: 21 }, (_, i) => `segment_${i}`) }),
        field: 'lead_segments',
        message: 'must have at most 20 distinct segments',
      },
    ],
    [
      'an empty objective',
      { path: 'nurturing-campaign', body: nurture({ campaign_objective: ' ' }), field: 'campaign_objective', message: 'must not be empty' },
    ],
    [
      'an objective of 501 characters',
      {
        path: 'nurturing-campaign',
        body: nurture({ campaign_objective: 'x'.repeat(501) }),
        field: 'campaign_objective',
        message: 'must be at most 500 characters',
      },
    ],
    [
      'duration 0 days',
      { path: 'nurturing-campaign', body: nurture({ duration_days: 0 }), field: 'duration_days', message: 'must be between 1 and 365' },
    ],
    [
      'duration 366 days',
      { path: 'nurturing-campaign', body: nurture({ duration_days: 366 }), field: 'duration_days', message: 'must be between 1 and 365' },
    ],
    [
      'an unknown frequency',
      {
        path: 'nurturing-campaign',
        body: nurture({ touchpoint_frequency: 'hourly' }),
        field: 'touchpoint_frequency',
        message: 'must be one of daily, twice_weekly, weekly, biweekly or monthly',
      },
    ],
    [
      'deal size 0',
      {
        path: 'pipeline-optimization',
        body: pipe({ average_deal_size: 0 }),
        field: 'pipeline_data.average_deal_size',
        message: 'must be greater than 0',
      },
    ],
    [
      'a negative cycle length',
      {
        path: 'pipeline-optimization',
        body: pipe({ sales_cycle_length: -5 }),
        field: 'pipeline_data.sales_cycle_length',
        message: 'must be greater than 0',
      },
    ],
    [
      'a rate above 1 among fractions',
      {
        path: 'pipeline-optimization',
        body: pipe({ conversion_rates: { lead: 0.4, qualified: 1.5 } }),
        field: 'pipeline_data.conversion_rates.qualified',
        message: 'must be between 0 and 1 (or give every rate as a percentage above 1 and at most 100)',
      },
    ],
    [
      'a negative rate',
      {
        path: 'pipeline-optimization',
        body: pipe({ conversion_rates: { lead: -0.1 } }),
        field: 'pipeline_data.conversion_rates.lead',
        message: 'must be at least 0',
      },
    ],
    [
      'a negative stage count',
      {
        path: 'pipeline-optimization',
        body: pipe({ stages: { lead: -3, qualified: 2 } }),
        field: 'pipeline_data.stages.lead',
        message: 'must be at least 0',
      },
    ],
    ['no pipeline_data', { path: 'pipeline-optimization', body: {}, field: 'pipeline_data', message: 'is required' }],
    [
      'an unknown body field',
      { path: 'pipeline-optimization', body: { ...pipe({}), pipeline: {} }, field: 'pipeline', message: 'is not an allowed field' },
    ],
    [
      'an invalid customer in a comprehensive analysis',
      {
        path: 'comprehensive-analysis',
        body: { customers: [{ customer_id: 'a', churn_risk: 2 }] },
        field: 'customers[0].churn_risk',
        message: 'must be between 0 and 1',
      },
    ],
    [
      'an invalid pipeline in a comprehensive analysis',
      {
        path: 'comprehensive-analysis',
        body: { pipeline: { ...WORKED_PIPELINE, average_deal_size: -1 } },
        field: 'pipeline.average_deal_size',
        message: 'must be greater than 0',
      },
    ],
    [
      'campaign settings without segments or leads',
      {
        path: 'comprehensive-analysis',
        body: { campaigns: { campaign_objective: 'Demos' } },
        field: 'campaigns.lead_segments',
        message: /is required when no leads are posted/,
      },
    ],
  ];

  it.each(BAD)('answers 422 naming the field for %s', async (_name, bad) => {
    const response = await post(bad.path, bad.body).expect(422);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({ status: 422, title: 'Unprocessable Content', instance: `/api/crew/crm/${bad.path}` });
    const error = (response.body.errors as { field: string; message: string }[]).find((entry) => entry.field === bad.field);
    expect(error, JSON.stringify(response.body.errors)).toBeDefined();
    if (typeof bad.message === 'string') expect(error?.message).toBe(bad.message);
    else expect(error?.message).toMatch(bad.message);
    expect(response.body.errors.every((entry: { field: string }) => !entry.field.startsWith('parameters'))).toBe(true);
  });

  it('takes the tenant from the body or the header, and refuses a missing or conflicting one', async () => {
    const fromBody = await post('nurturing-campaign', { ...README_NURTURING, tenant_id: 'crm-body-tenant' }, null).expect(200);
    await http().get(`/api/crew/task/${fromBody.body.task_id}`).set('X-Tenant-ID', 'crm-body-tenant').expect(200);
    await http().get(`/api/crew/task/${fromBody.body.task_id}`).set('X-Tenant-ID', TENANT).expect(404);
    const missing = await post('nurturing-campaign', README_NURTURING, null).expect(422);
    expect(missing.body.errors[0].field).toBe('tenant_id');
    const conflicting = await post('nurturing-campaign', { ...README_NURTURING, tenant_id: 'someone-else' }).expect(422);
    expect(conflicting.body.errors).toEqual([{ field: 'tenant_id', message: 'does not match the X-Tenant-ID header' }]);
  });

  describe('comprehensive analysis', () => {
    it('runs as a crew: the CRM supervisor runs the four operations by its specialists and synthesises them', async () => {
      const leads = [
        { ...README_LEAD, email: 'cto@techcorp.com' },
        { email: 'jane@gmail.com', role: 'Marketing Manager', engagement_score: 40, website_visits: 3 },
        { email: 'kid@gmail.com', role: 'Student', engagement_score: 5 },
      ];
      const customers = [
        { customer_id: 'a', ltv: 15000, engagement_score: 92, churn_risk: 0.1 },
        { customer_id: 'b', ltv: 300, engagement_score: 20, churn_risk: 0.8, payment_failures: 2 },
        { customer_id: 'c', ltv: 14000, engagement_score: 88, churn_risk: 0.15 },
      ];
      const response = await post('comprehensive-analysis', {
        leads,
        customers,
        campaigns: { campaign_objective: 'Convert prospects to demos', duration_days: 30, touchpoint_frequency: 'weekly' },
        pipeline: WORKED_PIPELINE,
      }).expect(200);
      expect(response.body).toMatchObject({
        task_type: 'comprehensive_crm_analysis',
        status: 'completed',
        strategy_used: 'crew_workflow',
        ai_mode: 'deterministic',
      });
      expect(response.body).not.toHaveProperty('agent_used');
      expect([...response.body.agents_used].sort()).toEqual([
        'crm_customer_specialist',
        'crm_lead_specialist',
        'crm_supervisor',
        'master_business_supervisor',
      ]);
      const result = response.body.result;
      expect(result.parts).toEqual(['churn', 'customers', 'leads', 'nurturing', 'pipeline']);
      expect(result.lead_scoring.leads.map((lead: { lead_score: number; grade: string }) => [lead.grade, lead.lead_score])[0]).toEqual([
        'A',
        85.8,
      ]);
      expect(result.lead_segments).toEqual({ high_value_leads: 1, cold_leads: 1 });
      expect(result.nurturing_campaign.tracks.map((track: { segment: string }) => track.segment)).toEqual([
        'high_value_leads',
        'cold_leads',
      ]);
      expect(result.nurturing_campaign.tracks[0].touchpoints.map((touch: { day: number }) => touch.day)).toEqual([0, 7, 14, 21, 28]);
      expect(result.segmentation.quality.k_used).toBe(3);
      expect(result.churn_analysis.customers[0]).toMatchObject({ rank: 1, customer_id: 'b', risk_band: 'high' });
      expect(result.pipeline_optimization.summary).toEqual(WORKED_SUMMARY);
      expect(result.insights).toBeNull();
      expect(result.narrative).toBeNull();
    });

    it('as a multi-domain crew it adds the analytics insights to the CRM analysis', async () => {
      const response = await execute({
        type: 'comprehensive_crm_analysis',
        description: 'Full CRM performance analysis',
        multi_domain: true,
        requires_ai: true,
        parameters: {
          leads: [README_LEAD],
          customers: FIVE_CUSTOMERS,
          pipeline: WORKED_PIPELINE_ARRAY,
          metrics: { revenue: [10, 11, 12, 13, 60, 14] },
        },
      }).expect(200);
      expect(response.body).toMatchObject({ status: 'completed', strategy_used: 'crew_workflow' });
      expect(response.body.agents_used).toEqual(
        expect.arrayContaining(['master_business_supervisor', 'crm_supervisor', 'analytics_supervisor']),
      );
      expect(response.body.result.parts).toEqual(['churn', 'customers', 'leads', 'metrics', 'nurturing', 'pipeline']);
      expect(response.body.result.pipeline_optimization.summary).toEqual(WORKED_SUMMARY);
      expect(response.body.result.insights.metrics[0].anomalies).toEqual([expect.objectContaining({ index: 4, value: 60 })]);
    });
  });

  it('routes analyze_customer_churn with requires_ai at 5,000 rows to a single agent (the README example)', async () => {
    const response = await execute({
      type: 'analyze_customer_churn',
      description: 'Predict customer churn risk',
      requires_ai: true,
      data_volume: 5000,
      parameters: {
        customer_data: [{ customer_id: 'quiet' }, { customer_id: 'failing', ltv: 1000, payment_failures: 3 }],
      },
    }).expect(200);
    expect(response.body).toMatchObject({
      status: 'completed',
      strategy_used: 'single_agent',
      agents_used: ['crm_customer_specialist'],
      delegation: { complexity: 'moderate', strategy: 'single_agent', rule: 'ai_moderate_single_agent' },
    });
    // logit(0.15) + 3 × 0.9 = 0.9654 → 0.7242; no signal at all stays at the 15% base rate.
    expect(
      response.body.result.customers.map((c: { customer_id: string; churn_probability: number }) => [c.customer_id, c.churn_probability]),
    ).toEqual([
      ['failing', 0.7242],
      ['quiet', 0.15],
    ]);
    expect(response.body.result.summary.revenue_at_risk).toBe(724.2);
  });

  describe("on the tenant's stored data when nothing is posted", () => {
    const STORED = 'crm-stored';

    beforeAll(async () => {
      for (const lead of [
        { external_id: 'L1', email: 'cto@techcorp.com', company: 'TechCorp', role: 'CTO', engagement_score: 85, website_visits: 12 },
        { external_id: 'L2', email: 'jane@gmail.com', role: 'Marketing Manager', engagement_score: 40, website_visits: 3 },
      ]) {
        const created = await execute({ type: 'create_lead', description: 'Create a lead', parameters: lead }, STORED).expect(200);
        expect(created.body.status).toBe('completed');
      }
      for (const customer of FIVE_CUSTOMERS) {
        const { customer_id: externalId, ...fields } = customer;
        const created = await execute(
          {
            type: 'create_customer',
            description: 'Create a customer',
            parameters: { external_id: externalId, name: externalId, ...fields },
          },
          STORED,
        ).expect(200);
        expect(created.body.status).toBe('completed');
      }
    });

    it('scores the stored leads, ranks them and saves their scores', async () => {
      const response = await post('lead-scoring', {}, STORED).expect(200);
      expect(response.body.status).toBe('completed');
      expect(response.body.result).toMatchObject({ source: 'stored', stored_leads: 2, count: 2 });
      expect(
        response.body.result.leads.map((lead: { lead_id: string; lead_score: number; rank: number }) => [
          lead.rank,
          lead.lead_id,
          lead.lead_score,
        ])[0],
      ).toEqual([1, 'L1', 85.8]);
      const stored = await execute({ type: 'get_lead', description: 'Fetch a lead', parameters: { external_id: 'L1' } }, STORED).expect(
        200,
      );
      expect(stored.body.result).toMatchObject({ score: 85.8, external_id: 'L1' });
    });

    it('segments the stored customers', async () => {
      const response = await post('customer-segmentation', { segment_count: 5 }, STORED).expect(200);
      expect(response.body.status).toBe('completed');
      expect(response.body.result).toMatchObject({ source: 'stored', stored_customers: 5, quality: { k_used: 5 } });
      expect(response.body.result.segments.map((segment: { customer_ids: string[] }) => segment.customer_ids[0])).toEqual([
        'cust_001',
        'cust_002',
        'cust_005',
        'cust_003',
        'cust_004',
      ]);
      const tooMany = await post('customer-segmentation', { segment_count: 6 }, STORED).expect(200);
      expect(tooMany.body).toMatchObject({ status: 'failed', error: 'segment_count: must not exceed the number of customers (5)' });
    });

    it('analyses churn and the comprehensive view on the stored records', async () => {
      const churn = await execute(
        { type: 'analyze_customer_churn', description: 'Predict customer churn risk', requires_ai: true },
        STORED,
      ).expect(200);
      expect(churn.body.result).toMatchObject({ source: 'stored', summary: { customers: 5 } });
      expect(churn.body.result.customers[0].customer_id).toBe('cust_004');
      const comprehensive = await post('comprehensive-analysis', {}, STORED).expect(200);
      expect(comprehensive.body.status).toBe('completed');
      expect(comprehensive.body.result.parts).toEqual(['churn', 'customers', 'leads']);
      expect(comprehensive.body.result.lead_scoring.source).toBe('stored');
    });

    it('fails with guidance when the tenant has nothing stored and nothing was posted', async () => {
      const response = await post('lead-scoring', {}, 'crm-empty-tenant').expect(200);
      expect(response.body).toMatchObject({
        status: 'failed',
        result: null,
        error:
          'No lead_data was posted and the tenant has no stored leads: post lead_data (or leads[]), or add leads with create_lead or sync_crm_contacts (target "leads").',
        guidance: expect.any(String),
      });
      const nothing = await post('comprehensive-analysis', {}, 'crm-empty-tenant').expect(200);
      expect(nothing.body.status).toBe('failed');
      expect(nothing.body.error).toMatch(/^Nothing to analyse/);
    });
  });

  it('documents every CRM route with the README examples in the OpenAPI document', async () => {
    const document = (await http().get('/api/crew/docs-json').expect(200)).body as {
      paths: Record<
        string,
        {
          post: {
            requestBody: { content: Record<string, { examples: Record<string, { value: unknown }> }> };
            responses: Record<string, unknown>;
          };
        }
      >;
    };
    for (const route of [
      'lead-scoring',
      'customer-segmentation',
      'nurturing-campaign',
      'pipeline-optimization',
      'comprehensive-analysis',
    ]) {
      const operation = document.paths[`/api/crew/crm/${route}`].post;
      expect(Object.keys(operation.requestBody.content['application/json'].examples).length).toBeGreaterThan(0);
      expect(operation.responses).toHaveProperty('422');
    }
    // The README's bodies as written, plus the tenant that makes Swagger UI's pre-filled example run as it is.
    expect(document.paths['/api/crew/crm/lead-scoring'].post.requestBody.content['application/json'].examples.readme.value).toEqual({
      lead_data: README_LEAD,
      scoring_criteria: README_CRITERIA,
      tenant_id: 'client_123',
    });
    expect(document.paths['/api/crew/crm/nurturing-campaign'].post.requestBody.content['application/json'].examples.readme.value).toEqual({
      ...README_NURTURING,
      tenant_id: 'client_123',
    });
  });
});
