import { lookup, type LookupAddress } from 'node:dns';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackServer } from '../../test/support/loopback-server.js';
import { checkOutboundUrl, guardedLookup, isPrivateAddress, outboundRequest, OutboundUrlError } from './outbound-http.js';

function refusal(url: string, allowPrivate = false): string {
  try {
    checkOutboundUrl(url, allowPrivate);
  } catch (error) {
    if (error instanceof OutboundUrlError) return error.reason;
    throw error;
  }
  return 'allowed';
}

const PRIVATE_HINT = 'is a loopback/private/link-local address (set OUTBOUND_ALLOW_PRIVATE=true to allow)';

describe('outbound URL guard: syntax', () => {
  it.each([
    ['http://127.0.0.1/hook', `127.0.0.1 ${PRIVATE_HINT}`],
    ['http://127.1:8080/', `127.0.0.1 ${PRIVATE_HINT}`],
    ['http://2130706433/', `127.0.0.1 ${PRIVATE_HINT}`],
    ['http://0x7f.0.0.1/', `127.0.0.1 ${PRIVATE_HINT}`],
    ['http://[::1]/hook', `::1 ${PRIVATE_HINT}`],
    ['http://[::ffff:127.0.0.1]/', `::ffff:7f00:1 ${PRIVATE_HINT}`],
    ['http://[::127.0.0.1]/', `::7f00:1 ${PRIVATE_HINT}`],
    ['http://[64:ff9b::169.254.169.254]/', `64:ff9b::a9fe:a9fe ${PRIVATE_HINT}`],
    ['http://169.254.169.254/latest/meta-data/', `169.254.169.254 ${PRIVATE_HINT}`],
    ['http://10.0.0.1/', `10.0.0.1 ${PRIVATE_HINT}`],
    ['https://172.16.5.4/', `172.16.5.4 ${PRIVATE_HINT}`],
    ['http://192.168.1.10/', `192.168.1.10 ${PRIVATE_HINT}`],
    ['http://100.64.0.1/', `100.64.0.1 ${PRIVATE_HINT}`],
    ['http://0.0.0.0:8002/', `0.0.0.0 ${PRIVATE_HINT}`],
    ['http://[fe80::1]/', `fe80::1 ${PRIVATE_HINT}`],
    ['http://[fd12:3456::1]/', `fd12:3456::1 ${PRIVATE_HINT}`],
    ['http://localhost:8002/api', 'localhost is a local name (set OUTBOUND_ALLOW_PRIVATE=true to allow)'],
    ['http://localhost./api', 'localhost is a local name (set OUTBOUND_ALLOW_PRIVATE=true to allow)'],
    ['http://api.localhost/', 'api.localhost is a local name (set OUTBOUND_ALLOW_PRIVATE=true to allow)'],
    [
      'http://metadata.google.internal/computeMetadata/v1/',
      'metadata.google.internal is a local name (set OUTBOUND_ALLOW_PRIVATE=true to allow)',
    ],
    ['file:///etc/passwd', 'scheme file: is not allowed (http or https only)'],
    ['ftp://example.com/data', 'scheme ftp: is not allowed (http or https only)'],
    ['gopher://example.com/', 'scheme gopher: is not allowed (http or https only)'],
    ['http://user:secret@example.com/hook', 'credentials in the URL are not allowed; use headers'],
    ['http://user@example.com/hook', 'credentials in the URL are not allowed; use headers'],
    ['not a url', 'not an absolute URL'],
  ])('refuses %s', (url, reason) => {
    expect(refusal(url)).toBe(reason);
  });

  it('allows public addresses and names', () => {
    expect(refusal('https://hooks.example.com/crew?x=1')).toBe('allowed');
    expect(refusal('http://93.184.215.14/')).toBe('allowed');
    expect(refusal('http://[2606:4700::1111]/')).toBe('allowed');
  });

  it('allows private addresses with OUTBOUND_ALLOW_PRIVATE, but never other schemes or credentials', () => {
    expect(refusal('http://127.0.0.1/hook', true)).toBe('allowed');
    expect(refusal('http://[::1]/hook', true)).toBe('allowed');
    expect(refusal('http://169.254.169.254/', true)).toBe('allowed');
    expect(refusal('http://localhost:8002/', true)).toBe('allowed');
    expect(refusal('file:///etc/passwd', true)).toBe('scheme file: is not allowed (http or https only)');
    expect(refusal('http://u:p@127.0.0.1/', true)).toBe('credentials in the URL are not allowed; use headers');
  });

  it('classifies addresses', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '::1', '::', '::ffff:10.0.0.1', '64:ff9b::7f00:1', 'fc00::1']) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
    expect(isPrivateAddress('not-an-ip')).toBe(true);
  });
});

describe('outbound URL guard: DNS answers at connect time', () => {
  const resolveTo =
    (addresses: LookupAddress[]) =>
    (_hostname: string, _options: unknown, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) =>
      callback(null, addresses);

  function lookupWith(allowPrivate: boolean, addresses: LookupAddress[]): Promise<{ error: Error | null; address: unknown }> {
    return new Promise((resolve) => {
      guardedLookup(allowPrivate, resolveTo(addresses))('internal.example', { all: false }, (error, address) =>
        resolve({ error, address }),
      );
    });
  }

  it('refuses a name that resolves to a private address, even when a public one comes first', async () => {
    const answer = await lookupWith(false, [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ]);
    expect(answer.error).toBeInstanceOf(OutboundUrlError);
    expect((answer.error as OutboundUrlError).reason).toBe('internal.example resolves to 10.0.0.7, a loopback/private/link-local address');
  });

  it('passes public answers, and private ones when allowed', async () => {
    expect(await lookupWith(false, [{ address: '93.184.215.14', family: 4 }])).toEqual({ error: null, address: '93.184.215.14' });
    expect(await lookupWith(true, [{ address: '127.0.0.1', family: 4 }])).toEqual({ error: null, address: '127.0.0.1' });
  });

  describe('against a real server on loopback', () => {
    const server = new LoopbackServer();
    let loopbackName: string | undefined;

    beforeAll(async () => {
      await server.start();
      // A name the system resolver maps to a private address (e.g. via /etc/hosts), other than "localhost",
      // which the syntax check already refuses. The machine's own host name resolves to one almost everywhere.
      const { hostname } = await import('node:os');
      for (const name of [hostname(), 'runsc', 'vm']) {
        const answers = await promisify(lookup)(name, { all: true }).catch(() => [] as LookupAddress[]);
        if (answers.length > 0 && answers.every((answer) => isPrivateAddress(answer.address)) && answers.some((a) => a.family === 4)) {
          loopbackName = name;
          break;
        }
      }
    });
    afterAll(async () => {
      await server.close();
    });

    it('refuses a host name that resolves to a private address before any byte is sent', async (context) => {
      if (!loopbackName) return context.skip('no host name here resolves to a private address');
      const url = `http://${loopbackName}:${new URL(server.url).port}/hook`;
      expect(refusal(url)).toBe('allowed');
      const error = await outboundRequest(url, { method: 'POST', body: '{}', timeoutMs: 5000, allowPrivate: false }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OutboundUrlError);
      expect((error as OutboundUrlError).reason).toMatch(
        new RegExp(`^${loopbackName} resolves to [0-9a-f.:]+, a loopback/private/link-local address$`),
      );
      expect(server.requests).toHaveLength(0);

      const allowed = await outboundRequest(url, { method: 'POST', body: '{"a":1}', timeoutMs: 5000, allowPrivate: true });
      expect(allowed.status).toBe(200);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/hook', body: '{"a":1}' });
    });

    it('refuses literal private addresses before connecting', async () => {
      const error = await outboundRequest(`${server.url}/hook`, { timeoutMs: 5000, allowPrivate: false }).catch((e: unknown) => e);
      expect((error as OutboundUrlError).reason).toBe(`127.0.0.1 ${PRIVATE_HINT}`);
      expect(server.requests.filter((r) => r.url === '/hook' && r.method === 'GET')).toHaveLength(0);
    });
  });
});
