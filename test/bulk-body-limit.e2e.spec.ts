import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomCustomers } from './support/crm/crm-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'bulk-body';
const PROBLEM_JSON = /^application\/problem\+json/;
const MB = 1024 * 1024;
/** The documented maximum of one bulk CRM request. */
const MAX_CUSTOMERS = 100_000;

/** At default settings: BODY_LIMIT 1 MB, BULK_BODY_LIMIT 16 MB. */
describe('per-route body limits (defaults)', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());
  const post = (path: string, body: string) =>
    http().post(`/api/crew/${path}`).set('X-Tenant-ID', TENANT).set('Content-Type', 'application/json').send(body);

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('accepts 100,000 customers on /crm/customer-segmentation', async () => {
    const body = JSON.stringify({ customer_data: randomCustomers(MAX_CUSTOMERS, 7), segmentation_type: 'value_based', segment_count: 3 });
    expect(body.length).toBeGreaterThan(5 * MB);
    const response = await post('crm/customer-segmentation', body);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ task_type: 'crm_customer_segmentation', status: 'completed' });
    expect(response.body.result.assignments).toHaveLength(MAX_CUSTOMERS);
  }, 120_000);

  it('answers 413 problem+json for a body over BULK_BODY_LIMIT on a bulk route', async () => {
    const body = JSON.stringify({ customer_data: [{ customer_id: 'a', note: 'x'.repeat(17 * MB) }] });
    const response = await post('crm/comprehensive-analysis', body);
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: 'urn:ai-crew:problem:payload-too-large',
      status: 413,
      detail: `The request body exceeds the limit of ${16 * MB} bytes.`,
      instance: '/api/crew/crm/comprehensive-analysis',
    });
  });

  it('keeps BODY_LIMIT on the other CRM routes', async () => {
    const response = await post('crm/lead-scoring', JSON.stringify({ lead_data: { email: 'a@b.example', notes: 'x'.repeat(2 * MB) } }));
    expect(response.status).toBe(413);
    expect(response.body.detail).toBe(`The request body exceeds the limit of ${MB} bytes.`);
  });

  it('/execute and /delegation/analyze take a body over BODY_LIMIT only for a bulk task type', async () => {
    const customers = randomCustomers(40_000, 11);
    const churn = JSON.stringify({ type: 'analyze_customer_churn', description: 'Churn', parameters: { customer_data: customers } });
    expect(churn.length).toBeGreaterThan(2 * MB);
    const preview = await post('delegation/analyze', churn);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ in_catalogue: true });

    const other = JSON.stringify({
      type: 'get_task_list',
      description: 'List',
      parameters: { limit: 1 },
      metadata: { blob: 'x'.repeat(2 * MB) },
    });
    for (const path of ['execute', 'delegation/analyze']) {
      const refused = await post(path, other);
      expect(refused.status, path).toBe(413);
      expect(refused.headers['content-type'], path).toMatch(PROBLEM_JSON);
      expect(refused.body.detail, path).toBe(`The request body exceeds the limit of ${MB} bytes.`);
    }
    // Not even a bulk type gets past BULK_BODY_LIMIT.
    const huge = JSON.stringify({
      type: 'analyze_customer_churn',
      description: 'Churn',
      parameters: { customer_data: [], pad: 'x'.repeat(17 * MB) },
    });
    const tooLarge = await post('execute', huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.detail).toBe(`The request body exceeds the limit of ${16 * MB} bytes.`);
    const list = await http().get('/api/crew/tasks').set('X-Tenant-ID', TENANT).expect(200);
    expect(list.body.items.map((task: { type: string }) => task.type)).not.toContain('get_task_list');
  });
});
