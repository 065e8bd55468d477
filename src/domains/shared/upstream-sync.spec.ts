import { Type } from 'class-transformer';
import { IsArray, IsString, ValidateNested } from 'class-validator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoopbackServer } from '../../../test/support/loopback-server.js';
import { duplicateIds, fetchPayload, fetchUpstreamJson, malformed, UpstreamSyncError } from './upstream-sync.js';

const OPTIONS = { timeoutMs: 2_000, retries: 2, allowPrivate: true, backoffMs: 10 };
const signal = () => new AbortController().signal;

class Item {
  @IsString()
  id: string;
}

class ItemsPayload {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Item)
  items: Item[];
}

async function syncError(promise: Promise<unknown>): Promise<UpstreamSyncError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamSyncError);
  return error as UpstreamSyncError;
}

describe('list sync fetch', () => {
  let server: LoopbackServer;
  beforeEach(async () => {
    server = await new LoopbackServer().start();
  });
  afterEach(async () => {
    await server.close();
  });

  it('retries connection errors and says how often it tried', async () => {
    const url = `${server.url}/gone`;
    await server.close();
    const error = await syncError(fetchUpstreamJson(url, { ...OPTIONS, signal: signal() }));
    expect(error.attempts).toBe(3);
    expect(error.message).toMatch(
      new RegExp(`^Upstream ${url} could not be reached \\(connect ECONNREFUSED .*\\) \\(3 attempt\\(s\\)\\); nothing was imported$`),
    );
  });

  it('names a final status, and a body that is not JSON, without retrying', async () => {
    server.respond((_request, response) => response.writeHead(404).end());
    const notFound = await syncError(fetchUpstreamJson(`${server.url}/x`, { ...OPTIONS, signal: signal() }));
    expect(notFound).toMatchObject({ attempts: 1, message: `Upstream ${server.url}/x answered HTTP 404; nothing was imported` });
    server.respond((_request, response) => response.writeHead(200).end('<html>'));
    const notJson = await syncError(fetchUpstreamJson(`${server.url}/x`, { ...OPTIONS, signal: signal() }));
    expect(notJson.message).toBe(`Upstream ${server.url}/x answered a body that is not JSON; nothing was imported`);
    expect(server.requests).toHaveLength(2);
  });

  it('sends the configured token as a bearer token', async () => {
    server.respond((_request, response) => response.writeHead(200).end('{"items":[]}'));
    await fetchUpstreamJson(server.url, { ...OPTIONS, token: 'tok', signal: signal() });
    expect(server.requests[0].headers.authorization).toBe('Bearer tok');
  });

  it('stops at once when the task is cancelled instead of retrying', async () => {
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
    await expect(fetchUpstreamJson(`${server.url}/x`, { ...OPTIONS, allowPrivate: false, signal: signal() })).rejects.toThrow(
      'Outbound URL refused: 127.0.0.1 is a loopback/private/link-local address (set OUTBOUND_ALLOW_PRIVATE=true to allow)',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('validates the whole payload before answering it', async () => {
    server.respond((_request, response) => response.writeHead(200).end('{"items":[{"id":"a"},{"id":7}],"extra":1}'));
    const url = `${server.url}/items`;
    const error = await syncError(fetchPayload(ItemsPayload, 'items', url, {}, { allowPrivate: true }, signal()));
    expect(error.message).toBe(`Upstream ${url} answered a malformed payload: items[1].id: id must be a string; nothing was imported`);
    server.respond((_request, response) => response.writeHead(200).end('{"rows":[]}'));
    const missing = await syncError(fetchPayload(ItemsPayload, 'items', url, {}, { allowPrivate: true }, signal()));
    expect(missing.message).toBe(
      `Upstream ${url} answered a malformed payload: items: expected a JSON object with a "items" array; nothing was imported`,
    );
    server.respond((_request, response) => response.writeHead(200).end('{"items":[{"id":"a"}]}'));
    const { payload, attempts } = await fetchPayload(ItemsPayload, 'items', url, {}, { allowPrivate: true }, signal());
    expect(attempts).toBe(1);
    expect(payload).toBeInstanceOf(ItemsPayload);
    expect(payload.items.map((item) => item.id)).toEqual(['a']);
  });
});

describe('payload problems', () => {
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

  it('finds duplicate ids', () => {
    expect(duplicateIds(['x', 'y', 'x', 'x'], 'orders')).toEqual([
      { field: 'orders[2].id', message: 'duplicates id "x"' },
      { field: 'orders[3].id', message: 'duplicates id "x"' },
    ]);
    expect(duplicateIds(['A', 'A'], 'products', 'sku')).toEqual([{ field: 'products[1].sku', message: 'duplicates sku "A"' }]);
  });
});
