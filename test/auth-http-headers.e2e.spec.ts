import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

const KEY = 'headers-tenant-key-0123456789';

describe('security headers and CORS', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    testApp = await createTestApp({ CORS_ORIGINS: 'https://app.example.com, https://admin.example.com', CREW_API_KEYS: `${KEY}:acme` });
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  /** The JSON API's set (OWASP REST Security Cheat Sheet), on every answer. */
  function expectApiHeaders(headers: Record<string, string>): void {
    expect(headers).toMatchObject({
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
    expect(headers['x-powered-by']).toBeUndefined();
    // Headers that only protect rendered documents are not sent with JSON.
    expect(headers['x-dns-prefetch-control']).toBeUndefined();
    expect(headers['origin-agent-cluster']).toBeUndefined();
  }

  it('sets the API security headers on answers, errors included, and keeps answers out of caches', async () => {
    const live = await http().get('/api/crew/health/live').expect(200);
    expectApiHeaders(live.headers);
    const refused = await http().get('/api/crew/tasks').expect(401);
    expectApiHeaders(refused.headers);
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(live.headers.etag).toBeUndefined();
    expectApiHeaders((await http().get('/api/crew/nothing-here').expect(404)).headers);
    expectApiHeaders((await http().get('/nowhere').expect(404)).headers);
    expectApiHeaders((await http().get('/api/crew/docs-json').expect(200)).headers);
  });

  it("serves the Swagger UI under helmet's page policy, which it works with (same-origin scripts only, no inline code)", async () => {
    const docs = await http().get('/api/crew/docs/').expect(200);
    expect(docs.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'x-dns-prefetch-control': 'off',
    });
    expect(docs.headers['content-security-policy']).toContain("default-src 'self'");
    expect(docs.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
    expect(docs.headers['cache-control']).toBeUndefined();
    const scripts = [...docs.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\.\/[\w.-]+\.js"/);
      expect(body.trim()).toBe('');
    }
    const script = await http().get('/api/crew/docs/swagger-ui-init.js').expect(200);
    expect(script.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('answers a request without an Origin with Vary: Origin only, and a plain OPTIONS still as a preflight', async () => {
    const response = await http().get('/api/crew/health/live').expect(200);
    expect(response.headers.vary).toBe('Origin');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['access-control-expose-headers']).toBeUndefined();
    await http().options('/api/crew/execute').expect(204);
  });

  it('allows the configured origins, with the useful headers exposed', async () => {
    const response = await http().get('/api/crew/tasks').set('Origin', 'https://app.example.com').set('X-API-Key', KEY).expect(200);
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(response.headers['access-control-expose-headers']).toBe('X-Request-Id,Location,Retry-After');
    const refused = await http().get('/api/crew/tasks').set('Origin', 'https://app.example.com').expect(401);
    expect(refused.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  it('gives other origins no CORS headers', async () => {
    const response = await http().get('/api/crew/health/live').set('Origin', 'https://evil.example').expect(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers preflights for allowed origins without an API key', async () => {
    const preflight = await http()
      .options('/api/crew/execute')
      .set('Origin', 'https://admin.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,x-tenant-id')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://admin.example.com');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toBe('authorization,content-type,x-tenant-id');

    const other = await http()
      .options('/api/crew/execute')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
