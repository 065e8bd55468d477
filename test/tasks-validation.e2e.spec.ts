import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

const PROBLEM_JSON = /^application\/problem\+json/;
const TENANT = 'validation-tenant';
const OTHER_TENANT = 'other-tenant';

/** A body that is valid on its own; each case changes one thing. */
function validBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'get_task_list', description: 'List my tasks', tenant_id: TENANT, ...overrides };
}

function without(key: string): Record<string, unknown> {
  const body = validBody();
  delete body[key];
  return body;
}

interface BadCase {
  name: string;
  body: Record<string, unknown> | unknown[];
  headers?: Record<string, string>;
  field: string;
  message: RegExp;
}

const BAD_BODIES: BadCase[] = [
  { name: 'a JSON array instead of an object', body: [validBody()], field: 'body', message: /^must be a JSON object$/ },
  { name: 'missing type', body: without('type'), field: 'type', message: /type must be a string/ },
  { name: 'missing description', body: without('description'), field: 'description', message: /description must be a string/ },
  {
    name: 'missing tenant_id and no X-Tenant-ID header',
    body: without('tenant_id'),
    field: 'tenant_id',
    message: /is required \(in the body as tenant_id or in the X-Tenant-ID header\)/,
  },
  {
    name: 'an empty description',
    body: validBody({ description: '' }),
    field: 'description',
    message: /description must be longer than or equal to 1 characters/,
  },
  {
    name: 'an invalid tenant_id in the body',
    body: validBody({ tenant_id: 'bad tenant!' }),
    field: 'tenant_id',
    message: /must be 1–100 characters/,
  },
  { name: 'priority 0', body: validBody({ priority: 0 }), field: 'priority', message: /priority must not be less than 1/ },
  { name: 'priority 11', body: validBody({ priority: 11 }), field: 'priority', message: /priority must not be greater than 10/ },
  {
    name: 'negative data_volume',
    body: validBody({ data_volume: -1 }),
    field: 'data_volume',
    message: /data_volume must not be less than 0/,
  },
  { name: 'priority as a string', body: validBody({ priority: '5' }), field: 'priority', message: /priority must be an integer number/ },
  {
    name: 'requires_ai as a string',
    body: validBody({ requires_ai: 'yes' }),
    field: 'requires_ai',
    message: /requires_ai must be a boolean value/,
  },
  { name: 'parameters as an array', body: validBody({ parameters: [1, 2] }), field: 'parameters', message: /parameters must be an object/ },
  { name: 'an unknown top-level field', body: validBody({ sneaky: true }), field: 'sneaky', message: /^is not an allowed field$/ },
  {
    name: 'a type containing SQL',
    body: validBody({ type: "x'; DROP TABLE tasks;--" }),
    field: 'type',
    message: /must match \^\[a-z\]\[a-z0-9_\]\{1,99\}\$/,
  },
  {
    name: 'a description over 5000 characters',
    body: validBody({ description: 'x'.repeat(5001) }),
    field: 'description',
    message: /description must be shorter than or equal to 5000 characters/,
  },
  {
    name: 'an invalid domain',
    body: validBody({ domain: 'finance' }),
    field: 'domain',
    message: /domain must be one of the following values: crm, ecommerce, analytics, billing, cms, integrations/,
  },
  {
    name: 'an invalid preferred_strategy',
    body: validBody({ preferred_strategy: 'magic' }),
    field: 'preferred_strategy',
    message: /preferred_strategy must be one of the following values: direct_db, direct_api, single_agent, multi_agent, crew_workflow/,
  },
  { name: 'timeout 0', body: validBody({ timeout: 0 }), field: 'timeout', message: /timeout must not be less than 1/ },
  { name: 'timeout 3601', body: validBody({ timeout: 3601 }), field: 'timeout', message: /timeout must not be greater than 3600/ },
  {
    name: 'an ftp callback_url',
    body: validBody({ callback_url: 'ftp://x' }),
    field: 'callback_url',
    message: /must be an absolute http\(s\) URL/,
  },
  {
    name: 'a tenant_id that conflicts with X-Tenant-ID',
    body: validBody({ tenant_id: OTHER_TENANT }),
    headers: { 'X-Tenant-ID': TENANT },
    field: 'tenant_id',
    message: /does not match the X-Tenant-ID header/,
  },
  {
    name: 'an Idempotency-Key with a space',
    body: validBody(),
    headers: { 'Idempotency-Key': 'not valid' },
    field: 'Idempotency-Key',
    message: /must be 1–200 visible ASCII characters/,
  },
  {
    name: 'an Idempotency-Key over 200 characters',
    body: validBody(),
    headers: { 'Idempotency-Key': 'k'.repeat(201) },
    field: 'Idempotency-Key',
    message: /must be 1–200 visible ASCII characters/,
  },
  {
    name: 'an invalid X-Tenant-ID',
    body: without('tenant_id'),
    headers: { 'X-Tenant-ID': 'bad tenant!' },
    field: 'X-Tenant-ID',
    message: /must be 1–100 characters/,
  },
  {
    name: 'an unknown task type',
    body: validBody({ type: 'no_such_type' }),
    field: 'type',
    message: /unknown task type "no_such_type"; GET \/api\/crew\/catalogue lists the valid task types/,
  },
  {
    name: 'get_task_list with limit 0',
    body: validBody({ parameters: { limit: 0 } }),
    field: 'parameters.limit',
    message: /limit must not be less than 1/,
  },
  {
    name: 'get_task_list with limit 101',
    body: validBody({ parameters: { limit: 101 } }),
    field: 'parameters.limit',
    message: /limit must not be greater than 100/,
  },
  {
    name: 'get_task_list with limit as a string',
    body: validBody({ parameters: { limit: '5' } }),
    field: 'parameters.limit',
    message: /limit must be an integer number/,
  },
  {
    name: 'get_task_list with an unknown parameter',
    body: validBody({ parameters: { colour: 'red' } }),
    field: 'parameters.colour',
    message: /^is not an allowed field$/,
  },
  {
    name: 'get_task_list with an invalid status',
    body: validBody({ parameters: { status: 'sleeping' } }),
    field: 'parameters.status',
    message: /status must be one of the following values/,
  },
];

describe('POST /api/crew/execute rejects bad requests with problem+json and persists nothing', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it.each(BAD_BODIES)('$name → 422 naming $field', async ({ body, headers, field, message }) => {
    const response = await http()
      .post('/api/crew/execute')
      .set(headers ?? {})
      .send(body);
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: 'urn:ai-crew:problem:validation-error',
      title: 'Unprocessable Content',
      status: 422,
      instance: '/api/crew/execute',
      request_id: response.headers['x-request-id'],
    });
    const errors = response.body.errors as { field: string; message: string }[];
    const forField = errors.filter((error) => error.field === field);
    expect(forField, JSON.stringify(errors)).not.toHaveLength(0);
    expect(
      forField.some((error) => message.test(error.message)),
      JSON.stringify(forField),
    ).toBe(true);
    // Only the field the case broke is reported.
    expect(new Set(errors.map((error) => error.field))).toEqual(new Set([field]));
    expect(response.body.detail).toContain(field);
  });

  it('an unknown task type points at the catalogue', async () => {
    const response = await http()
      .post('/api/crew/execute')
      .send(validBody({ type: 'no_such_type' }))
      .expect(422);
    expect(response.body).toMatchObject({
      catalogue: '/api/crew/catalogue',
      detail: 'Unknown task type "no_such_type". GET /api/crew/catalogue lists the valid task types.',
      errors: [{ field: 'type' }],
    });
  });

  it('malformed JSON → 400 problem+json', async () => {
    const response = await http().post('/api/crew/execute').set('Content-Type', 'application/json').send('{"type": "get_task_list",');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: 'urn:ai-crew:problem:malformed-json',
      title: 'Bad Request',
      status: 400,
      instance: '/api/crew/execute',
      request_id: response.headers['x-request-id'],
    });
    expect(response.body.detail).toMatch(/^The request body is not valid JSON/);
    expect(response.body).not.toHaveProperty('stack');
  });

  it('a 3 MB body → 413 problem+json', async () => {
    const body = JSON.stringify(validBody({ metadata: { blob: 'x'.repeat(3 * 1024 * 1024) } }));
    const response = await http().post('/api/crew/execute').set('Content-Type', 'application/json').send(body);
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: 'urn:ai-crew:problem:payload-too-large',
      title: 'Content Too Large',
      status: 413,
      detail: 'The request body exceeds the limit of 1048576 bytes.',
      instance: '/api/crew/execute',
    });
  });

  it('persists nothing for any of the bad requests', async () => {
    for (const { name, body, headers } of BAD_BODIES) {
      const response = await http()
        .post('/api/crew/execute')
        .set(headers ?? {})
        .send(body);
      expect(response.status, name).toBe(422);
    }
    await http().post('/api/crew/execute').set('Content-Type', 'application/json').send('{"tenant_id": "validation-tenant"').expect(400);
    await http()
      .post('/api/crew/execute')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(validBody({ metadata: { blob: 'x'.repeat(3 * 1024 * 1024) } })))
      .expect(413);
    for (const tenant of [TENANT, OTHER_TENANT]) {
      const list = await http().get('/api/crew/tasks').set('X-Tenant-ID', tenant).expect(200);
      expect(list.body, tenant).toEqual({ items: [], next_cursor: null, limit: 20 });
    }
    // The control: the same body without the fault is accepted, and it is the only task stored.
    const accepted = await http().post('/api/crew/execute').send(validBody()).expect(200);
    const list = await http().get('/api/crew/tasks').set('X-Tenant-ID', TENANT).expect(200);
    expect(list.body.items.map((item: { task_id: string }) => item.task_id)).toEqual([accepted.body.task_id]);
  });
});
