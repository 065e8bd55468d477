import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackServer } from './support/loopback-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'cms-sync';
const ITEMS = [
  {
    id: 'post-1',
    title: 'Spring Sale',
    body: '# Spring Sale\n\nEverything is 30 % off.',
    status: 'published',
    published_at: '2026-03-01T09:00:00Z',
    keywords: ['sale'],
  },
  { id: 'post-2', title: 'About us', slug: 'about', format: 'html', body: '<h1>About</h1><p>We sell shoes.</p>' },
];

describe('cms_sync_content against a loopback upstream', () => {
  let testApp: TestApp;
  const upstream = new LoopbackServer();
  const http = () => request(testApp.app.getHttpServer());
  const execute = (type: string, parameters: Record<string, unknown>, tenant = TENANT) =>
    http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', tenant)
      .send({ type, description: `Run ${type}`, parameters });
  const stored = async (tenant = TENANT) =>
    (await execute('cms_list_content', { limit: 100 }, tenant).expect(200)).body.result.items as Record<string, unknown>[];
  let payload: unknown = ITEMS;

  beforeAll(async () => {
    await upstream.start();
    upstream.respond((req, res) => {
      if (req.url.startsWith('/hang')) return;
      if (req.url.startsWith('/fail')) return res.writeHead(500).end('upstream broke');
      if (req.url.startsWith('/broken'))
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"items": [{"id": "x", "title": ');
      if (req.url.startsWith('/invalid'))
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([ITEMS[0], { id: 'bad' }]));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    });
    // The CMS section: the default upstream and a short backoff.
    testApp = await createTestApp({
      OUTBOUND_ALLOW_PRIVATE: 'true',
      CMS_SYNC_URL: `${upstream.url}/content`,
      CMS_SYNC_RETRY_BACKOFF_MS: '10',
    });
  });
  afterAll(async () => {
    await testApp?.dispose();
    await upstream.close();
  });

  it('imports from CMS_SYNC_URL, then upserts idempotently by external id', async () => {
    const first = await execute('cms_sync_content', {}).expect(200);
    expect(first.body).toMatchObject({ status: 'completed', strategy_used: 'direct_api', metrics: { fallback_chain: ['direct_api'] } });
    expect(first.body.result).toMatchObject({
      source_url: `${upstream.url}/content`,
      http_status: 200,
      items: 2,
      inserted: 2,
      updated: 0,
      unchanged: 0,
    });
    const items = await stored();
    expect(items.map((i) => [i.external_id, i.slug, i.status, i.published_at, i.format]).sort()).toEqual([
      ['post-1', 'spring-sale', 'published', '2026-03-01T09:00:00.000Z', 'markdown'],
      ['post-2', 'about', 'draft', null, 'html'],
    ]);

    const same = await execute('cms_sync_content', {}).expect(200);
    expect(same.body.result).toMatchObject({ items: 2, inserted: 0, updated: 0, unchanged: 2 });

    payload = [{ ...ITEMS[0], title: 'Spring Sale — extended' }, ITEMS[1], { id: 'post-3', title: 'New arrivals' }];
    const changed = await execute('cms_sync_content', {}).expect(200);
    expect(changed.body.result).toMatchObject({ items: 3, inserted: 1, updated: 1, unchanged: 1 });
    expect((await stored()).length).toBe(3);
    payload = ITEMS;
  });

  it('retries a 500 and then fails clearly, writing nothing', async () => {
    const before = await stored();
    const requests = upstream.requests.length;
    const response = await execute('cms_sync_content', { source_url: `${upstream.url}/fail`, max_retries: 2 }).expect(200);
    expect(response.body).toMatchObject({
      status: 'failed',
      error: 'Content sync failed after 3 attempt(s): the upstream answered HTTP 500. Nothing was imported.',
    });
    expect(upstream.requests.length - requests).toBe(3);
    expect(await stored()).toEqual(before);
  });

  it('times out a hanging upstream', async () => {
    const response = await execute('cms_sync_content', { source_url: `${upstream.url}/hang`, timeout_ms: 300, max_retries: 0 }).expect(200);
    expect(response.body).toMatchObject({
      status: 'failed',
      error: 'Content sync failed after 1 attempt(s): the upstream did not answer within 300 ms. Nothing was imported.',
    });
  });

  it('refuses a malformed or invalid payload as a whole', async () => {
    const before = await stored();
    const broken = await execute('cms_sync_content', { source_url: `${upstream.url}/broken` }).expect(200);
    expect(broken.body).toMatchObject({
      status: 'failed',
      error:
        'Content sync failed: the upstream payload is malformed — the body is not JSON (starts with "{\\"items\\": [{\\"id\\": \\"x\\", \\"title\\": "). Nothing was imported.',
    });
    const invalid = await execute('cms_sync_content', { source_url: `${upstream.url}/invalid` }).expect(200);
    expect(invalid.body).toMatchObject({
      status: 'failed',
      error:
        'Content sync failed: the upstream payload is malformed — item 1 (bad): title must be a string of 1–300 characters. Nothing was imported.',
    });
    expect(await stored()).toEqual(before);
  });

  it('rolls back the whole import when a slug clashes with a local item', async () => {
    const tenant = 'cms-sync-clash';
    await execute('cms_create_content', { title: 'About', slug: 'about' }, tenant).expect(200);
    const response = await execute('cms_sync_content', {}, tenant).expect(200);
    expect(response.body).toMatchObject({
      status: 'failed',
      error:
        'Content sync failed: slug "about" (item post-2) is already used by another content item of this tenant (rename one of them). Nothing was imported.',
    });
    expect((await stored(tenant)).map((i) => i.slug)).toEqual(['about']);
  });

  it('refuses credentials in source_url before running (422)', async () => {
    const response = await execute('cms_sync_content', { source_url: 'http://user:pw@127.0.0.1:9/x' }).expect(422);
    expect(response.body.errors).toEqual([
      { field: 'parameters.source_url', message: 'credentials in the URL are not allowed; use headers' },
    ]);
  });
});

describe('cms_sync_content without CMS_SYNC_URL and with the outbound guard on', () => {
  let testApp: TestApp;
  const execute = (parameters: Record<string, unknown>) =>
    request(testApp.app.getHttpServer())
      .post('/api/crew/execute')
      .set('X-Tenant-ID', TENANT)
      .send({ type: 'cms_sync_content', description: 'Sync', parameters });

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('needs a source and refuses loopback addresses (422)', async () => {
    expect((await execute({}).expect(422)).body.errors).toEqual([
      { field: 'parameters.source_url', message: 'give source_url, or set CMS_SYNC_URL on the service' },
    ]);
    expect((await execute({ source_url: 'http://127.0.0.1:8080/feed' }).expect(422)).body.errors).toEqual([
      {
        field: 'parameters.source_url',
        message: '127.0.0.1 is a loopback/private/link-local address (set OUTBOUND_ALLOW_PRIVATE=true to allow)',
      },
    ]);
  });
});
