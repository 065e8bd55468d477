import { createRequire } from 'node:module';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, type ScriptedOpenAiServer, startScriptedOpenAiServer } from './support/scripted-openai-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// The parser ships CommonJS without type declarations.
const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (
  text: string,
) => { name: string; metrics: { value?: string; labels?: Record<string, string> }[] }[];

const LEAD = {
  lead_data: { email: 'prospect@company.com', company: 'TechCorp Inc', role: 'CTO', engagement_score: 85, website_visits: 12 },
  scoring_criteria: { engagement_weight: 0.3, demographic_weight: 0.4, behavior_weight: 0.3 },
};
const NARRATIVE = { summary: 'A strong lead.', highlights: ['CTO at TechCorp'], recommendations: ['Call this week'] };
/** The static estimate of a single_agent task (6,000 input and 1,500 output tokens at that price). */
const SINGLE_AGENT_ESTIMATE = 0.0018;
const DAILY_BUDGET = 0.002;

/** Sample value of one series line (name and exact label set), 0 when the series does not exist yet. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const [family] = parsePrometheus(`${line}\n`);
    const found = family.metrics[0];
    const have = found.labels ?? {};
    if (Object.keys(have).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => have[k] === v)) {
      return Number(found.value);
    }
  }
  return 0;
}

/**
 * LLM work submitted over HTTP with a model configured (the real openai SDK against a scripted loopback
 * server): budget admission at submit, and the gen_ai metrics a real call leaves on /metrics.
 */
describe('LLM tasks over HTTP: budget admission and gen_ai metrics', () => {
  let llm: ScriptedOpenAiServer;
  let testApp: TestApp;
  let dataSource: DataSource;
  const http = () => request(testApp.app.getHttpServer());
  const scoreLead = (tenant: string) =>
    http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', tenant)
      .send({ type: 'crm_lead_scoring', description: 'Score this inbound lead', requires_ai: true, parameters: LEAD });
  const scrape = async () => (await http().get('/metrics').expect(200)).text;
  const answerWith = (usage: { prompt_tokens: number; completion_tokens: number }, latencyMs = 0) =>
    llm.setScript(() => reply.message(JSON.stringify(NARRATIVE), { usage, latencyMs }));

  beforeAll(async () => {
    llm = await startScriptedOpenAiServer();
    testApp = await createTestApp({
      OPENAI_BASE_URL: llm.url,
      MAX_RPM: '10000',
      ENABLE_AGENT_MEMORY: 'false',
      ENABLE_CREW_CACHING: 'false',
      TENANT_DAILY_BUDGET_USD: String(DAILY_BUDGET),
    });
    dataSource = testApp.app.get<DataSource>(getDataSourceToken());
  });
  afterAll(async () => {
    await testApp?.dispose();
    await llm?.close();
  });

  describe('budget admission at submit', () => {
    it('runs an AI task within the budget, then refuses the next one with 402 before any LLM call or task row', async () => {
      const tenant = 'budget-refuse';
      // 2,000 input and 300 output tokens: $0.00048 spent; 0.00048 + 0.0018 estimated > the $0.002 budget.
      answerWith({ prompt_tokens: 2000, completion_tokens: 300 });
      const first = await scoreLead(tenant).expect(200);
      expect(first.body).toMatchObject({
        status: 'completed',
        strategy_used: 'single_agent',
        metrics: { ai_mode: 'llm', llm_calls: 1, input_tokens: 2000, output_tokens: 300, cost_usd: 0.00048 },
        delegation: { strategy: 'single_agent', estimated_cost: SINGLE_AGENT_ESTIMATE },
      });
      const calls = llm.chatRequests.length;

      const refused = await scoreLead(tenant).set('X-Request-Id', 'budget-402').expect(402);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toEqual({
        type: 'urn:ai-crew:problem:budget-exceeded',
        title: 'Payment Required',
        status: 402,
        detail: expect.stringMatching(
          /^Tenant budget-refuse has spent \$0\.000480 of its daily LLM budget of \$0\.002000 today \(UTC\) and this task is estimated at \$0\.001800\. The budget resets at \d{4}-\d\d-\d\dT00:00:00\.000Z; /,
        ),
        instance: '/api/crew/execute',
        request_id: 'budget-402',
        tenant_id: tenant,
        daily_budget_usd: DAILY_BUDGET,
        spent_today_usd: 0.00048,
        remaining_usd: 0.00152,
        estimated_cost_usd: SINGLE_AGENT_ESTIMATE,
        resets_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT00:00:00\.000Z$/),
      });
      expect(llm.chatRequests).toHaveLength(calls);
      const listed = await http().get('/api/crew/tasks').set('X-Tenant-ID', tenant).expect(200);
      expect(listed.body.items.map((item: { task_id: string }) => item.task_id)).toEqual([first.body.task_id]);
    });

    it('downgrades an over-budget AI task to deterministic mode when the tenant says so: no LLM call', async () => {
      const tenant = 'budget-downgrade';
      // A budget below the estimate alone: the very first AI task is over it.
      await dataSource.query(
        `INSERT INTO tenant_settings (tenant_id, daily_budget_usd, over_budget_action) VALUES ($1, 0.001, 'downgrade')`,
        [tenant],
      );
      answerWith({ prompt_tokens: 2000, completion_tokens: 300 });
      const calls = llm.chatRequests.length;
      const response = await scoreLead(tenant).expect(200);
      expect(response.body).toMatchObject({
        status: 'completed',
        metrics: { ai_mode: 'deterministic', llm_calls: 0, input_tokens: 0, cost_usd: 0 },
        result: { lead_score: 83.4, grade: 'A' },
      });
      expect(response.body.recommendations).toContain(
        "The tenant's daily LLM budget is spent: this task runs in deterministic mode (no LLM calls).",
      );
      expect(llm.chatRequests).toHaveLength(calls);
    });
  });

  describe('gen_ai metrics from a real model call', () => {
    it('adds the call’s tokens, duration and cost to /metrics under the model that answered', async () => {
      const model = { gen_ai_request_model: 'gpt-4o-mini' };
      const input = { gen_ai_token_type: 'input', ...model };
      const output = { gen_ai_token_type: 'output', ...model };
      const operation = { ...model, gen_ai_operation_name: 'chat' };
      const before = await scrape();
      const calls = llm.chatRequests.length;
      // The scripted server answers after 300 ms: the recorded duration cannot be shorter.
      answerWith({ prompt_tokens: 1200, completion_tokens: 50 }, 300);
      const response = await scoreLead('metrics-tenant').expect(200);
      expect(response.body.metrics).toMatchObject({ ai_mode: 'llm', llm_calls: 1, input_tokens: 1200, output_tokens: 50 });
      expect(llm.chatRequests).toHaveLength(calls + 1);
      const after = await scrape();

      const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
      expect(delta('gen_ai_client_token_usage_count', input)).toBe(1);
      expect(delta('gen_ai_client_token_usage_sum', input)).toBe(1200);
      expect(delta('gen_ai_client_token_usage_count', output)).toBe(1);
      expect(delta('gen_ai_client_token_usage_sum', output)).toBe(50);
      expect(delta('gen_ai_client_operation_duration_seconds_count', operation)).toBe(1);
      expect(delta('gen_ai_client_operation_duration_seconds_sum', operation)).toBeGreaterThanOrEqual(0.3);
      // 1,200 × $0.15/M + 50 × $0.60/M = $0.00018 + $0.00003.
      expect(response.body.metrics.cost_usd).toBe(0.00021);
      expect(delta('crew_llm_cost_usd_total', model)).toBeCloseTo(0.00021, 12);
    });
  });
});
