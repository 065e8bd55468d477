import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoopbackServer } from '../../../test/support/loopback-server.js';
import {
  bearer,
  checkSyncUrl,
  describeSource,
  fetchUpstream,
  outboundRefusal,
  UpstreamFetchError,
  type UpstreamFetchOptions,
} from './upstream-fetch.js';

const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};

const options = (overrides: Partial<UpstreamFetchOptions> = {}): UpstreamFetchOptions => ({
  timeoutMs: 2_000,
  retries: 2,
  backoffMs: 10,
  allowPrivate: true,
  signal: new AbortController().signal,
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<UpstreamFetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamFetchError);
  return error as UpstreamFetchError;
}

describe('fetchUpstream against a loopback server', () => {
  let server: LoopbackServer;
  beforeEach(async () => {
    server = await new LoopbackServer().start();
  });
  afterEach(async () => {
    await server.close();
  });

  it('answers a 2xx on the first attempt, asking for JSON with the given headers', async () => {
    server.respond((_request, response) => json(response, 200, { items: [1] }));
    const answer = await fetchUpstream(`${server.url}/items?page=1`, options({ headers: bearer('s3cret') }));
    expect(answer).toMatchObject({ status: 200, attempts: 1, body: '{"items":[1]}' });
    expect(server.requests.map((r) => [r.method, r.url, r.headers.accept, r.headers.authorization])).toEqual([
      ['GET', '/items?page=1', 'application/json', 'Bearer s3cret'],
    ]);
  });

  it('retries 5xx with doubling backoff and recovers', async () => {
    let calls = 0;
    server.respond((_request, response) => (++calls <= 2 ? json(response, 503, {}) : json(response, 200, [])));
    const answer = await fetchUpstream(server.url, options({ backoffMs: 40 }));
    expect(answer.attempts).toBe(3);
    const [first, second, third] = server.requests.map((r) => r.receivedAt);
    expect(second - first).toBeGreaterThanOrEqual(35);
    expect(third - second).toBeGreaterThanOrEqual(75);
  });

  it('gives up after the retries on a persistent 5xx, naming the kind, status and attempts', async () => {
    server.respond((_request, response) => json(response, 500, { error: 'boom' }));
    const error = await failure(fetchUpstream(server.url, options()));
    expect(error).toMatchObject({ kind: 'http_5xx', httpStatus: 500, attempts: 3, message: 'answered HTTP 500', expose: true });
    expect(server.requests).toHaveLength(3);
  });

  it.each([
    [404, 'http_4xx'],
    [302, 'http_other'],
  ])('does not retry HTTP %i', async (status, kind) => {
    server.respond((_request, response) => response.writeHead(status, { location: '/elsewhere' }).end());
    const error = await failure(fetchUpstream(server.url, options()));
    expect(error).toMatchObject({ kind, httpStatus: status, attempts: 1, message: `answered HTTP ${status}` });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a 429 after its Retry-After, and fails at once when Retry-After is beyond the cap', async () => {
    server.respond((_request, response) => json(response, 429, {}, { 'retry-after': '0' }));
    const limited = await failure(fetchUpstream(server.url, options({ retries: 1 })));
    expect(limited).toMatchObject({ kind: 'rate_limited', httpStatus: 429, attempts: 2, retryAfterMs: 0 });

    server.requests.length = 0;
    server.respond((_request, response) => json(response, 429, {}, { 'retry-after': '3600' }));
    const backOff = await failure(fetchUpstream(server.url, options()));
    expect(backOff).toMatchObject({ kind: 'rate_limited', attempts: 1, retryAfterMs: 3_600_000 });
    expect(server.requests).toHaveLength(1);
  });

  it('times out each attempt and retries it', async () => {
    server.respond(() => 'hang');
    const error = await failure(fetchUpstream(server.url, options({ timeoutMs: 150, retries: 1 })));
    expect(error).toMatchObject({ kind: 'timeout', httpStatus: null, attempts: 2, message: 'did not answer within 150 ms' });
    expect(server.requests).toHaveLength(2);
  });

  it('retries connection errors and says why the last one failed', async () => {
    const url = `${server.url}/gone`;
    await server.close();
    const error = await failure(fetchUpstream(url, options()));
    expect(error.kind).toBe('network');
    expect(error.attempts).toBe(3);
    expect(error.detail).toMatch(/^connect ECONNREFUSED /);
    expect(error.message).toBe(`could not be reached (${error.detail})`);
  });

  it('fails an attempt whose answer exceeds maxBytes', async () => {
    server.respond((_request, response) => json(response, 200, 'x'.repeat(5_000)));
    const error = await failure(fetchUpstream(server.url, options({ retries: 0, maxBytes: 1_000 })));
    expect(error).toMatchObject({ kind: 'network', attempts: 1 });
    expect(error.detail).toMatch(/exceeds 1000 bytes/);
  });

  it('refuses a private address unless allowed, without sending anything and without retrying', async () => {
    const error = await failure(fetchUpstream(`${server.url}/x`, options({ allowPrivate: false })));
    expect(error).toMatchObject({
      kind: 'refused',
      attempts: 1,
      message: 'Outbound URL refused: 127.0.0.1 is a loopback/private/link-local address (set OUTBOUND_ALLOW_PRIVATE=true to allow)',
      detail: '127.0.0.1 is a loopback/private/link-local address (set OUTBOUND_ALLOW_PRIVATE=true to allow)',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('rethrows the task’s cancellation as is, during a request or a backoff, and stops retrying', async () => {
    const during = new AbortController();
    const cancelled = new Error('cancelled');
    server.respond(() => {
      during.abort(cancelled);
      return 'hang';
    });
    await expect(fetchUpstream(server.url, options({ signal: during.signal }))).rejects.toBe(cancelled);
    expect(server.requests).toHaveLength(1);

    server.requests.length = 0;
    const backoff = new AbortController();
    server.respond((_request, response) => {
      json(response, 503, {});
      setTimeout(() => backoff.abort(cancelled), 50);
    });
    await expect(fetchUpstream(server.url, options({ backoffMs: 5_000, signal: backoff.signal }))).rejects.toBe(cancelled);
    expect(server.requests).toHaveLength(1);
  });
});

describe('sync endpoint checks', () => {
  it('asks for the URL when nothing is configured, and applies the outbound guard', () => {
    expect(checkSyncUrl(undefined, 'SHOP_URL', false)).toEqual([
      { field: 'source_url', message: 'is required when SHOP_URL is not configured' },
    ]);
    expect(checkSyncUrl('ftp://shop.example/x', 'SHOP_URL', false)).toEqual([
      { field: 'source_url', message: 'scheme ftp: is not allowed (http or https only)' },
    ]);
    expect(checkSyncUrl('https://shop.example/orders', 'SHOP_URL', false)).toEqual([]);
    expect(outboundRefusal('http://10.0.0.1/x', false)).toBe(
      '10.0.0.1 is a loopback/private/link-local address (set OUTBOUND_ALLOW_PRIVATE=true to allow)',
    );
    expect(outboundRefusal('http://10.0.0.1/x', true)).toBeNull();
  });

  it('describes a source without its query string, and sends a bearer token only when one is set', () => {
    expect(describeSource('https://crm.example/export/contacts?token=abc')).toBe('https://crm.example/export/contacts');
    expect(bearer(undefined)).toEqual({});
    expect(bearer('t')).toEqual({ authorization: 'Bearer t' });
  });
});
