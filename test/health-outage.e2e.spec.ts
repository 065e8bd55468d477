import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/bootstrap.js';
import { loadConfigTree } from '../src/config.tree.js';
import { EmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { TcpProxy, type ProxyTarget } from './support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const PROBLEM_JSON = /^application\/problem\+json/;

/**
 * The app talks to its database through a proxy that the test can cut. Against TEST_DATABASE_URL the proxy
 * forwards to that server; otherwise to the unix socket of an embedded server this file starts itself.
 */
describe('health while the database is unreachable', () => {
  let database: TestDatabase;
  let embedded: EmbeddedPostgres | undefined;
  let proxy: TcpProxy;
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    database = await createTestDatabase();
    let target: ProxyTarget;
    let proxiedUrl: (port: number) => string;
    if (database.url) {
      const server = new URL(database.url);
      target = { host: server.hostname, port: Number(server.port || 5432) };
      proxiedUrl = (port) => {
        const url = new URL(server);
        url.hostname = '127.0.0.1';
        url.port = String(port);
        return url.toString();
      };
    } else {
      embedded = await EmbeddedPostgres.start({ dataDir: database.env.CREW_DATA_DIR, loadDataDir: database.loadDataDir });
      target = { path: embedded.socketPath };
      proxiedUrl = (port) => `postgres://postgres@127.0.0.1:${port}/postgres`;
    }
    proxy = await TcpProxy.start(target);
    const config = loadConfigTree({ ENVIRONMENT: 'test', LOG_LEVEL: 'error', DATABASE_URL: proxiedUrl(proxy.port) });
    app = await createApp(config, { logger: process.env.TEST_LOGS ? undefined : false });
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await proxy?.close();
    await embedded?.stop();
    await database?.cleanup();
  });

  async function waitForHealth(status: number, deadlineMs = 10_000): Promise<request.Response> {
    const deadline = Date.now() + deadlineMs;
    let last = await http().get('/api/crew/health');
    while (last.status !== status && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      last = await http().get('/api/crew/health');
    }
    return last;
  }

  it('answers 503 with the Terminus body during the outage and 200 after it, without a restart', { timeout: 60_000 }, async () => {
    // Healthy.
    const healthy = await http().get('/api/crew/health');
    expect(healthy.status).toBe(200);
    expect(healthy.headers['content-type']).toMatch(/^application\/json/);
    expect(healthy.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, memory_heap: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' } },
    });
    expect((await http().get('/api/crew/health/ready')).body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    expect((await http().get('/api/crew/health/live')).body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });

    // Outage.
    proxy.pause();
    for (const path of ['/api/crew/health', '/api/crew/health/ready']) {
      const down = await http().get(path);
      expect(down.status, path).toBe(503);
      expect(down.headers['content-type'], path).toMatch(/^application\/json/);
      expect(down.body, path).toMatchObject({
        status: 'error',
        error: { database: { status: 'down' } },
        details: { database: { status: 'down' } },
      });
      expect(typeof down.body.error.database.message, path).toBe('string');
    }
    const live = await http().get('/api/crew/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });

    const refused = await http()
      .post('/api/crew/execute')
      .send({ type: 'get_task_list', description: 'during the outage', tenant_id: 'outage' });
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(refused.body).toMatchObject({
      type: 'urn:ai-crew:problem:database-unavailable',
      title: 'Service Unavailable',
      status: 503,
      instance: '/api/crew/execute',
      request_id: refused.headers['x-request-id'],
    });
    expect(refused.body.detail).toMatch(/database is unreachable/);
    expect(JSON.stringify(refused.body)).not.toMatch(/ECONNRESET|127\.0\.0\.1|at .*\.js/);

    const listDuringOutage = await http().get('/api/crew/tasks').set('X-Tenant-ID', 'outage');
    expect(listDuringOutage.status).toBe(503);
    expect(listDuringOutage.headers['content-type']).toMatch(PROBLEM_JSON);

    // Recovery, same process.
    proxy.resume();
    const recovered = await waitForHealth(200);
    expect(recovered.status).toBe(200);
    expect(recovered.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    expect((await http().get('/api/crew/health/ready')).status).toBe(200);

    const accepted = await http()
      .post('/api/crew/execute')
      .send({ type: 'get_task_list', description: 'after the outage', tenant_id: 'outage' })
      .expect(200);
    expect(accepted.body).toMatchObject({ status: 'completed', result: { count: 0, tasks: [] } });
    const list = await http().get('/api/crew/tasks').set('X-Tenant-ID', 'outage').expect(200);
    expect(list.body.items.map((item: { task_id: string }) => item.task_id)).toEqual([accepted.body.task_id]);
  });
});
