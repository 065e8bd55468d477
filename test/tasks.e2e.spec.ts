import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('task API (direct_db end to end)', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('executes get_task_list, persists it, and reads it back after a restart on the same database', async () => {
    const first = await http()
      .post('/api/crew/execute')
      .send({ type: 'get_task_list', description: 'seed', tenant_id: 'acme' })
      .expect(200);
    const second = await http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', 'acme')
      .send({ type: 'get_task_list', description: 'List tasks', parameters: { limit: 5 } })
      .expect(200);
    expect(second.body).toMatchObject({
      status: 'completed',
      strategy_used: 'direct_db',
      execution_type: 'direct_db',
      metrics: { ai_mode: 'deterministic', llm_calls: 0, fallback_chain: ['direct_db'] },
      delegation: { strategy: 'direct_db', complexity: 'simple' },
      links: { self: `/api/crew/task/${second.body.task_id}` },
    });
    expect(second.body.result).toMatchObject({ count: 1, tasks: [{ task_id: first.body.task_id, status: 'completed' }] });

    await testApp.close();
    await testApp.restart();

    const read = await http().get(`/api/crew/task/${second.body.task_id}`).set('X-Tenant-ID', 'acme').expect(200);
    expect(read.body).toMatchObject({
      id: second.body.task_id,
      tenant_id: 'acme',
      type: 'get_task_list',
      status: 'completed',
      crew_type: 'direct_db',
      result: second.body.result,
    });
    const byWorkflow = await http().get(`/api/crew/task/${second.body.workflow_id}?tenant_id=acme`).expect(200);
    expect(byWorkflow.body.id).toBe(second.body.task_id);
  });
});
