import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackServer } from './support/loopback-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'integrations-sync';
const OTHER = 'integrations-sync-other';
const TOKEN_VAR = 'INTEGRATION_INTEGRATIONS_SYNC__CRM_TOKEN';
/** In the tenant's namespace but not set on the service. */
const UNSET_VAR = 'INTEGRATION_INTEGRATIONS_SYNC__UNSET_TOKEN';

interface SyncRun {
  status: string;
  error_class: string | null;
  http_status: number | null;
  attempts: number;
  records: number;
  error: string | null;
}

describe('integrations_sync against a loopback upstream', () => {
  let testApp: TestApp;
  const upstream = new LoopbackServer();
  let flakyCalls = 0;
  let contacts: Record<string, unknown>[] = [
    { id: 1, email: 'a@example.com', name: 'Ann' },
    { id: 2, email: 'b@example.com', name: 'Bob' },
    { id: 'c-3', email: 'c@example.com', name: 'Cy' },
  ];
  const http = () => request(testApp.app.getHttpServer());
  const execute = (type: string, parameters: Record<string, unknown>, tenant = TENANT) =>
    http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', tenant)
      .send({ type, description: `Run ${type}`, parameters });
  let connectionId: string;
  const records = async () =>
    (await execute('integrations_list_records', { connection_id: connectionId }).expect(200)).body.result.records as {
      external_id: string;
      data: unknown;
    }[];
  const lastRun = async (id = connectionId): Promise<SyncRun & { sync_run_id: string }> =>
    (await execute('integrations_list_sync_runs', { connection_id: id, limit: 1 }).expect(200)).body.result.sync_runs[0];
  const sync = (parameters: Record<string, unknown>) =>
    execute('integrations_sync', { connection_id: connectionId, ...parameters }).expect(200);

  beforeAll(async () => {
    await upstream.start();
    upstream.respond((req, res) => {
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res
          .writeHead(status, { 'content-type': 'application/json', ...headers })
          .end(typeof body === 'string' ? body : JSON.stringify(body));
      switch (req.url.split('?')[0]) {
        case '/api/contacts':
          return json(200, { records: contacts, next: null });
        case '/api/fail':
          return json(500, { error: 'boom' });
        case '/api/hang':
          return undefined;
        case '/api/broken':
          return json(200, '[{"id": 1, "email": ');
        case '/api/noid':
          return json(200, [{ id: 9, email: 'ok@example.com' }, { email: 'missing-id@example.com' }]);
        case '/api/products':
          return json(200, [
            { id: 'p-1', sku: 'MUG', name: 'Travel mug', price: 12.5, cost: 4 },
            { id: 'p-2', name: 'Lid' },
          ]);
        case '/api/articles':
          return json(200, [{ id: 'A 1', title: 'Hello world', body: '# Hello', author: 'Ann' }]);
        case '/api/limited':
          return json(429, { error: 'slow down' }, { 'retry-after': '0' });
        case '/api/flaky':
          flakyCalls += 1;
          return flakyCalls === 1 ? json(503, 'busy') : json(200, [{ id: 'f1' }]);
        case '/api/private':
          return req.headers['x-api-key'] === 's3cret' ? json(200, [{ id: 'p1' }]) : json(401, { error: 'no key' });
        default:
          return json(404, { error: 'unknown path' });
      }
    });
    testApp = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true', INTEGRATIONS_RETRY_BACKOFF_MS: '10', [TOKEN_VAR]: 's3cret' });
    const created = await execute('integrations_create_connection', {
      name: 'crm',
      base_url: `${upstream.url}/api`,
      target_domain: 'crm',
      schedule: '15m',
      timeout_ms: 5000,
    }).expect(200);
    connectionId = created.body.result.connection_id;
  });
  afterAll(async () => {
    await testApp?.dispose();
    await upstream.close();
  });

  it('stages the records by external id, idempotently, and records each run', async () => {
    const first = await sync({ path: '/contacts' });
    expect(first.body).toMatchObject({ status: 'completed', strategy_used: 'direct_api', metrics: { fallback_chain: ['direct_api'] } });
    expect(first.body.result).toMatchObject({
      connection: 'crm',
      target_domain: 'crm',
      status: 'succeeded',
      url: `${upstream.url}/api/contacts`,
      http_status: 200,
      attempts: 1,
      records: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      staged_in: 'integration_records',
    });
    expect((await records()).map((r) => r.external_id)).toEqual(['1', '2', 'c-3']);
    expect(await lastRun()).toMatchObject({
      sync_run_id: first.body.result.sync_run_id,
      status: 'succeeded',
      records: 3,
      http_status: 200,
      error_class: null,
    });

    expect((await sync({ path: '/contacts' })).body.result).toMatchObject({ records: 3, inserted: 0, updated: 0, unchanged: 3 });
    contacts = [...contacts.slice(0, 2), { id: 'c-3', email: 'cy@example.com', name: 'Cy' }, { id: 4, email: 'd@example.com' }];
    expect((await sync({ path: '/contacts' })).body.result).toMatchObject({ records: 4, inserted: 1, updated: 1, unchanged: 2 });
    expect((await records()).find((r) => r.external_id === 'c-3')?.data).toEqual({ id: 'c-3', email: 'cy@example.com', name: 'Cy' });
    expect(first.body.result.imported_into).toBe('customers');
  });

  it('imports the records of a crm connection into the customers of the tenant (upsert by external id)', async () => {
    // The syncs of the previous test imported them.
    const listed = await execute('get_customer_list', { limit: 50 }).expect(200);
    const customers = listed.body.result.customers ?? listed.body.result.items;
    const byExternal = new Map<string, any>(customers.map((c: any) => [String(c.external_id), c]));
    expect(byExternal.get('c-3')).toMatchObject({ name: 'Cy', email: 'cy@example.com' });
    expect(byExternal.get('4')).toMatchObject({ name: 'd@example.com', email: 'd@example.com' });
    const other = await execute('get_customer_list', {}, 'someone-else').expect(200);
    expect(other.body.result.total).toBe(0);
  });

  it('retries a 500, then fails clearly, records the failed run and imports nothing', async () => {
    const before = await records();
    const calls = upstream.requests.length;
    const response = await sync({ path: '/fail', max_retries: 2 });
    const run = await lastRun();
    expect(response.body).toMatchObject({
      status: 'failed',
      error: `Sync of connection "crm" failed [http_5xx] (3 attempts): ${new URL(upstream.url).host} answered HTTP 500 after 3 attempts. Nothing was imported; the failed run is recorded as sync run ${run.sync_run_id}.`,
    });
    expect(upstream.requests.length - calls).toBe(3);
    expect(run).toMatchObject({ status: 'failed', error_class: 'http_5xx', http_status: 500, attempts: 3, records: 0 });
    expect(await records()).toEqual(before);
  });

  it('times out a hanging upstream and records a timeout', async () => {
    const response = await sync({ path: '/hang', timeout_ms: 300, max_retries: 0 });
    expect(response.body.status).toBe('failed');
    expect(response.body.error).toContain(
      `failed [timeout]: ${new URL(upstream.url).host} did not answer within 300 ms. Nothing was imported`,
    );
    expect(await lastRun()).toMatchObject({ status: 'failed', error_class: 'timeout', http_status: null, attempts: 1 });
  });

  it('refuses a malformed body or an invalid record without writing any record', async () => {
    const before = await records();
    const broken = await sync({ path: '/broken' });
    expect(broken.body.error).toContain('failed [malformed]: ');
    expect(broken.body.error).toContain('answered a malformed payload: the body is not JSON (starts with "[{\\"id\\": 1, \\"email\\": ")');
    expect(await lastRun()).toMatchObject({ status: 'failed', error_class: 'malformed', http_status: 200 });
    const noId = await sync({ path: '/noid' });
    expect(noId.body.error).toContain('answered a malformed payload: record 1 has no usable id');
    expect(await records()).toEqual(before);
  });

  it('retries 429 honouring Retry-After and recovers from a transient 503', async () => {
    const limited = await sync({ path: '/limited', max_retries: 1 });
    expect(limited.body.error).toContain('failed [rate_limited] (2 attempts)');
    expect(await lastRun()).toMatchObject({ status: 'failed', error_class: 'rate_limited', http_status: 429, attempts: 2 });
    const flaky = await sync({ path: '/flaky', max_retries: 1 });
    expect(flaky.body.result).toMatchObject({ status: 'succeeded', attempts: 2, inserted: 1 });
  });

  it('sends the auth header from the named environment variable, and fails clearly when it is unset', async () => {
    const connect = async (name: string, ref: string) => {
      const created = await execute('integrations_create_connection', {
        name,
        base_url: `${upstream.url}/api`,
        target_domain: 'crm',
        auth_header_ref: ref,
        auth_header_name: 'X-Api-Key',
      }).expect(200);
      return created.body.result.connection_id as string;
    };
    const unsetId = await connect('private-unset', UNSET_VAR);
    const unset = await execute('integrations_sync', { connection_id: unsetId, path: '/private' }).expect(200);
    expect(unset.body.error).toContain(`failed [config]: environment variable ${UNSET_VAR} (auth_header_ref) is not set on the service.`);
    expect(await lastRun(unsetId)).toMatchObject({ status: 'failed', error_class: 'config', attempts: 0 });

    const id = await connect('private', TOKEN_VAR);
    const ok = await execute('integrations_sync', { connection_id: id, path: '/private' }).expect(200);
    expect(ok.body.result).toMatchObject({ status: 'succeeded', inserted: 1 });
    expect(upstream.requests.at(-1)?.headers['x-api-key']).toBe('s3cret');
    // The secret is nowhere in what the API answers.
    const read = await execute('integrations_get_connection', { connection_id: id }).expect(200);
    expect(JSON.stringify(read.body)).not.toContain('s3cret');
  });

  it('does not sync a disabled connection and records no run for it', async () => {
    const created = await execute('integrations_create_connection', {
      name: 'off',
      base_url: `${upstream.url}/api`,
      target_domain: 'cms',
      enabled: false,
    }).expect(200);
    const id = created.body.result.connection_id as string;
    const response = await execute('integrations_sync', { connection_id: id, path: '/contacts' }).expect(200);
    expect(response.body).toMatchObject({
      status: 'failed',
      error: 'Connection "off" is disabled; enable it (integrations_update_connection enabled: true) to sync.',
    });
    expect((await execute('integrations_list_sync_runs', { connection_id: id }).expect(200)).body.result.count).toBe(0);
  });

  it('imports ecommerce and cms connections into products and content items', async () => {
    const shop = await execute('integrations_create_connection', {
      name: 'shop',
      base_url: `${upstream.url}/api`,
      target_domain: 'ecommerce',
    }).expect(200);
    const synced = await execute('integrations_sync', { connection_id: shop.body.result.connection_id, path: '/products' }).expect(200);
    expect(synced.body.result).toMatchObject({ status: 'succeeded', records: 2, imported_into: 'products' });
    const products = (await execute('get_product_list', {}).expect(200)).body.result;
    const bySku = new Map<string, any>((products.products ?? products.items).map((p: any) => [p.sku, p]));
    expect(bySku.get('MUG')).toMatchObject({ name: 'Travel mug', price: 12.5 });
    // Missing fields fall back: sku = the upstream id, name = sku, price 0.
    expect(bySku.get('p-2')).toMatchObject({ name: 'Lid', price: 0 });

    const cms = await execute('integrations_create_connection', {
      name: 'blog',
      base_url: `${upstream.url}/api`,
      target_domain: 'cms',
    }).expect(200);
    const imported = await execute('integrations_sync', { connection_id: cms.body.result.connection_id, path: '/articles' }).expect(200);
    expect(imported.body.result).toMatchObject({ status: 'succeeded', imported_into: 'content_items' });
    const items = (await execute('cms_list_content', {}).expect(200)).body.result;
    expect(JSON.stringify(items)).toContain('imported-a-1');
  });

  it('analyses the runs this file made: exact counts by class', async () => {
    const response = await execute('integrations_error_analysis', { connection_id: connectionId }).expect(200);
    // Runs of "crm": 3 + 1 (flaky) succeeded; failed: http_5xx, timeout, malformed × 2, rate_limited → 5 of 9.
    expect(response.body.result.overall).toMatchObject({
      runs: 9,
      failed: 5,
      failure_rate: 0.5556,
      error_classes: { http_5xx: 1, timeout: 1, malformed: 2, rate_limited: 1, http_4xx: 0, config: 0, network: 0 },
    });
    const { p50, p95 } = response.body.result.overall.latency_ms;
    expect(p50).toBeLessThanOrEqual(p95);
    expect(response.body.result.connections[0].advice.map((a: { kind: string }) => a.kind)).toEqual([
      'timeout',
      'rate_limited',
      'http_5xx',
      'malformed',
    ]);
  });

  it("keeps another tenant out of the connection's runs and records", async () => {
    expect((await execute('integrations_list_sync_runs', {}, OTHER).expect(200)).body.result).toEqual({ count: 0, sync_runs: [] });
    const runs = await execute('integrations_list_sync_runs', { connection_id: connectionId }, OTHER).expect(200);
    expect(runs.body).toMatchObject({ status: 'failed', error: `No integration connection ${connectionId} for tenant ${OTHER}.` });
    const synced = await execute('integrations_sync', { connection_id: connectionId }, OTHER).expect(200);
    expect(synced.body).toMatchObject({ status: 'failed', error: `No integration connection ${connectionId} for tenant ${OTHER}.` });
  });

  it('refuses a path that is not relative to base_url (422)', async () => {
    const response = await execute('integrations_sync', { connection_id: connectionId, path: '//evil.example.com/x' }).expect(422);
    expect(response.body.errors).toEqual([{ field: 'parameters.path', message: 'path must start with / or ? (and not //)' }]);
  });
});
