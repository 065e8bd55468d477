import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, LoopbackServer } from './support/loopback-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const HINT = 'is a loopback/private/link-local address (set OUTBOUND_ALLOW_PRIVATE=true to allow)';

describe('outbound URL guard through the API', () => {
  let testApp: TestApp;
  let server: LoopbackServer;
  const http = () => request(testApp.app.getHttpServer());
  const submit = (body: Record<string, unknown>) =>
    http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', 'ssrf')
      .send({ type: 'get_task_list', description: 'x', ...body });

  beforeAll(async () => {
    server = await new LoopbackServer().start();
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
    await server?.close();
  });

  it.each([
    ['http://127.0.0.1:9/hook', `127.0.0.1 ${HINT}`],
    ['http://[::1]:9/hook', `::1 ${HINT}`],
    ['http://169.254.169.254/latest/meta-data/', `169.254.169.254 ${HINT}`],
    ['http://10.0.0.1/hook', `10.0.0.1 ${HINT}`],
    ['http://localhost:9/hook', 'localhost is a local name (set OUTBOUND_ALLOW_PRIVATE=true to allow)'],
    ['http://user:secret@hooks.example.com/hook', 'credentials in the URL are not allowed; use headers'],
    ['file:///etc/passwd', 'must be an absolute http(s) URL'],
    ['ftp://hooks.example.com/hook', 'must be an absolute http(s) URL'],
  ])('callback_url %s → 422 on callback_url', async (callbackUrl, message) => {
    const response = await submit({ callback_url: callbackUrl, async_execution: true }).expect(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: 'urn:ai-crew:problem:validation-error',
      status: 422,
      errors: [{ field: 'callback_url', message }],
    });
  });

  it('a task that fetches a private address fails with the reason, and nothing is sent', async () => {
    const response = await http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', 'ssrf')
      .send({ type: 'system_probe', description: 'probe', parameters: { url: `${server.url}/internal` } })
      .expect(200);
    expect(response.body.status).toBe('failed');
    expect(response.body.error).toContain(`127.0.0.1 ${HINT}`);
    expect(server.requests).toHaveLength(0);
  });
});

describe('outbound URL guard with OUTBOUND_ALLOW_PRIVATE=true', () => {
  let testApp: TestApp;
  let server: LoopbackServer;

  beforeAll(async () => {
    server = await new LoopbackServer().start();
    testApp = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await testApp?.dispose();
    await server?.close();
  });

  it('accepts and delivers a loopback callback, but still refuses credentials in the URL', async () => {
    const http = () => request(testApp.app.getHttpServer());
    const accepted = await http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', 'private-ok')
      .send({
        type: 'system_probe',
        description: 'probe',
        parameters: { wait_ms: 1 },
        callback_url: `${server.url}/hook`,
        async_execution: true,
      })
      .expect(202);
    const delivered = await eventually(() => server.requests.find((r) => r.url === '/hook'), 15_000);
    expect(JSON.parse(delivered.body)).toMatchObject({ event: 'task.finished', task_id: accepted.body.task_id, status: 'completed' });

    const credentials = await http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', 'private-ok')
      .send({ type: 'get_task_list', description: 'x', callback_url: `http://u:p@127.0.0.1:${new URL(server.url).port}/hook` })
      .expect(422);
    expect(credentials.body.errors).toEqual([{ field: 'callback_url', message: 'credentials in the URL are not allowed; use headers' }]);
  });
});
