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

  function expectSecurityHeaders(headers: Record<string, string>): void {
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'x-dns-prefetch-control': 'off',
    });
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(headers['x-powered-by']).toBeUndefined();
  }

  it('sets security headers on answers, errors included', async () => {
    expectSecurityHeaders((await http().get('/api/crew/health/live').expect(200)).headers);
    expectSecurityHeaders((await http().get('/api/crew/tasks').expect(401)).headers);
    expectSecurityHeaders((await http().get('/api/crew/nothing-here').expect(404)).headers);
  });

  it('serves the Swagger UI under the same policy, which it works with (same-origin scripts only, no inline code)', async () => {
    const docs = await http().get('/api/crew/docs/').expect(200);
    expectSecurityHeaders(docs.headers);
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
    const scripts = [...docs.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\.\/[\w.-]+\.js"/);
      expect(body.trim()).toBe('');
    }
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
