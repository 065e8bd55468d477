import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantSettingsService } from '../src/tenancy/tenant-settings.service.js';
import { BrainGateway, type GatewayRoute } from './support/brain-gateway.js';
import { eventually } from './support/loopback-server.js';
import { freePort } from './support/service-process.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const SERVICE_KEY = 'brain-service-key-0123456789';
const TENANT_KEY = 'acme-tenant-key-0123456789';
const BRAIN_TOKEN = 'brain-token-abcdef0123456789';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The MCP endpoint: JSON-RPC, deliberately out of the OpenAPI document, still announced to the Brain (@ListedForBrain). */
const MCP_ROUTES = ['DELETE /api/crew/mcp', 'GET /api/crew/mcp', 'POST /api/crew/mcp'];

type OpenApi = { paths: Record<string, Partial<Record<(typeof METHODS)[number], { summary?: string }>>> };

describe('Brain API integration against a stand-in gateway', () => {
  let gateway: BrainGateway;
  let testApp: TestApp;
  let crewUrl: string;
  const http = () => request(testApp.app.getHttpServer());
  const asService = (test: request.Test) => test.set('Authorization', `Bearer ${SERVICE_KEY}`);

  beforeAll(async () => {
    gateway = await new BrainGateway({ token: BRAIN_TOKEN, serviceKey: SERVICE_KEY }).start();
    const port = await freePort();
    crewUrl = `http://127.0.0.1:${port}`;
    testApp = await createTestApp({
      BRAIN_API_URL: gateway.url,
      BRAIN_API_TOKEN: BRAIN_TOKEN,
      CREW_API_KEYS: `${SERVICE_KEY}:*,${TENANT_KEY}:acme`,
      CREW_PUBLIC_URL: crewUrl,
    });
    await testApp.app.listen(port, '127.0.0.1');
  });
  afterAll(async () => {
    await testApp?.dispose();
    await gateway?.close();
  });

  it('registers the manifest generated from the real routes; every registered route exists in the OpenAPI document', async () => {
    const response = await asService(http().post('/api/crew/brain/register-routes')).expect(200);
    expect(gateway.registrations).toHaveLength(1);
    const { body: registration, headers } = gateway.registrations[0];
    expect(headers.authorization).toBe(`Bearer ${BRAIN_TOKEN}`);
    expect(registration.crew_system_url).toBe(crewUrl);
    expect(registration.registration_timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(response.body).toMatchObject({
      status: 'registered',
      brain_api_url: gateway.url,
      crew_system_url: crewUrl,
      routes_registered: registration.routes.length,
      brain_http_status: 200,
      brain_response: { status: 'registered', routes_registered: registration.routes.length },
      error: null,
    });
    expect(response.body.routes).toEqual(registration.routes);

    const document = (await http().get('/api/crew/docs-json').expect(200)).body as OpenApi;
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => ({
        key: `${method.toUpperCase()} ${path}`,
        summary: item[method]?.summary,
      })),
    );
    const byKey = new Map(documented.map((entry) => [entry.key, entry.summary]));
    for (const route of registration.routes) {
      const key = `${route.method} ${route.crew_system_endpoint}`;
      if (MCP_ROUTES.includes(key)) continue;
      expect(byKey.has(key), `${key} is registered but not in the OpenAPI document`).toBe(true);
      expect(route.description).toBe(byKey.get(key));
      expect(route.path).toBe(route.crew_system_endpoint.replace(/^\/api\/crew\//, '/api/brain/crew/'));
    }
    // …and nothing under /api/crew is left out except the Brain routes themselves.
    const expected = documented
      .map((entry) => entry.key)
      .filter((key) => / \/api\/crew\//.test(key) && !/ \/api\/crew\/brain\//.test(key))
      .concat(MCP_ROUTES)
      .sort();
    expect(registration.routes.map((route: GatewayRoute) => `${route.method} ${route.crew_system_endpoint}`).sort()).toEqual(expected);
    expect(registration.routes.some((route: GatewayRoute) => route.path.startsWith('/api/brain/crew/brain'))).toBe(false);
    expect(registration.routes).toEqual(
      expect.arrayContaining([
        {
          path: '/api/brain/crew/execute',
          method: 'POST',
          description: 'Submit a task; it runs the cheapest way that does it well',
          crew_system_endpoint: '/api/crew/execute',
          domain: 'tasks',
        },
        expect.objectContaining({ path: '/api/brain/crew/task/{id}', method: 'GET', domain: 'tasks' }),
        expect.objectContaining({ path: '/api/brain/crew/task/{id}', method: 'DELETE', domain: 'tasks' }),
        expect.objectContaining({ path: '/api/brain/crew/health', method: 'GET', domain: 'health' }),
        expect.objectContaining({ path: '/api/brain/crew/catalogue', method: 'GET', domain: 'system' }),
      ]),
    );

    const stored = await testApp.app.get(DataSource).query(`SELECT status, route_count, trigger, http_status FROM brain_registrations`);
    expect(stored).toEqual([{ status: 'registered', route_count: registration.routes.length, trigger: 'api', http_status: 200 }]);
  });

  it('only a service key may register, validate or sync', async () => {
    for (const [method, path] of [
      ['post', '/api/crew/brain/register-routes'],
      ['get', '/api/crew/brain/validate-integration'],
      ['post', '/api/crew/brain/sync-tenant/acme'],
    ] as const) {
      const forbidden = await http()[method](path).set('X-API-Key', TENANT_KEY).expect(403);
      expect(forbidden.body).toMatchObject({
        type: 'urn:ai-crew:problem:forbidden',
        status: 403,
        detail: 'This route needs a service key (key:* in CREW_API_KEYS); a tenant key cannot call it.',
      });
      await http()[method](path).expect(401);
    }
  });

  it('validate-integration passes with the gateway up', async () => {
    const response = await asService(http().get('/api/crew/brain/validate-integration')).expect(200);
    expect(response.body).toMatchObject({
      brain_api_accessible: true,
      routes_registered: true,
      health_check: true,
      round_trip: true,
      details: {
        brain_api_url: gateway.url,
        crew_system_url: crewUrl,
        brain_health: { http_status: 200, body: { status: 'healthy' } },
        registration: { status: 'registered', last_error: null },
        round_trip: { http_status: 200, path: '/api/brain/crew/health' },
        problems: [],
      },
    });
    expect(Date.parse(response.body.timestamp)).not.toBeNaN();
    // The round trip really went through the gateway to this service.
    expect(gateway.requests.some((r) => r.method === 'GET' && r.url === '/api/brain/crew/health')).toBe(true);
  });

  it('a request through the gateway reaches the right task type', async () => {
    const direct = await request(gateway.url)
      .post('/api/brain/crew/execute')
      .set('X-Tenant-ID', 'acme')
      .send({ type: 'get_task_list', description: 'through the gateway' })
      .expect(200);
    expect(direct.body).toMatchObject({ status: 'completed', execution_type: 'direct_db' });

    const routed = await request(gateway.url)
      .post('/api/brain/crew/system/get-task-list')
      .set('X-Tenant-ID', 'acme')
      .send({ description: 'recent tasks via the Brain', parameters: { limit: 3 } })
      .expect(200);
    expect(routed.body).toMatchObject({
      status: 'completed',
      brain_integration: {
        routed_from: 'system/get-task-list',
        task_type: 'get_task_list',
        execution_strategy: 'direct_db',
        agents_used: [],
      },
      crew_result: { status: 'completed', execution_type: 'direct_db', result: { count: 1 } },
    });
    expect(routed.body.crew_result.result.tasks[0].task_id).toBe(direct.body.task_id);

    const task = await http().get(`/api/crew/task/${routed.body.crew_result.task_id}`).set('X-API-Key', TENANT_KEY).expect(200);
    expect(task.body).toMatchObject({ tenant_id: 'acme', type: 'get_task_list', status: 'completed' });
  });

  it('sends a best-effort completion notice for finished tasks', async () => {
    const response = await asService(http().post('/api/crew/execute'))
      .set('X-Tenant-ID', 'acme')
      .send({ type: 'get_task_list', description: 'notice me' })
      .expect(200);
    const notice = await eventually(() => gateway.notices.find((n) => n.task_id === response.body.task_id));
    expect(notice).toMatchObject({
      event: 'crew_task_completed',
      task_id: response.body.task_id,
      workflow_id: response.body.workflow_id,
      tenant_id: 'acme',
      task_type: 'get_task_list',
      status: 'completed',
      strategy: 'direct_db',
      links: { self: `/api/crew/task/${response.body.task_id}` },
    });
    const sent = gateway.requests.find((r) => r.url === '/api/brain/notifications/crew-task-completed');
    expect(sent?.headers.authorization).toBe(`Bearer ${BRAIN_TOKEN}`);
  });

  it('handle-request: a Brain request id runs once; unknown and malformed routes are 422', async () => {
    const send = (body: Record<string, unknown>) =>
      asService(http().post('/api/crew/brain/handle-request')).set('X-Tenant-ID', 'acme').send(body);
    const first = await send({ route_path: '/api/brain/crew/system/get-task-list', request_id: 'brain-req-1' }).expect(200);
    const again = await send({ route_path: 'system/get-task-list', request_id: 'brain-req-1' }).expect(200);
    expect(again.body.crew_result.task_id).toBe(first.body.crew_result.task_id);
    expect(first.body.brain_integration.routed_from).toBe('system/get-task-list');

    const unknown = await send({ route_path: 'crm/no-such-thing' }).expect(422);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.body).toMatchObject({
      type: 'urn:ai-crew:problem:validation-error',
      status: 422,
      detail: 'Route crm/no-such-thing maps to no task type in the catalogue. GET /api/crew/catalogue lists the task types.',
      errors: [
        {
          field: 'route_path',
          message:
            'crm/no-such-thing maps to no task type (tried crm_no_such_thing, no_such_thing); GET /api/crew/catalogue lists the task types',
        },
      ],
      catalogue: '/api/crew/catalogue',
      tried_task_types: ['crm_no_such_thing', 'no_such_thing'],
    });

    const malformed = await send({ route_path: '../../etc/passwd' }).expect(422);
    expect(malformed.body.errors).toEqual([
      { field: 'route_path', message: 'must be a route path such as crm/lead-scoring (lowercase segments of letters, digits, - and _)' },
    ]);
    const missing = await send({ route_path: 'system/get-task-list', priority: 11, surprise: true }).expect(422);
    expect(missing.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'surprise', message: 'is not an allowed field' },
        { field: 'priority', message: 'priority must not be greater than 10' },
      ]),
    );
    const noTenant = await asService(http().post('/api/crew/brain/handle-request'))
      .send({ route_path: 'system/get-task-list' })
      .expect(422);
    expect(noTenant.body.errors).toEqual([
      { field: 'tenant_id', message: 'is required (in the body as tenant_id or in the X-Tenant-ID header)' },
    ]);
    const otherTenant = await http()
      .post('/api/crew/brain/handle-request')
      .set('X-API-Key', TENANT_KEY)
      .send({ route_path: 'system/get-task-list', tenant_id: 'globex' })
      .expect(403);
    expect(otherTenant.body.detail).toBe('This API key acts for tenant acme; it cannot act for tenant globex.');
  });

  it('tenant sync stores the plan and changes the applied limits and domains', async () => {
    const tasks = () => asService(http().get('/api/crew/tasks')).set('X-Tenant-ID', 'limited');
    const before = await tasks().expect(200);
    expect(before.headers['x-ratelimit-limit']).toBe('600');

    gateway.tenants.set('limited', {
      tenant_id: 'limited',
      subscription_tier: 'starter',
      enabled_features: ['analytics', 'reports'],
      api_limits: { requests_per_minute: 3 },
      daily_budget_usd: 2.5,
    });
    const synced = await asService(http().post('/api/crew/brain/sync-tenant/limited')).expect(200);
    expect(synced.body).toMatchObject({
      tenant_id: 'limited',
      subscription_tier: 'starter',
      enabled_features: ['analytics', 'reports'],
      api_limits: { requests_per_minute: 3 },
      requests_per_minute: 3,
      effective_requests_per_minute: 3,
      daily_budget_usd: 2.5,
      over_budget_action: null,
    });
    expect(await testApp.app.get(TenantSettingsService).dailyBudgetUsd('limited')).toBe(2.5);
    expect(await testApp.app.get(TenantSettingsService).dailyBudgetUsd('acme')).toBeUndefined();

    // One request of this minute was made before the sync; the new limit counts it.
    const second = await tasks().expect(200);
    expect(second.headers['x-ratelimit-limit']).toBe('3');
    expect(second.headers['x-ratelimit-remaining']).toBe('1');
    await tasks().expect(200);
    const limited = await tasks().expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toMatchObject({
      type: 'urn:ai-crew:problem:rate-limited',
      title: 'Too Many Requests',
      status: 429,
      detail: `Tenant limited exceeded its limit of 3 requests per minute; retry after ${retryAfter} s.`,
      limit_per_minute: 3,
      retry_after: retryAfter,
    });
    // Other tenants keep the default.
    expect((await asService(http().get('/api/crew/tasks')).set('X-Tenant-ID', 'acme').expect(200)).headers['x-ratelimit-limit']).toBe(
      '600',
    );

    // A new sync raises the limit again at once.
    gateway.tenants.set('limited', { tenant_id: 'limited', enabled_features: ['analytics'], api_limits: { requests_per_minute: 50 } });
    await asService(http().post('/api/crew/brain/sync-tenant/limited')).expect(200);
    expect((await tasks().expect(200)).headers['x-ratelimit-limit']).toBe('50');

    // Enabled features that name domains close the other domains.
    const crm = await asService(http().post('/api/crew/execute'))
      .set('X-Tenant-ID', 'limited')
      .send({ type: 'get_task_list', description: 'list', domain: 'crm' })
      .expect(403);
    expect(crm.body).toMatchObject({
      status: 403,
      detail: 'Domain crm is not enabled for tenant limited (enabled features: analytics).',
      domain: 'crm',
    });
    await asService(http().post('/api/crew/execute'))
      .set('X-Tenant-ID', 'limited')
      .send({ type: 'get_task_list', description: 'list', domain: 'analytics' })
      .expect(200);
  });

  it('tenant sync answers what went wrong at the Brain', async () => {
    const unknown = await asService(http().post('/api/crew/brain/sync-tenant/nobody')).expect(404);
    expect(unknown.body.detail).toBe('The Brain API knows no tenant nobody (GET /api/brain/tenants/nobody/data answered 404).');

    gateway.tenants.set('broken', { api_limits: { requests_per_minute: 'lots' } });
    const broken = await asService(http().post('/api/crew/brain/sync-tenant/broken')).expect(502);
    expect(broken.body).toMatchObject({
      type: 'urn:ai-crew:problem:brain-unavailable',
      status: 502,
      detail:
        'The Brain API\'s data for tenant broken cannot be used: api_limits.requests_per_minute: must be an integer from 1 to 1000000, -1 or "unlimited".',
      field: 'api_limits.requests_per_minute',
    });

    gateway.tenants.set('mixed', { tenant_id: 'someone-else', api_limits: { requests_per_minute: 5 } });
    const mixed = await asService(http().post('/api/crew/brain/sync-tenant/mixed')).expect(502);
    expect(mixed.body.detail).toBe(
      'The Brain API\'s data for tenant mixed cannot be used: tenant_id: is "someone-else", not the requested tenant mixed.',
    );
    const bad = await asService(http().post('/api/crew/brain/sync-tenant/bad%20id')).expect(422);
    expect(bad.body.errors[0].field).toBe('tenant_id');
  });

  it('a registration the Brain refuses is recorded and reported', async () => {
    gateway.registrationStatus = 500;
    const before = gateway.requests.length;
    const refused = await asService(http().post('/api/crew/brain/register-routes')).expect(502);
    expect(refused.body).toMatchObject({
      status: 'failed',
      routes_registered: 0,
      brain_http_status: 500,
      error: 'The Brain API answered 500 to POST /api/brain/admin/register-crew-routes',
    });
    // Transient Brain errors are retried (three attempts in all).
    expect(gateway.requests.slice(before).filter((r) => r.url === '/api/brain/admin/register-crew-routes')).toHaveLength(3);
    gateway.registrationStatus = 200;
    const report = await asService(http().get('/api/crew/brain/validate-integration')).expect(200);
    expect(report.body.details.registration).toMatchObject({
      status: 'registered',
      last_error: 'The Brain API answered 500 to POST /api/brain/admin/register-crew-routes',
    });
  });

  it('validate-integration names what to fix when the Brain forgot the routes or is down', async () => {
    const port = gateway.port;
    await gateway.close();
    const amnesiac = await new BrainGateway({ token: BRAIN_TOKEN, serviceKey: SERVICE_KEY }).start(port);
    try {
      const forgot = await asService(http().get('/api/crew/brain/validate-integration')).expect(200);
      expect(forgot.body).toMatchObject({ brain_api_accessible: true, health_check: true, routes_registered: true, round_trip: false });
      expect(forgot.body.details.problems).toEqual([
        {
          check: 'round_trip',
          problem: 'The Brain API does not route GET /api/brain/crew/health (404).',
          fix: 'POST /api/crew/brain/register-routes so the Brain knows the crew routes.',
        },
      ]);
      amnesiac.healthy = false;
      const sick = await asService(http().get('/api/crew/brain/validate-integration')).expect(200);
      expect(sick.body.health_check).toBe(false);
      expect(sick.body.details.problems[0]).toEqual({
        check: 'health_check',
        problem: 'GET /api/brain/health answered 503 and reports the Brain unhealthy.',
        fix: `Check BRAIN_API_URL (now http://127.0.0.1:${port}) points at the Brain API itself, and the Brain API's own logs.`,
      });
    } finally {
      await amnesiac.close();
    }

    const down = await asService(http().get('/api/crew/brain/validate-integration')).expect(200);
    expect(down.body).toMatchObject({ brain_api_accessible: false, health_check: false, routes_registered: true, round_trip: false });
    expect(down.body.details.problems).toEqual([
      {
        check: 'brain_api_accessible',
        problem: expect.stringMatching(
          new RegExp(`^Brain API at http://127\\.0\\.0\\.1:${port}/api/brain/health is unreachable: .*ECONNREFUSED`),
        ),
        fix: `Check BRAIN_API_URL (now http://127.0.0.1:${port}) and that the Brain API is running and reachable from this service.`,
      },
      {
        check: 'round_trip',
        problem: 'Not attempted: the Brain API is unreachable.',
        fix: `Make the Brain API reachable at BRAIN_API_URL (now http://127.0.0.1:${port}) first.`,
      },
    ]);
    const sync = await asService(http().post('/api/crew/brain/sync-tenant/acme')).expect(502);
    expect(sync.body.detail).toMatch(/is unreachable: .*ECONNREFUSED.*\. Check BRAIN_API_URL and that the Brain API is running\.$/);
    // Tasks are unaffected by an unreachable Brain (notices are best effort).
    await asService(http().post('/api/crew/execute'))
      .set('X-Tenant-ID', 'acme')
      .send({ type: 'get_task_list', description: 'x' })
      .expect(200);
  });
});

describe('BRAIN_AUTO_REGISTER', () => {
  it('registers in the background at start-up, retrying until the Brain comes up, without blocking boot', async () => {
    const port = await freePort();
    const testApp = await createTestApp({ BRAIN_API_URL: `http://127.0.0.1:${port}`, BRAIN_AUTO_REGISTER: 'true' });
    const gateway = new BrainGateway();
    try {
      // Boot finished while the Brain is down.
      await request(testApp.app.getHttpServer()).get('/api/crew/health/live').expect(200);
      const dataSource = testApp.app.get(DataSource);
      await eventually(
        async () => (await dataSource.query(`SELECT 1 FROM brain_registrations WHERE status = 'failed'`)).length > 0,
        15_000,
      );
      await gateway.start(port);
      await eventually(() => gateway.registrations.length > 0, 20_000);
      expect(gateway.registrations[0].body.routes.length).toBeGreaterThan(5);
      const rows = await eventually(async () => {
        const found = await dataSource.query<{ status: string; trigger: string; attempts: number }[]>(
          `SELECT status, trigger, attempts FROM brain_registrations ORDER BY created_at`,
        );
        return found.at(-1)?.status === 'registered' ? found : undefined;
      });
      expect(rows.every((row) => row.trigger === 'startup')).toBe(true);
      expect(rows[0]).toMatchObject({ status: 'failed', attempts: 1 });
      expect(rows.at(-1)?.attempts).toBe(rows.length);
    } finally {
      await testApp.dispose();
      await gateway.close();
    }
  });
});
