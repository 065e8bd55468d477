import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/bootstrap.js';
import { loadConfigTree } from '../src/config.tree.js';
import { sharedDatabaseUrl } from './support/service-process.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const QUIET = { log() {}, error() {}, warn() {}, debug() {}, verbose() {}, fatal() {} };
const TENANT_KEY = 'limited-tenant-key-0123456789';
const SERVICE_KEY = 'limited-service-key-0123456789';

describe('per-tenant request rate limit across instances', () => {
  let first: TestApp;
  let second: NestExpressApplication;

  beforeAll(async () => {
    first = await createTestApp({ CREW_API_KEYS: `${TENANT_KEY}:keyed,${SERVICE_KEY}:*`, TENANT_RATE_LIMIT_PER_MINUTE: '3' });
    // A second instance on the same database.
    second = await createApp(loadConfigTree({ ...first.env, DATABASE_URL: sharedDatabaseUrl(first.env) }), { logger: QUIET });
  });
  afterAll(async () => {
    await second?.close();
    await first?.dispose();
  });

  const list = (app: NestExpressApplication, tenant: string) =>
    request(app.getHttpServer()).get('/api/crew/tasks').set('X-API-Key', SERVICE_KEY).set('X-Tenant-ID', tenant);

  it('counts one tenant on both instances and answers 429 with Retry-After', async () => {
    const remaining: string[] = [];
    for (const app of [first.app, second, first.app]) {
      const response = await list(app, 'shared').expect(200);
      expect(response.headers['x-ratelimit-limit']).toBe('3');
      remaining.push(response.headers['x-ratelimit-remaining']);
    }
    expect(remaining).toEqual(['2', '1', '0']);

    for (const app of [second, first.app]) {
      const limited = await list(app, 'shared').expect(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      expect(limited.body).toMatchObject({
        type: 'urn:ai-crew:problem:rate-limited',
        title: 'Too Many Requests',
        status: 429,
        detail: `Tenant shared exceeded its limit of 3 requests per minute; retry after ${retryAfter} s.`,
        instance: '/api/crew/tasks',
        limit_per_minute: 3,
        retry_after: retryAfter,
      });
    }
    // Other tenants have their own count.
    await list(second, 'other').expect(200);
  });

  it('counts a tenant key against its own tenant, and leaves public routes and unauthenticated calls alone', async () => {
    const keyed = () => request(first.app.getHttpServer()).get('/api/crew/tasks').set('X-API-Key', TENANT_KEY);
    await keyed().expect(200);
    // Refused before the limiter: these do not use up the tenant's requests.
    for (let i = 0; i < 5; i++) await request(second.getHttpServer()).get('/api/crew/tasks').set('X-Tenant-ID', 'keyed').expect(401);
    for (let i = 0; i < 5; i++) await request(first.app.getHttpServer()).get('/api/crew/health/live').expect(200);
    await keyed().expect(200);
    const last = await keyed().expect(200);
    expect(last.headers['x-ratelimit-remaining']).toBe('0');
    await keyed().expect(429);
  });
});
