import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, type ScriptedOpenAiServer, startScriptedOpenAiServer } from './support/scripted-openai-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const README_BODY = {
  lead_data: { email: 'prospect@company.com', company: 'TechCorp Inc', role: 'CTO', engagement_score: 85, website_visits: 12 },
  scoring_criteria: { engagement_weight: 0.3, demographic_weight: 0.4, behavior_weight: 0.3 },
};

describe('CRM operations with an LLM configured: the model explains, the numbers come from code', () => {
  let testApp: TestApp;
  let llm: ScriptedOpenAiServer;

  beforeAll(async () => {
    llm = await startScriptedOpenAiServer();
    testApp = await createTestApp({
      OPENAI_BASE_URL: llm.url,
      MAX_RPM: '10000',
      ENABLE_AGENT_MEMORY: 'false',
      ENABLE_CREW_CACHING: 'false',
    });
  });
  afterAll(async () => {
    await testApp?.dispose();
    await llm?.close();
  });

  it('keeps the computed lead score even when the narrative claims another one', async () => {
    const narrative = { summary: 'A weak lead: score 12, grade D.', highlights: ['CTO at TechCorp'], recommendations: ['Call today'] };
    llm.enqueue(reply.message(JSON.stringify(narrative), { usage: { prompt_tokens: 300, completion_tokens: 40 } }));
    const response = await request(testApp.app.getHttpServer())
      .post('/api/crew/crm/lead-scoring')
      .set('X-Tenant-ID', 'crm-llm')
      .send(README_BODY)
      .expect(200);
    expect(response.body).toMatchObject({
      status: 'completed',
      ai_mode: 'llm',
      agent_used: 'crm_lead_specialist',
      metrics: { llm_calls: 1, input_tokens: 300, output_tokens: 40 },
      result: { lead_score: 83.4, grade: 'A', components: { fit: 81.5, engagement: 85, behavior: 84.2 }, narrative },
    });
    expect(llm.chatRequests).toHaveLength(1);
    // The computed result is in the prompt the model explains.
    expect(llm.chatRequests[0].rawBody).toContain('83.4');
  });
});
