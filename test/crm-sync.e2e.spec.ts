import type { ServerResponse } from 'node:http';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackServer } from './support/loopback-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const CONTACTS = [
  { id: 'c-1', name: 'Acme', email: 'ops@acme.example', ltv: 15000, engagement_score: 92, churn_risk: 0.1, crm_owner: 'kim' },
  { id: 'c-2', name: 'Globex', ltv: 400, engagement_score: 22, churn_risk: 0.8, last_activity_at: '2026-01-02T03:04:05.678Z' },
  { external_id: 'c-3', name: 'Initech', ltv: 1234.5, attributes: { tier: 'gold', regions: ['eu', 'us'] } },
];

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

describe('sync_crm_contacts against a loopback upstream (direct_api)', () => {
  let testApp: TestApp;
  let upstream: LoopbackServer;
  const http = () => request(testApp.app.getHttpServer());
  const sync = (tenant: string, parameters: Record<string, unknown> = {}) =>
    http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', tenant)
      .send({
        type: 'sync_crm_contacts',
        description: 'Sync CRM contacts',
        parameters: { source_url: `${upstream.url}/contacts`, ...parameters },
      });
  const count = async (tenant: string, type = 'get_customer_list'): Promise<number> => {
    const response = await http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', tenant)
      .send({ type, description: 'List', parameters: {} })
      .expect(200);
    return response.body.result.total as number;
  };

  beforeAll(async () => {
    upstream = await new LoopbackServer().start();
    testApp = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' });
  });
  afterEach(() => {
    upstream.requests.length = 0;
  });
  afterAll(async () => {
    await testApp?.dispose();
    await upstream?.close();
  });

  it('imports the contacts as customers, then a second identical run changes nothing', async () => {
    upstream.respond((_request, response) => json(response, 200, CONTACTS));
    const first = await sync('sync-a').expect(200);
    expect(first.body).toMatchObject({
      status: 'completed',
      strategy_used: 'direct_api',
      result: {
        target: 'customers',
        source: `${upstream.url}/contacts`,
        attempts: 1,
        fetched: 3,
        created: 3,
        updated: 0,
        unchanged: 0,
      },
    });
    expect(upstream.requests.map((r) => [r.method, r.url, r.headers.accept])).toEqual([['GET', '/contacts', 'application/json']]);
    const listed = await http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', 'sync-a')
      .send({ type: 'get_customer', description: 'Get', parameters: { external_id: 'c-2' } })
      .expect(200);
    expect(listed.body.result).toMatchObject({ name: 'Globex', ltv: 400, churn_risk: 0.8, last_activity_at: '2026-01-02T03:04:05.678Z' });

    const second = await sync('sync-a').expect(200);
    expect(second.body.result).toMatchObject({ fetched: 3, created: 0, updated: 0, unchanged: 3 });
    expect(await count('sync-a')).toBe(3);
  });

  it('updates only the contacts that changed and keeps fields the upstream leaves out', async () => {
    upstream.respond((_request, response) => json(response, 200, CONTACTS));
    await sync('sync-b').expect(200);
    const changed = [{ ...CONTACTS[0], ltv: 16000 }, { id: 'c-2', name: 'Globex' }, CONTACTS[2], { id: 'c-4', name: 'Hooli' }];
    upstream.respond((_request, response) => json(response, 200, { contacts: changed }));
    const response = await sync('sync-b').expect(200);
    expect(response.body.result).toMatchObject({ fetched: 4, created: 1, updated: 1, unchanged: 2 });
    const globex = await http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', 'sync-b')
      .send({ type: 'get_customer', description: 'Get', parameters: { external_id: 'c-2' } })
      .expect(200);
    expect(globex.body.result).toMatchObject({ ltv: 400, engagement_score: 22 });
  });

  it('imports leads when target is "leads"', async () => {
    upstream.respond((_request, response) =>
      json(response, 200, [
        { id: 9, email: 'cto@techcorp.com', company: 'TechCorp', role: 'CTO', company_size: '51-200', website_visits: 12 },
        { id: 10, email: 'jane@gmail.com', status: 'contacted' },
      ]),
    );
    const response = await sync('sync-leads', { target: 'leads' }).expect(200);
    expect(response.body.result).toMatchObject({ target: 'leads', fetched: 2, created: 2 });
    expect(await count('sync-leads', 'get_lead_list')).toBe(2);
    expect(await count('sync-leads')).toBe(0);
    const again = await sync('sync-leads', { target: 'leads' }).expect(200);
    expect(again.body.result).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it('retries a timeout three times with backoff, then fails with a clear error and writes nothing', async () => {
    upstream.respond(() => 'hang');
    const response = await sync('sync-timeout', { timeout_ms: 300 }).expect(200);
    expect(response.body).toMatchObject({ status: 'failed', result: null });
    expect(response.body.error).toBe(
      `The CRM upstream ${upstream.url}/contacts failed after 4 attempt(s) (last: timed out after 300 ms). Check that it is up and answers within the timeout (timeout_ms / CRM_SYNC_TIMEOUT_MS), then run sync_crm_contacts again. Nothing was written.`,
    );
    expect(upstream.requests).toHaveLength(4);
    expect(await count('sync-timeout')).toBe(0);
  });

  it('retries a 500 three times, then fails and writes nothing', async () => {
    upstream.respond((_request, response) => json(response, 500, { error: 'boom' }));
    const response = await sync('sync-500').expect(200);
    expect(response.body.status).toBe('failed');
    expect(response.body.error).toMatch(/failed after 4 attempt\(s\) \(last: HTTP 500\)/);
    expect(upstream.requests).toHaveLength(4);
    expect(await count('sync-500')).toBe(0);
  });

  it('recovers when the upstream answers after two 503s', async () => {
    let calls = 0;
    upstream.respond((_request, response) => {
      calls++;
      if (calls <= 2) json(response, 503, {});
      else json(response, 200, CONTACTS);
    });
    const response = await sync('sync-flaky').expect(200);
    expect(response.body.result).toMatchObject({ attempts: 3, created: 3 });
  });

  it('does not retry a 404', async () => {
    upstream.respond((_request, response) => json(response, 404, {}));
    const response = await sync('sync-404').expect(200);
    expect(response.body.error).toBe(
      `The CRM upstream ${upstream.url}/contacts answered HTTP 404; check source_url (or CRM_SYNC_URL) and the upstream's access rules. Nothing was written.`,
    );
    expect(upstream.requests).toHaveLength(1);
  });

  it.each([
    ['a body that is not JSON', 'not json at all', /with a body that is not JSON/],
    ['JSON that is not a list', JSON.stringify({ total: 3 }), /answered JSON that is not a list of contacts/],
  ])('fails on %s without retrying and writes nothing', async (_name, body, message) => {
    upstream.respond((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(body));
    const response = await sync('sync-malformed').expect(200);
    expect(response.body.status).toBe('failed');
    expect(response.body.error).toMatch(message);
    expect(upstream.requests).toHaveLength(1);
    expect(await count('sync-malformed')).toBe(0);
  });

  it.each([
    ['an invalid email', [CONTACTS[0], { id: 'x', name: 'Bad', email: 'nope' }], 'records[1].email', 'email must be an email'],
    [
      'a missing id',
      [CONTACTS[0], CONTACTS[1], { name: 'No id' }],
      'records[2].external_id',
      'is required (external_id or id: a non-empty string or a number)',
    ],
    ['a duplicate id', [CONTACTS[0], { ...CONTACTS[1], id: 'c-1' }], 'records[1].external_id', 'duplicates records[0].external_id "c-1"'],
    [
      'churn_risk out of range',
      [{ id: 'r', name: 'Risky', churn_risk: 3 }],
      'records[0].churn_risk',
      'churn_risk must not be greater than 1',
    ],
    ['a record that is not an object', [CONTACTS[0], 'c-9'], 'records[1]', 'must be an object'],
  ])('validates every record first: %s fails the sync naming the record, nothing is written', async (_name, contacts, field, message) => {
    upstream.respond((_request, response) => json(response, 200, contacts));
    const response = await sync('sync-invalid').expect(200);
    expect(response.body.status).toBe('failed');
    expect(response.body.error).toBe(
      `The CRM upstream ${upstream.url}/contacts sent an invalid contact: ${field}: ${message}. Fix the record upstream (or point source_url at a valid export) and sync again. Nothing was written.`,
    );
    expect(await count('sync-invalid')).toBe(0);
  });

  it('answers 422 for a bad source_url or target before calling anything', async () => {
    const ftp = await sync('sync-params', { source_url: 'ftp://127.0.0.1/contacts' }).expect(422);
    expect(ftp.body.errors).toEqual([{ field: 'parameters.source_url', message: 'scheme ftp: is not allowed (http or https only)' }]);
    const target = await sync('sync-params', { target: 'deals' }).expect(422);
    expect(target.body.errors[0]).toMatchObject({ field: 'parameters.target' });
    const missing = await http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', 'sync-params')
      .send({ type: 'sync_crm_contacts', description: 'Sync CRM contacts', parameters: {} })
      .expect(422);
    expect(missing.body.errors).toEqual([{ field: 'parameters.source_url', message: 'is required when CRM_SYNC_URL is not configured' }]);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('sync_crm_contacts configuration', () => {
  let upstream: LoopbackServer;

  beforeAll(async () => {
    upstream = await new LoopbackServer().start();
    upstream.respond((_request, response) => json(response, 200, CONTACTS));
  });
  afterAll(async () => {
    await upstream?.close();
  });

  it('falls back to CRM_SYNC_URL, and the outbound guard refuses loopback unless OUTBOUND_ALLOW_PRIVATE=true', async () => {
    const fallback = { CRM_SYNC_URL: `${upstream.url}/export` };
    const guarded = await createTestApp(fallback);
    try {
      const response = await request(guarded.app.getHttpServer())
        .post('/api/crew/execute')
        .set('X-Tenant-ID', 'sync-env')
        .send({ type: 'sync_crm_contacts', description: 'Sync CRM contacts', parameters: {} })
        .expect(422);
      expect(response.body.errors).toEqual([
        {
          field: 'parameters.source_url',
          message: '127.0.0.1 is a loopback/private/link-local address (set OUTBOUND_ALLOW_PRIVATE=true to allow)',
        },
      ]);
      expect(upstream.requests).toHaveLength(0);
    } finally {
      await guarded.dispose();
    }
    const allowed = await createTestApp({ ...fallback, OUTBOUND_ALLOW_PRIVATE: 'true' });
    try {
      const response = await request(allowed.app.getHttpServer())
        .post('/api/crew/execute')
        .set('X-Tenant-ID', 'sync-env')
        .send({ type: 'sync_crm_contacts', description: 'Sync CRM contacts', parameters: {} })
        .expect(200);
      expect(response.body.result).toMatchObject({ source: `${upstream.url}/export`, created: 3 });
      expect(upstream.requests.map((r) => r.url)).toEqual(['/export']);
    } finally {
      await allowed.dispose();
    }
  });
});
