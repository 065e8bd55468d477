import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Refused by the outbound URL guard; `reason` says why in words a caller can act on. */
export class OutboundUrlError extends Error {
  /** Its message is written for the caller: a task that fails with it shows it as its error (isExposed). */
  readonly expose = true;

  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`Outbound URL refused: ${reason}`);
    this.name = 'OutboundUrlError';
  }
}

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** Expands an IPv6 address to its eight 16-bit groups (a dotted IPv4 tail counts as two). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The IPv4 address inside an IPv4-compatible (::a.b.c.d) or NAT64 (64:ff9b::/96, 64:ff9b:1::/48) IPv6
 * address, which can reach that IPv4 host; undefined for other IPv6 addresses.
 */
function embeddedIpv4(address: string): string | undefined {
  const groups = ipv6Groups(address);
  if (groups.length !== 8) return undefined;
  const compatible = groups.slice(0, 6).every((group) => group === 0);
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && (groups.slice(2, 6).every((group) => group === 0) || groups[2] === 1);
  if (!compatible && !nat64) return undefined;
  return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
}

/** Loopback, private, link-local (incl. cloud metadata 169.254.169.254), CGNAT, multicast and unspecified addresses. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
    const embedded = embeddedIpv4(address);
    if (embedded !== undefined && PRIVATE.check(embedded, 'ipv4')) return true;
    return PRIVATE.check(address, 'ipv6');
  }
  return true;
}

/** Syntax-level checks: http(s), no credentials, and no private IP literal unless allowed. */
export function checkOutboundUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundUrlError(raw, 'not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OutboundUrlError(raw, `scheme ${url.protocol} is not allowed (http or https only)`);
  if (url.username || url.password) throw new OutboundUrlError(raw, 'credentials in the URL are not allowed; use headers');
  // A trailing dot names the same host ("localhost." is localhost).
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (!allowPrivate && isIP(host) && isPrivateAddress(host)) {
    throw new OutboundUrlError(raw, `${host} is a loopback/private/link-local address (set OUTBOUND_ALLOW_PRIVATE=true to allow)`);
  }
  if (!allowPrivate && /^(localhost|.*\.localhost|metadata\.google\.internal)$/i.test(host)) {
    throw new OutboundUrlError(raw, `${host} is a local name (set OUTBOUND_ALLOW_PRIVATE=true to allow)`);
  }
  return url;
}

type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * DNS lookup that refuses private answers at connect time, so a name cannot rebind to an internal address.
 * `resolve` is the system resolver; tests pass their own.
 */
export function guardedLookup(allowPrivate: boolean, resolve: Resolver = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused) {
        return callback(
          new OutboundUrlError(hostname, `${hostname} resolves to ${refused.address}, a loopback/private/link-local address`),
          '',
          0,
        );
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

export interface OutboundRequest {
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Responses larger than this are cut off with an error. */
  maxBytes?: number;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP request to a caller-supplied URL, with the outbound guard applied before and during connect,
 * a timeout, a size cap, and the caller's AbortSignal (aborting closes the socket).
 */
export async function outboundRequest(rawUrl: string, options: OutboundRequest): Promise<OutboundResponse> {
  const url = checkOutboundUrl(rawUrl, options.allowPrivate);
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const signal = options.signal
    ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])
    : AbortSignal.timeout(options.timeoutMs);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const request = send(
      url,
      {
        method: options.method ?? 'GET',
        headers: {
          'user-agent': 'ai-crew-system/0.1',
          ...(options.body !== undefined
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body).toString() }
            : {}),
          ...options.headers,
        },
        lookup: guardedLookup(options.allowPrivate),
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            // Rejected here: an error passed to destroy() once the response has begun reaches no listener
            // (an uncaught exception) and the cut-off body would then resolve as if complete.
            reject(new Error(`response from ${url.host} exceeds ${maxBytes} bytes`));
            request.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', (error) => {
      if (signal.aborted && !(error instanceof OutboundUrlError)) {
        const reason: unknown = signal.reason;
        reject(reason instanceof Error ? reason : error);
        return;
      }
      reject(error);
    });
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}
