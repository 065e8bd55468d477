import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../src/common/input-boundary.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PROBLEM_JSON = /^application\/problem\+json/;
const TENANT = 'hostile-tenant';
const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
const SURROGATE_MESSAGE = 'must not contain an unpaired UTF-16 surrogate (the text is not valid Unicode)';

/** A JSON text nested `depth` levels deep under `parameters.deep` (built as text: no recursion anywhere). */
function deepBody(depth: number): string {
  return `{"type":"get_task_list","description":"deep","parameters":{"deep":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
}

describe('hostile input at the boundary', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    testApp = await createTestApp({ WORKER_ENABLED: 'false' });
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  function expectValidation(response: request.Response, errors: { field: string; message: string }[]): void {
    expect(response.status, JSON.stringify(response.body)).toBe(422);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: 'urn:ai-crew:problem:validation-error',
      status: 422,
      request_id: response.headers['x-request-id'],
    });
    expect(response.body.errors).toEqual(errors);
  }

  const execute = (body: string | object) =>
    http().post('/api/crew/execute').set('X-Tenant-ID', TENANT).set('Content-Type', 'application/json').send(body);

  it.each([
    ['description', { description: 'a\u0000b' }, 'description', NUL_MESSAGE],
    ['user_id', { user_id: '\u0000' }, 'user_id', NUL_MESSAGE],
    ['session_id', { session_id: 'x\u0000' }, 'session_id', NUL_MESSAGE],
    ['a task parameter', { parameters: { status: 'a\u0000b' } }, 'parameters.status', NUL_MESSAGE],
    ['a metadata value deep inside', { metadata: { tags: ['ok', { note: '\ud800' }] } }, 'metadata.tags[1].note', SURROGATE_MESSAGE],
    ['a lone low surrogate', { description: 'x\udc00y' }, 'description', SURROGATE_MESSAGE],
    ['a metadata key', { metadata: { 'a\u0000b': 1 } }, 'metadata.a\\u0000b', `key ${NUL_MESSAGE}`],
  ])('refuses NUL and unpaired surrogates in %s with a 422 naming the field', async (_name, change, field, message) => {
    const response = await execute({ type: 'get_task_list', description: 'list', ...change });
    expectValidation(response, [{ field, message }]);
  });

  it('keeps paired surrogates (emoji) and other control characters', async () => {
    const response = await execute({ type: 'get_task_list', description: 'emoji 😀 tab\t', user_id: 'u\u0001' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.status).toBe('completed');
  });

  it('refuses a lone surrogate in a catalogue parameter that would be stored (create_subscription)', async () => {
    const response = await execute({
      type: 'create_subscription',
      description: 'subscribe',
      parameters: { customer_ref: '\ud800', plan: 'pro', mrr: 10 },
    });
    expectValidation(response, [{ field: 'parameters.customer_ref', message: SURROGATE_MESSAGE }]);
  });

  it('refuses NUL in a query filter and in a path parameter', async () => {
    const query = await http().get('/api/crew/tasks?type=%00').set('X-Tenant-ID', TENANT);
    expectValidation(query, [{ field: 'type', message: NUL_MESSAGE }]);
    const path = await http().get('/api/crew/task/a%00b').set('X-Tenant-ID', TENANT);
    expectValidation(path, [{ field: 'id', message: NUL_MESSAGE }]);
  });

  it('answers a path that is not valid percent-encoded UTF-8 with 400 problem+json', async () => {
    const response = await http().get('/api/crew/task/%ED%A0%80').set('X-Tenant-ID', TENANT);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: 'urn:ai-crew:problem:bad-request',
      status: 400,
      detail: 'The request path is not valid percent-encoded UTF-8.',
      request_id: response.headers['x-request-id'],
    });
  });

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels before validation, 20,000 levels included`, async () => {
    const path = `parameters.deep${'[0]'.repeat(MAX_JSON_DEPTH - 2)}`;
    const message = `nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`;
    for (const depth of [MAX_JSON_DEPTH, 20_000]) {
      expectValidation(await execute(deepBody(depth)), [{ field: path, message }]);
    }
    const crm = await http()
      .post('/api/crew/crm/lead-scoring')
      .set('X-Tenant-ID', TENANT)
      .set('Content-Type', 'application/json')
      .send(`{"lead_data":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`);
    expectValidation(crm, [{ field: `lead_data${'.a'.repeat(MAX_JSON_DEPTH - 1)}`, message }]);
    // One level less is fine as far as nesting goes (the parameter itself is then refused by the DTO).
    const shallow = await execute(deepBody(MAX_JSON_DEPTH - 2));
    expect(shallow.status).toBe(422);
    expect(shallow.body.errors).toEqual([{ field: 'parameters.deep', message: 'is not an allowed field' }]);
  });

  it('refuses null for optional fields that are not nullable, on every route kind', async () => {
    expectValidation(await execute({ type: 'get_task_list', description: 'x', parameters: null }), [
      { field: 'parameters', message: 'must not be null' },
    ]);
    expectValidation(await execute({ type: 'get_task_list', description: 'x', priority: null, metadata: null }), [
      { field: 'priority', message: 'must not be null' },
      { field: 'metadata', message: 'must not be null' },
    ]);
    expectValidation(await execute({ type: 'get_task_list', description: 'x', parameters: { status: null } }), [
      { field: 'parameters.status', message: 'must not be null' },
    ]);
    // A null item where the schema has records (found by the fuzzer: it reached the analysis' input check).
    expectValidation(await execute({ type: 'comprehensive_crm_analysis', description: 'x', parameters: { customers: [null] } }), [
      { field: 'parameters.customers', message: 'each value in customers must be an object' },
    ]);
    const crm = await http().post('/api/crew/crm/comprehensive-analysis').set('X-Tenant-ID', TENANT).send({ campaigns: null });
    expectValidation(crm, [{ field: 'campaigns', message: 'must not be null' }]);
    const scoring = await http()
      .post('/api/crew/crm/lead-scoring')
      .set('X-Tenant-ID', TENANT)
      .send({ lead_data: { company_size: 50 }, scoring_criteria: null });
    expectValidation(scoring, [{ field: 'scoring_criteria', message: 'must not be null' }]);
  });

  it('accepts null where the schema declares the field nullable (cms meta_description clears it)', async () => {
    const created = await execute({
      type: 'cms_create_content',
      description: 'create',
      parameters: { title: 'Spring sale', slug: 'spring-sale', body: 'Hello', meta_description: 'first' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = (created.body.result as { content_id: string }).content_id;
    const updated = await execute({
      type: 'cms_update_content',
      description: 'clear',
      parameters: { content_id: id, meta_description: null, author: null },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.status).toBe('completed');
    expect(updated.body.result).toMatchObject({ content_id: id, meta_description: null, author: null });
  });

  it("answers Node's HTTP parser errors as problem+json with a request id, on a raw socket", async () => {
    const server = testApp.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const cases = [
        'GET /api/crew/health HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n',
        'GET /api/crew/health HTTP/1.1\nHost: x\nX-Bad: a\n\n',
        'GET /api/crew/health HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n',
      ];
      for (const raw of cases) {
        const answer = await rawExchange(port, raw);
        const [head, body] = answer.split('\r\n\r\n');
        expect(head, JSON.stringify(raw)).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
        expect(head).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/i);
        expect(head).toMatch(/\r\nConnection: close(\r\n|$)/i);
        const requestId = /\r\nX-Request-Id: ([0-9a-f-]{36})\r\n/i.exec(head)?.[1];
        expect(requestId).toBeDefined();
        expect(JSON.parse(body)).toEqual({
          type: 'urn:ai-crew:problem:malformed-request',
          title: 'Bad Request',
          status: 400,
          detail: 'The request is not valid HTTP/1.1 (its request line or headers could not be parsed).',
          request_id: requestId,
        });
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('stays healthy afterwards', async () => {
    const response = await http().get('/api/crew/health/ready');
    expect(response.status).toBe(200);
  });
});

function rawExchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from(raw, 'latin1')));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}
