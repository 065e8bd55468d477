import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoopbackServer } from '../../test/support/loopback-server.js';
import { freePort } from '../../test/support/service-process.js';
import { loadConfig } from '../config/app-config.js';
import { BrainClient, BrainUnreachableError } from './brain.client.js';

describe('BrainClient', () => {
  let server: LoopbackServer;

  beforeEach(async () => {
    server = await new LoopbackServer().start();
  });
  afterEach(async () => {
    await server.close();
  });

  const client = (env: Record<string, string> = {}) => new BrainClient(loadConfig({ BRAIN_API_URL: server.url, ...env }));

  it('sends the token as a bearer, JSON bodies, and parses JSON answers', async () => {
    server.respond((_request, response) => response.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}'));
    const answer = await client({ BRAIN_API_TOKEN: 'brain-secret' }).call('/api/brain/x', { method: 'POST', body: { a: 1 } });
    expect(answer).toEqual({ status: 201, body: { ok: true } });
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/api/brain/x', body: '{"a":1}' });
    expect(server.requests[0].headers).toMatchObject({ authorization: 'Bearer brain-secret', 'content-type': 'application/json' });
  });

  it('sends no authorization header without a token', async () => {
    await client().call('/api/brain/health');
    expect(server.requests[0].headers.authorization).toBeUndefined();
  });

  it('retries 503 (honouring Retry-After) and then answers the success', async () => {
    let calls = 0;
    server.respond((_request, response) => {
      calls += 1;
      if (calls < 3) response.writeHead(503, { 'retry-after': '0' }).end('busy');
      else response.writeHead(200).end('{"done":1}');
    });
    expect(await client().call('/api/brain/health', { retries: 2 })).toEqual({ status: 200, body: { done: 1 } });
    expect(server.requests).toHaveLength(3);
  });

  it('answers the last error status once the retries are used up, and does not retry a 400', async () => {
    server.respond((_request, response) => response.writeHead(502).end('bad gateway'));
    expect(await client().call('/x', { retries: 1 })).toEqual({ status: 502, body: 'bad gateway' });
    expect(server.requests).toHaveLength(2);
    server.requests.length = 0;
    server.respond((_request, response) => response.writeHead(400).end('{"detail":"no"}'));
    expect(await client().call('/x', { retries: 3 })).toEqual({ status: 400, body: { detail: 'no' } });
    expect(server.requests).toHaveLength(1);
  });

  it('names the URL and the cause when the Brain is unreachable, and cools down best-effort traffic', async () => {
    const port = await freePort();
    const unreachable = new BrainClient(loadConfig({ BRAIN_API_URL: `http://127.0.0.1:${port}` }));
    expect(unreachable.probablyReachable).toBe(true);
    const error = await unreachable.call('/api/brain/health', { retries: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrainUnreachableError);
    expect((error as Error).message).toMatch(
      new RegExp(`^Brain API at http://127\\.0\\.0\\.1:${port}/api/brain/health is unreachable: .*ECONNREFUSED`),
    );
    expect(unreachable.probablyReachable).toBe(false);
  });

  it('gives up on an attempt that does not answer within the timeout', async () => {
    server.respond(() => 'hang');
    const error = await client()
      .call('/slow', { retries: 0, timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrainUnreachableError);
    expect((error as BrainUnreachableError).reason).toMatch(/^no answer in time/);
  });
});
