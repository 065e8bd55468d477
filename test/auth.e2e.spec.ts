import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

const KEY_A = 'tenant-a-key-0123456789abcdef';
const KEY_B = 'tenant-b-key-0123456789abcdef';
const SERVICE_KEY = 'service-key-0123456789abcdef';
const UUID = '00000000-0000-4000-8000-000000000000';

interface ExpressLayer {
  route?: { path?: unknown; methods?: Record<string, boolean> };
}

const UNAUTHORIZED = {
  type: 'urn:ai-crew:problem:unauthorized',
  title: 'Unauthorized',
  status: 401,
};

describe('authentication and tenant isolation', () => {
  let testApp: TestApp;
  let taskOfB: { task_id: string; workflow_id: string };
  const http = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    testApp = await createTestApp({ CREW_API_KEYS: `${KEY_A}:tenant-a, ${KEY_B}:tenant-b, ${SERVICE_KEY}:*` });
    const created = await http()
      .post('/api/crew/execute')
      .set('Authorization', `Bearer ${KEY_B}`)
      .send({ type: 'system_probe', description: 'task of b', parameters: { wait_ms: 1 } })
      .expect(200);
    expect(created.body.status).toBe('completed');
    taskOfB = created.body;
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  describe('no key and wrong keys', () => {
    it('no key → 401 problem+json with a Bearer challenge', async () => {
      const response = await http()
        .post('/api/crew/execute')
        .send({ type: 'get_task_list', description: 'x', tenant_id: 'tenant-a' })
        .expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="ai-crew"');
      expect(response.body).toMatchObject({
        ...UNAUTHORIZED,
        detail: 'An API key is required: send Authorization: Bearer <key> or X-API-Key: <key>.',
        instance: '/api/crew/execute',
      });
    });

    it.each([
      ['a wrong bearer key', { Authorization: 'Bearer wrong-key-0123456789abcdef' }, 'The API key is not valid.'],
      ['a wrong X-API-Key', { 'X-API-Key': `${KEY_A}x` }, 'The API key is not valid.'],
      ['a prefix of a real key', { 'X-API-Key': KEY_A.slice(0, -1) }, 'The API key is not valid.'],
      [
        'another auth scheme',
        { Authorization: `Basic ${Buffer.from(`x:${KEY_A}`).toString('base64')}` },
        'An API key is required: send Authorization: Bearer <key> or X-API-Key: <key>.',
      ],
    ])('%s → 401', async (_name, headers, detail) => {
      const response = await http().get(`/api/crew/task/${taskOfB.task_id}`).set(headers).set('X-Tenant-ID', 'tenant-b').expect(401);
      expect(response.body).toMatchObject({ ...UNAUTHORIZED, detail });
    });
  });

  describe('a tenant key', () => {
    it('acts for its own tenant without naming it (Bearer or X-API-Key)', async () => {
      const created = await http()
        .post('/api/crew/execute')
        .set('X-API-Key', KEY_A)
        .send({ type: 'get_task_list', description: 'mine' })
        .expect(200);
      const read = await http().get(`/api/crew/task/${created.body.task_id}`).set('Authorization', `Bearer ${KEY_A}`).expect(200);
      expect(read.body).toMatchObject({ id: created.body.task_id, tenant_id: 'tenant-a', type: 'get_task_list' });
      const named = await http()
        .get(`/api/crew/task/${created.body.task_id}?tenant_id=tenant-a`)
        .set('X-API-Key', KEY_A)
        .set('X-Tenant-ID', 'tenant-a')
        .expect(200);
      expect(named.body.id).toBe(created.body.task_id);
      const list = await http().get('/api/crew/tasks').set('X-API-Key', KEY_A).expect(200);
      expect(list.body.items.map((item: { task_id: string }) => item.task_id)).toEqual([created.body.task_id]);
    });

    it("cannot see another tenant's task or its steps: 404", async () => {
      for (const id of [taskOfB.task_id, taskOfB.workflow_id]) {
        for (const path of [`/api/crew/task/${id}`, `/api/crew/task/${id}?include=trace`, `/api/crew/task/${id}/events`]) {
          const response = await http().get(path).set('X-API-Key', KEY_A).expect(404);
          expect(response.body).toMatchObject({
            type: 'urn:ai-crew:problem:not-found',
            status: 404,
            detail: `No task ${id} for tenant tenant-a.`,
          });
        }
        await http().delete(`/api/crew/task/${id}`).set('X-API-Key', KEY_A).expect(404);
      }
      // B still sees it, steps included.
      const own = await http().get(`/api/crew/task/${taskOfB.task_id}?include=trace`).set('X-API-Key', KEY_B).expect(200);
      expect(own.body).toMatchObject({ tenant_id: 'tenant-b', type: 'system_probe' });
      expect(own.body.trace.length).toBeGreaterThan(0);
    });

    it.each([
      ['a body tenant_id', (test: request.Test) => test.send({ type: 'get_task_list', description: 'x', tenant_id: 'tenant-b' })],
      [
        'an X-Tenant-ID header',
        (test: request.Test) => test.set('X-Tenant-ID', 'tenant-b').send({ type: 'get_task_list', description: 'x' }),
      ],
    ])('cannot submit for another tenant named in %s: 403', async (_name, name) => {
      const response = await name(http().post('/api/crew/execute').set('X-API-Key', KEY_A)).expect(403);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        type: 'urn:ai-crew:problem:forbidden',
        title: 'Forbidden',
        status: 403,
        detail: 'This API key acts for tenant tenant-a; it cannot act for tenant tenant-b.',
        tenant_id: 'tenant-b',
      });
    });

    it('cannot read another tenant by query or header: 403', async () => {
      await http().get('/api/crew/tasks?tenant_id=tenant-b').set('X-API-Key', KEY_A).expect(403);
      await http().get(`/api/crew/task/${taskOfB.task_id}`).set('X-API-Key', KEY_A).set('X-Tenant-ID', 'tenant-b').expect(403);
    });
  });

  describe('a service key', () => {
    it('acts for the tenant named in X-Tenant-ID', async () => {
      const read = await http()
        .get(`/api/crew/task/${taskOfB.task_id}`)
        .set('X-API-Key', SERVICE_KEY)
        .set('X-Tenant-ID', 'tenant-b')
        .expect(200);
      expect(read.body.tenant_id).toBe('tenant-b');
      const created = await http()
        .post('/api/crew/execute')
        .set('Authorization', `Bearer ${SERVICE_KEY}`)
        .set('X-Tenant-ID', 'tenant-c')
        .send({ type: 'get_task_list', description: 'for c' })
        .expect(200);
      await http().get(`/api/crew/task/${created.body.task_id}`).set('X-API-Key', KEY_A).expect(404);
      await http().get(`/api/crew/task/${created.body.task_id}`).set('X-API-Key', SERVICE_KEY).set('X-Tenant-ID', 'tenant-c').expect(200);
    });

    it('without X-Tenant-ID is a 422 naming tenant_id', async () => {
      const missing = { field: 'tenant_id', message: 'is required (in the body as tenant_id or in the X-Tenant-ID header)' };
      const read = await http().get(`/api/crew/task/${taskOfB.task_id}`).set('X-API-Key', SERVICE_KEY).expect(422);
      expect(read.body).toMatchObject({ type: 'urn:ai-crew:problem:validation-error', status: 422, errors: [missing] });
      const submit = await http()
        .post('/api/crew/execute')
        .set('X-API-Key', SERVICE_KEY)
        .send({ type: 'get_task_list', description: 'x' })
        .expect(422);
      expect(submit.body.errors).toEqual([missing]);
    });
  });

  it('guards every route except the public ones (enumerated from the HTTP router)', async () => {
    const stack = (testApp.app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } }).router.stack;
    const routes = stack.flatMap((layer) => {
      const path = layer.route?.path;
      const methods = Object.entries(layer.route?.methods ?? {})
        .filter(([, on]) => on)
        .map(([method]) => method);
      // Catch-all layers (every method) are middleware mounts, not routes.
      if (typeof path !== 'string' || methods.length === 0 || methods.length > 5) return [];
      return methods.map((method) => ({ method, path }));
    });
    expect(routes.length).toBeGreaterThan(10);
    const open: string[] = [];
    for (const { method, path } of routes) {
      const url = path.replace(/:[A-Za-z0-9_]+/g, UUID).replace(/\*[A-Za-z0-9_]*/g, 'x');
      const response = await (http() as unknown as Record<string, (url: string) => request.Test>)[method](url);
      if (response.status !== 401) open.push(`${method.toUpperCase()} ${path}`);
      else expect(response.body.type, `${method} ${path}`).toBe('urn:ai-crew:problem:unauthorized');
    }
    const metrics = routes.some((route) => route.path === '/metrics' && route.method === 'get') ? ['GET /metrics'] : [];
    expect(open.filter((route) => !route.startsWith('GET /api/crew/docs')).sort()).toEqual(
      ['GET /api/crew/health', 'GET /api/crew/health/live', 'GET /api/crew/health/ready', ...metrics].sort(),
    );
    // The documentation is public too.
    expect(open).toEqual(expect.arrayContaining(['GET /api/crew/docs', 'GET /api/crew/docs-json', 'GET /api/crew/docs-yaml']));
    await http().get('/api/crew/health/live').expect(200);
  });
});

describe('without CREW_API_KEYS (outside production)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('every route is open and the tenant still comes from the request', async () => {
    const http = () => request(testApp.app.getHttpServer());
    const created = await http().post('/api/crew/execute').send({ type: 'get_task_list', description: 'x', tenant_id: 'open' }).expect(200);
    await http().get(`/api/crew/task/${created.body.task_id}`).set('X-Tenant-ID', 'open').expect(200);
    await http().get(`/api/crew/task/${created.body.task_id}`).set('X-Tenant-ID', 'someone-else').expect(404);
    await http().post('/api/crew/brain/validate-integration').expect(404);
    const missing = await http().get('/api/crew/tasks').expect(422);
    expect(missing.body.errors[0].field).toBe('tenant_id');
  });
});
