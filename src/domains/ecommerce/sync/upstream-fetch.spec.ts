import { afterEach, describe, expect, it } from 'vitest';
import { LoopbackServer } from '../../../../test/support/loopback-server.js';
import { checkSyncUrl, duplicateIds, fetchUpstreamJson, malformed, UpstreamSyncError } from './upstream-fetch.js';

const OPTIONS = { timeoutMs: 2_000, retries: 2, allowPrivate: true, backoffMs: 10 };

describe('upstream fetch', () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('retries connection errors and says how often it tried', async () => {
    server = await new LoopbackServer().start();
    const url = `${server.url}/gone`;
    await server.close();
    const error = await fetchUpstreamJson(url, { ...OPTIONS, signal: new AbortController().signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamSyncError);
    expect((error as UpstreamSyncError).attempts).toBe(3);
    expect((error as Error).message).toMatch(
      new RegExp(`^Upstream ${url} could not be reached \\(connect ECONNREFUSED .*\\) \\(3 attempt\\(s\\)\\); nothing was imported$`),
    );
  });

  it('stops at once when the task is cancelled instead of retrying', async () => {
    server = await new LoopbackServer().start();
    const controller = new AbortController();
    const cancelled = new Error('cancelled');
    server.respond((_request, response) => {
      controller.abort(cancelled);
      response.writeHead(503).end();
    });
    await expect(fetchUpstreamJson(`${server.url}/x`, { ...OPTIONS, backoffMs: 5_000, signal: controller.signal })).rejects.toBe(cancelled);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a private address unless allowed, without sending anything', async () => {
    server = await new LoopbackServer().start();
    await expect(
      fetchUpstreamJson(`${server.url}/x`, { ...OPTIONS, allowPrivate: false, signal: new AbortController().signal }),
    ).rejects.toThrow(
      'Outbound URL refused: 127.0.0.1 is a loopback/private/link-local address (set OUTBOUND_ALLOW_PRIVATE=true to allow)',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('reports one message per field and at most five fields', () => {
    const errors = [
      { field: 'a', message: 'a must not be greater than 5' },
      { field: 'a', message: 'a must be a number' },
      ...['b', 'c', 'd', 'e', 'f', 'g'].map((field) => ({ field, message: 'is wrong' })),
    ];
    expect(malformed('http://shop/x', errors, 1).message).toBe(
      'Upstream http://shop/x answered a malformed payload: a: a must be a number; b: is wrong; c: is wrong; d: is wrong; e: is wrong (and 2 more); nothing was imported',
    );
  });

  it('finds duplicate ids and checks the sync URL', () => {
    expect(duplicateIds(['x', 'y', 'x', 'x'], 'orders')).toEqual([
      { field: 'orders[2].id', message: 'duplicates id "x"' },
      { field: 'orders[3].id', message: 'duplicates id "x"' },
    ]);
    expect(duplicateIds(['A', 'A'], 'products', 'sku')).toEqual([{ field: 'products[1].sku', message: 'duplicates sku "A"' }]);
    expect(checkSyncUrl(undefined, 'SHOP_URL', false)).toEqual([
      { field: 'source_url', message: 'is required when SHOP_URL is not configured' },
    ]);
    expect(checkSyncUrl('ftp://shop.example/x', 'SHOP_URL', false)).toEqual([
      { field: 'source_url', message: 'scheme ftp: is not allowed (http or https only)' },
    ]);
    expect(checkSyncUrl('https://shop.example/orders', 'SHOP_URL', false)).toEqual([]);
  });
});
