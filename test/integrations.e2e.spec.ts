import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'integrations-tenant';
const OTHER = 'integrations-other';
const CONNECTION = {
  name: 'crm-api',
  base_url: 'http://127.0.0.1:9/api',
  // The tenant's own namespace: INTEGRATION_<TENANT>__<NAME>.
  auth_header_ref: 'INTEGRATION_INTEGRATIONS_TENANT__CRM_TOKEN',
  schedule: 'every  15m',
  target_domain: 'crm',
  timeout_ms: 2000,
};

describe('integrations connections and sync-run analyses through /execute (deterministic mode)', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());
  const execute = (type: string, parameters: Record<string, unknown>, tenant = TENANT, extra: Record<string, unknown> = {}) =>
    http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', tenant)
      .send({ type, description: `Run ${type}`, parameters, ...extra });

  beforeAll(async () => {
    testApp = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('creates, reads, lists, updates and deletes connections, never storing a secret', async () => {
    const created = await execute('integrations_create_connection', CONNECTION).expect(200);
    expect(created.body).toMatchObject({ status: 'completed', strategy_used: 'direct_db' });
    const connection = created.body.result;
    expect(connection).toMatchObject({
      name: 'crm-api',
      base_url: 'http://127.0.0.1:9/api',
      auth_header_ref: 'INTEGRATION_INTEGRATIONS_TENANT__CRM_TOKEN',
      auth_header_name: 'Authorization',
      schedule: 'every 15m',
      target_domain: 'crm',
      timeout_ms: 2000,
      enabled: true,
    });

    const duplicate = await execute('integrations_create_connection', CONNECTION).expect(200);
    expect(duplicate.body).toMatchObject({ status: 'failed', error: `Tenant ${TENANT} already has a connection named "crm-api".` });

    const read = await execute('integrations_get_connection', { connection_id: connection.connection_id }).expect(200);
    expect(read.body.result).toMatchObject({ connection_id: connection.connection_id, last_run: null });

    const updated = await execute('integrations_update_connection', {
      connection_id: connection.connection_id,
      schedule: '*/30 * * * *',
      enabled: false,
    }).expect(200);
    expect(updated.body.result).toMatchObject({ schedule: '*/30 * * * *', enabled: false });
    const cleared = await execute('integrations_update_connection', {
      connection_id: connection.connection_id,
      schedule: null,
      auth_header_ref: null,
    }).expect(200);
    expect(cleared.body.result).toMatchObject({ schedule: null, auth_header_ref: null });

    const listed = await execute('integrations_list_connections', { enabled: false }).expect(200);
    expect(listed.body.result).toMatchObject({ count: 1, connections: [{ connection_id: connection.connection_id }] });
    expect((await execute('integrations_list_connections', { target_domain: 'billing' }).expect(200)).body.result.count).toBe(0);

    // Nothing but the variable's name is stored.
    const dataSource = testApp.app.get<DataSource>(getDataSourceToken());
    const columns = await dataSource.query<{ column_name: string }[]>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'integration_connections'`,
    );
    expect(columns.map((c) => c.column_name)).not.toContain('auth_header_value');

    const deleted = await execute('integrations_delete_connection', { connection_id: connection.connection_id }).expect(200);
    expect(deleted.body.result).toEqual({ deleted: true, connection_id: connection.connection_id });
    const gone = await execute('integrations_get_connection', { connection_id: connection.connection_id }).expect(200);
    expect(gone.body).toMatchObject({
      status: 'failed',
      error: `No integration connection ${connection.connection_id} for tenant ${TENANT}.`,
    });
  });

  it.each([
    [{ ...CONNECTION, base_url: 'ftp://files.example.com/' }, 'parameters.base_url', 'scheme ftp: is not allowed (http or https only)'],
    [
      { ...CONNECTION, base_url: 'http://user:pw@api.example.com/' },
      'parameters.base_url',
      'credentials in the URL are not allowed; use headers',
    ],
    [
      { ...CONNECTION, schedule: 'hourly' },
      'parameters.schedule',
      'expected an interval such as "15m", "every 2h" or a five-field cron expression such as "*/15 * * * *"',
    ],
    [{ ...CONNECTION, schedule: '61 * * * *' }, 'parameters.schedule', 'minute "61" is outside 0–59'],
    [
      { ...CONNECTION, auth_header_ref: 'OPENAI_API_KEY' },
      'parameters.auth_header_ref',
      'auth_header_ref must be an environment variable name INTEGRATION_<TENANT>__<NAME>',
    ],
    [
      { ...CONNECTION, target_domain: 'hr' },
      'parameters.target_domain',
      'target_domain must be one of the following values: crm, ecommerce, analytics, billing, cms',
    ],
    [{ ...CONNECTION, timeout_ms: 50 }, 'parameters.timeout_ms', 'timeout_ms must not be less than 100'],
  ])('refuses a bad connection with 422 naming the field (%#)', async (parameters, field, message) => {
    const response = await execute('integrations_create_connection', parameters).expect(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toContainEqual({ field, message });
  });

  it("refuses another tenant's auth variable namespace and an empty update", async () => {
    const foreign = await execute('integrations_create_connection', {
      ...CONNECTION,
      name: 'x',
      auth_header_ref: 'INTEGRATION_ACME__TOKEN',
    }).expect(200);
    expect(foreign.body).toMatchObject({
      status: 'failed',
      error: 'parameters.auth_header_ref: auth_header_ref must start with INTEGRATION_INTEGRATIONS_TENANT__ for tenant integrations-tenant',
    });
    const empty = await execute('integrations_update_connection', { connection_id: '0b7c1d0e-8a57-4b43-9a8e-3d5a4f1f9c11' }).expect(422);
    expect(empty.body.errors).toEqual([{ field: 'parameters', message: 'give at least one field to change besides connection_id' }]);
  });

  it("keeps tenants apart: another tenant's connection, runs and records are not found", async () => {
    const mine = (await execute('integrations_create_connection', { ...CONNECTION, name: 'mine' }).expect(200)).body.result;
    for (const type of [
      'integrations_get_connection',
      'integrations_delete_connection',
      'integrations_sync',
      'integrations_list_records',
    ]) {
      const response = await execute(type, { connection_id: mine.connection_id }, OTHER).expect(200);
      expect(response.body).toMatchObject({
        status: 'failed',
        error: `No integration connection ${mine.connection_id} for tenant ${OTHER}.`,
      });
    }
    const update = await execute('integrations_update_connection', { connection_id: mine.connection_id, enabled: false }, OTHER).expect(
      200,
    );
    expect(update.body.status).toBe('failed');
    expect((await execute('integrations_list_connections', {}, OTHER).expect(200)).body.result).toEqual({ count: 0, connections: [] });
    expect((await execute('integrations_get_connection', { connection_id: mine.connection_id }).expect(200)).body.result.enabled).toBe(
      true,
    );
  });

  it('answers not enough data for analyses without sync runs', async () => {
    const tenant = 'integrations-empty';
    const errors = await execute('integrations_error_analysis', {}, tenant).expect(200);
    expect(errors.body).toMatchObject({
      status: 'completed',
      strategy_used: 'single_agent',
      agents_used: ['integrations_error_specialist'],
    });
    expect(errors.body.result).toMatchObject({
      status: 'not_enough_data',
      message: 'Not enough data: no finished sync runs in the last 30 days. Run integrations_sync on a connection first.',
      connections: [],
    });
    const optimization = await execute('integrations_sync_optimization', { days: 7 }, tenant).expect(200);
    expect(optimization.body.result).toMatchObject({
      status: 'not_enough_data',
      message: expect.stringContaining('last 7 days'),
      without_runs: [],
    });
  });

  it('analyses a recorded history with the hand-worked numbers (same data as the unit test)', async () => {
    const tenant = 'integrations-history';
    const a = (
      await execute('integrations_create_connection', { ...CONNECTION, name: 'crm-api', auth_header_ref: undefined }, tenant).expect(200)
    ).body.result;
    const b = (
      await execute(
        'integrations_create_connection',
        { ...CONNECTION, name: 'shop', schedule: undefined, timeout_ms: 10_000, auth_header_ref: undefined },
        tenant,
      ).expect(200)
    ).body.result;
    const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const runs: [string, string, string, number, string | null, number | null][] = [
      [a.connection_id, '01:00', 'succeeded', 100, null, 200],
      [a.connection_id, '02:00', 'succeeded', 200, null, 200],
      [a.connection_id, '03:00', 'failed', 2000, 'timeout', null],
      [a.connection_id, '03:15', 'failed', 2000, 'timeout', null],
      [a.connection_id, '03:30', 'failed', 300, 'http_5xx', 503],
      [a.connection_id, '04:00', 'succeeded', 400, null, 200],
      [a.connection_id, '05:00', 'failed', 50, 'rate_limited', 429],
      [a.connection_id, '06:00', 'cancelled', 10, 'cancelled', null],
      [b.connection_id, '10:00', 'succeeded', 500, null, 200],
      [b.connection_id, '11:00', 'succeeded', 700, null, 200],
      [b.connection_id, '12:00', 'succeeded', 900, null, 200],
      [b.connection_id, '13:00', 'failed', 100, 'http_4xx', 401],
    ];
    const dataSource = testApp.app.get<DataSource>(getDataSourceToken());
    for (const [connectionId, at, status, ms, errorClass, httpStatus] of runs) {
      const started = `${day}T${at}:00Z`;
      await dataSource.query(
        `INSERT INTO sync_runs (tenant_id, connection_id, url, started_at, finished_at, duration_ms, status, http_status, error_class)
         VALUES ($1, $2, 'http://127.0.0.1:9/api', $3, $3::timestamptz + make_interval(secs => $4::int / 1000.0), $4, $5, $6, $7)`,
        [tenant, connectionId, started, ms, status, httpStatus, errorClass],
      );
    }
    const response = await execute('integrations_error_analysis', {}, tenant).expect(200);
    // 11 finished runs, 5 failed → 0.4545; latency p50 400, p95 2000 (see the unit test for the arithmetic).
    expect(response.body.result.overall).toMatchObject({
      runs: 11,
      failed: 5,
      cancelled: 1,
      failure_rate: 0.4545,
      latency_ms: { p50: 400, p95: 2000 },
    });
    expect(response.body.result.connections.map((c: Record<string, unknown>) => [c.name, c.failure_rate, c.severity])).toEqual([
      ['crm-api', 0.5714, 'high'],
      ['shop', 0.25, 'medium'],
    ]);
    expect(response.body.result.connections[0].failure_cluster).toEqual({
      hour_utc: 3,
      failures: 3,
      runs: 3,
      failure_rate: 1,
      failure_rate_other_hours: 0.25,
    });
    expect(response.body.result.advice.map((x: { kind: string }) => x.kind)).toEqual([
      'timeout',
      'rate_limited',
      'http_5xx',
      'failure_cluster',
      'http_4xx',
    ]);

    // One connection only, and the history is the tenant's own.
    const one = await execute('integrations_error_analysis', { connection_id: b.connection_id }, tenant).expect(200);
    expect(one.body.result.overall).toMatchObject({ runs: 4, failed: 1, failure_rate: 0.25 });
    expect((await execute('integrations_error_analysis', {}, OTHER).expect(200)).body.result.status).toBe('not_enough_data');

    const optimization = await execute('integrations_sync_optimization', {}, tenant, { preferred_strategy: 'multi_agent' }).expect(200);
    expect(optimization.body).toMatchObject({ status: 'completed', strategy_used: 'multi_agent' });
    expect(optimization.body.agents_used).toEqual(expect.arrayContaining(['integrations_supervisor', 'integrations_sync_specialist']));
    const shop = optimization.body.result.connections.find((c: { name: string }) => c.name === 'shop');
    // shop: successful runs 500 700 900 → p50 700, p95 rank 1.9 → 700 + 0.9 × 200 = 880, under 10 % of timeout_ms 10000
    // → lower it to 3 × 880 = 2640 → 3000; no schedule; 1 of 4 runs failed.
    expect(shop).toMatchObject({ runs: 4, succeeded: 3, failure_rate: 0.25, success_latency_ms: { p50: 700, p95: 880 } });
    expect(shop.recommendations.map((r: { kind: string; suggested: unknown }) => [r.kind, r.suggested])).toEqual([
      ['lower_timeout', 3000],
      ['set_schedule', null],
      ['fix_failures', null],
    ]);
  });

  it('lists the integrations task types in the catalogue', async () => {
    const response = await http().get('/api/crew/catalogue').expect(200);
    expect(response.body.domains.integrations.map((e: { type: string }) => e.type).sort()).toEqual([
      'integrations_create_connection',
      'integrations_delete_connection',
      'integrations_error_analysis',
      'integrations_get_connection',
      'integrations_list_connections',
      'integrations_list_records',
      'integrations_list_sync_runs',
      'integrations_sync',
      'integrations_sync_optimization',
      'integrations_update_connection',
    ]);
  });
});

describe('integration connections with the outbound guard on', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it.each([
    ['integrations_create_connection', { name: 'x', base_url: 'http://169.254.169.254/latest', target_domain: 'crm' }, '169.254.169.254'],
    ['integrations_update_connection', { connection_id: '0b7c1d0e-8a57-4b43-9a8e-3d5a4f1f9c11', base_url: 'http://10.0.0.5/' }, '10.0.0.5'],
  ])('%s refuses a private base_url with 422', async (type, parameters, host) => {
    const response = await request(testApp.app.getHttpServer())
      .post('/api/crew/execute')
      .set('X-Tenant-ID', TENANT)
      .send({ type, description: 'Connect', parameters })
      .expect(422);
    expect(response.body.errors).toEqual([
      {
        field: 'parameters.base_url',
        message: `${host} is a loopback/private/link-local address (set OUTBOUND_ALLOW_PRIVATE=true to allow)`,
      },
    ]);
  });
});
