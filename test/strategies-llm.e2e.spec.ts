import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  reply,
  type ScriptedOpenAiServer,
  type ScriptedReply,
  type ScriptedRequestBody,
  startScriptedOpenAiServer,
} from './support/scripted-openai-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Answers a planning request with one subtask per candidate agent (the schema's enum), anything else with `other`. */
function planOr(other: ScriptedReply): (body: ScriptedRequestBody) => ScriptedReply {
  return (body) => {
    const format = body.response_format as { json_schema?: { name?: string; schema?: any } } | undefined;
    if (format?.json_schema?.name !== 'plan') return other;
    const ids: string[] = format.json_schema.schema.properties.subtasks.items.properties.agent_id.enum;
    const subtasks = ids.map((id, i) => ({ id: `s${i + 1}`, agent_id: id, instructions: `work of ${id}`, depends_on: [] }));
    return reply.message(JSON.stringify({ subtasks }), { usage: { prompt_tokens: 10, completion_tokens: 5 } });
  };
}

const CUSTOMERS = [
  { customer_id: 'a', ltv: 15000, engagement_score: 92, churn_risk: 0.1 },
  { customer_id: 'b', ltv: 200, engagement_score: 20, churn_risk: 0.8 },
  { customer_id: 'c', ltv: 14000, engagement_score: 88, churn_risk: 0.15 },
];
const LEAD = { email: 'cto@techcorp.com', company: 'TechCorp Inc', role: 'CTO', engagement_score: 85, website_visits: 12 };
let counter = 0;

describe('strategies with an LLM (scripted OpenAI-compatible server, real SDK)', () => {
  let server: ScriptedOpenAiServer;
  let testApp: TestApp;
  let tenant: string;
  const execute = (body: Record<string, unknown>) =>
    request(testApp.app.getHttpServer()).post('/api/crew/execute').set('X-Tenant-ID', tenant).send(body);

  beforeAll(async () => {
    server = await startScriptedOpenAiServer();
    testApp = await createTestApp({
      OPENAI_BASE_URL: server.url,
      OPENAI_MODEL: 'gpt-4o-mini',
      LLM_MAX_RETRIES: '1',
      LLM_REQUEST_TIMEOUT: '5',
      ENABLE_CREW_CACHING: 'false',
      ENABLE_AGENT_MEMORY: 'false',
    });
  });
  beforeEach(() => {
    counter += 1;
    tenant = `llm-tenant-${counter}`;
  });
  afterAll(async () => {
    await testApp?.dispose();
    await server?.close();
  });

  it('single agent: the numbers come from the tool, the model adds the narrative; tokens and cost are exact', async () => {
    const before = server.chatRequests.length;
    server.setScript(() =>
      reply.message(JSON.stringify({ summary: 'A sales-ready CTO lead.', highlights: ['C-level'], recommendations: ['Book a demo'] }), {
        usage: { prompt_tokens: 1000, completion_tokens: 200, cached_tokens: 400 },
      }),
    );
    const response = await execute({ type: 'crm_lead_scoring', description: 'Score this lead', parameters: { lead_data: LEAD } }).expect(
      200,
    );
    expect(response.body).toMatchObject({
      status: 'completed',
      strategy_used: 'single_agent',
      metrics: {
        ai_mode: 'llm',
        llm_calls: 1,
        input_tokens: 1000,
        output_tokens: 200,
        cached_tokens: 400,
        fallback_chain: ['single_agent'],
      },
      result: { grade: 'A', narrative: { summary: 'A sales-ready CTO lead.', recommendations: ['Book a demo'] } },
    });
    // gpt-4o-mini: 600 × 0.15 + 400 × 0.075 + 200 × 0.6 per 1M tokens = 0.00024 USD
    expect(response.body.metrics.cost_usd).toBeCloseTo(0.00024, 8);
    expect(server.chatRequests.length - before).toBe(1);
    const sent = JSON.stringify(server.chatRequests.at(-1)?.body?.messages);
    expect(sent).toContain('lead_score');
  });

  it('falls back to the deterministic result when the provider keeps failing, and says so', async () => {
    server.setScript(() => reply.error(500, { message: 'upstream down' }));
    const response = await execute({ type: 'crm_lead_scoring', description: 'Score this lead', parameters: { lead_data: LEAD } }).expect(
      200,
    );
    expect(response.body).toMatchObject({
      status: 'completed',
      strategy_used: 'single_agent',
      execution_type: 'deterministic',
      metrics: { fallback_chain: ['single_agent', 'deterministic'] },
      result: { grade: 'A' },
    });
    expect(response.body.result.narrative).toBeUndefined();
  });

  it('runs a free-form task type on its domain supervisor', async () => {
    server.setScript(() =>
      reply.message(JSON.stringify({ summary: 'Churn is concentrated in the smallest plans.', findings: ['f1'], recommendations: ['r1'] })),
    );
    const response = await execute({
      type: 'explain_churn_drivers',
      description: 'Explain what drives churn',
      domain: 'crm',
      requires_ai: true,
    }).expect(200);
    expect(response.body).toMatchObject({
      status: 'completed',
      strategy_used: 'single_agent',
      agents_used: ['crm_supervisor'],
      metrics: { ai_mode: 'llm' },
      result: { summary: 'Churn is concentrated in the smallest plans.' },
    });
    const missingDomain = await execute({ type: 'explain_churn_drivers', description: 'Explain', requires_ai: true }).expect(422);
    expect(missingDomain.body.errors[0].field).toBe('domain');
  });

  it('passes the complex-workflow self-test: the master and the domain supervisors plan with the LLM, agents write the narratives', async () => {
    const before = server.chatRequests.length;
    server.setScript(
      planOr(
        reply.message(JSON.stringify({ summary: 'ok', highlights: [], recommendations: [] }), {
          usage: { prompt_tokens: 10, completion_tokens: 5 },
        }),
      ),
    );
    const response = await request(testApp.app.getHttpServer()).post('/api/crew/test/complex-workflow').expect(200);
    expect(response.body).toMatchObject({ status: 'success', result: { metrics: { ai_mode: 'llm', fallback_chain: ['crew_workflow'] } } });
    const plans = server.chatRequests
      .slice(before)
      .filter((r) => (r.body?.response_format as { json_schema?: { name?: string } })?.json_schema?.name === 'plan');
    // The master plans over the CRM and analytics supervisors; each supervisor plans over its own agents.
    expect(plans.length).toBe(3);
    const enums = plans.map((r) =>
      (r.body?.response_format as any).json_schema.schema.properties.subtasks.items.properties.agent_id.enum.sort(),
    );
    expect(enums).toEqual(expect.arrayContaining([['analytics_supervisor', 'crm_supervisor']]));
    expect(response.body.result.metrics.llm_calls).toBe(server.chatRequests.length - before);
  });

  it('an invalid supervisor plan falls back down the chain', async () => {
    server.setScript(() => reply.message(JSON.stringify({ summary: 'not a plan' })));
    const response = await request(testApp.app.getHttpServer())
      .post('/api/crew/execute')
      .set('X-Tenant-ID', tenant)
      .send({
        type: 'crm_customer_segmentation',
        description: 'Segment',
        parameters: { customer_data: CUSTOMERS, segment_count: 2 },
        preferred_strategy: 'multi_agent',
      })
      .expect(200);
    expect(response.body).toMatchObject({ status: 'completed', metrics: { fallback_chain: ['multi_agent', 'single_agent'] } });
  });
});
