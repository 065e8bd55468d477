import { checkOutboundUrl, OutboundUrlError, outboundRequest, type OutboundResponse } from '../../common/outbound-http.js';
import type { FieldError } from '../../common/problem.js';

/** Why an upstream call failed: the guard refused the URL, the attempt failed, or the upstream answered non-2xx. */
export type UpstreamFailureKind = 'refused' | 'timeout' | 'network' | 'rate_limited' | 'http_5xx' | 'http_4xx' | 'http_other';

/** A Retry-After longer than this is not waited for: the fetch fails at once. */
export const MAX_RETRY_AFTER_MS = 30_000;

export interface UpstreamFetchOptions {
  /** Per attempt. */
  timeoutMs: number;
  /** Further attempts after the first, on a timeout, a network error, 429 or 5xx. */
  retries: number;
  /** The first retry waits this long, then ×2 per retry (a 429's Retry-After, up to MAX_RETRY_AFTER_MS, wins). */
  backoffMs: number;
  allowPrivate: boolean;
  /** The task's signal: its abort is rethrown as is (its reason), never retried or wrapped. */
  signal: AbortSignal;
  /** Sent with every attempt, after `accept: application/json` (which they may override). */
  headers?: Record<string, string>;
  /** Answers larger than this fail the attempt (the outbound default when absent). */
  maxBytes?: number;
}

/** A 2xx answer and the attempts it took. */
export interface UpstreamAnswer extends OutboundResponse {
  attempts: number;
}

/**
 * The upstream call failed for good. `message` says what happened in words each domain wraps into its own
 * error ("answered HTTP 503", "did not answer within 300 ms", "could not be reached (…)", or the guard's
 * refusal); `detail` is the bare cause (the network error's message or the guard's reason).
 */
export class UpstreamFetchError extends Error {
  /** Its message is written for the caller: a task that fails with it shows it as its error (isExposed). */
  readonly expose = true;

  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
    readonly attempts: number,
    readonly httpStatus: number | null,
    readonly detail: string,
    /** A 429's Retry-After, in milliseconds, when it gave one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'UpstreamFetchError';
  }
}

/** One attempt's failure and whether another attempt may cure it. */
interface AttemptFailure {
  kind: UpstreamFailureKind;
  message: string;
  httpStatus: number | null;
  detail: string;
  retryAfterMs: number | null;
  retryable: boolean;
}

function retryAfterMs(value: string | string[] | undefined): number | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function responseFailure(response: OutboundResponse): AttemptFailure {
  const status = response.status;
  const answered = { message: `answered HTTP ${status}`, httpStatus: status, detail: '', retryAfterMs: null };
  if (status === 429) {
    const wait = retryAfterMs(response.headers['retry-after']);
    return { ...answered, kind: 'rate_limited', retryAfterMs: wait, retryable: wait === null || wait <= MAX_RETRY_AFTER_MS };
  }
  if (status >= 500) return { ...answered, kind: 'http_5xx', retryable: true };
  if (status >= 400) return { ...answered, kind: 'http_4xx', retryable: false };
  return { ...answered, kind: 'http_other', retryable: false };
}

function errorFailure(error: unknown, timeoutMs: number): AttemptFailure {
  const none = { httpStatus: null, retryAfterMs: null };
  if (error instanceof OutboundUrlError)
    return { ...none, kind: 'refused', message: error.message, detail: error.reason, retryable: false };
  if (error instanceof Error && error.name === 'TimeoutError')
    return { ...none, kind: 'timeout', message: `did not answer within ${timeoutMs} ms`, detail: error.message, retryable: true };
  const detail = error instanceof Error ? error.message : String(error);
  return { ...none, kind: 'network', message: `could not be reached (${detail})`, detail, retryable: true };
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * GETs an upstream URL through the outbound guard (checked before the request and again on every DNS answer),
 * with a timeout per attempt, retrying timeouts, network errors, 429 and 5xx with exponential backoff. A refused
 * URL, a 4xx and any other non-2xx answer are final. Cancellation of `signal` is rethrown as is; every other
 * failure is an UpstreamFetchError naming its kind and the attempts made.
 */
export async function fetchUpstream(url: string, options: UpstreamFetchOptions): Promise<UpstreamAnswer> {
  const maxAttempts = options.retries + 1;
  for (let attempt = 1; ; attempt += 1) {
    let failure: AttemptFailure;
    try {
      const response = await outboundRequest(url, {
        method: 'GET',
        headers: { accept: 'application/json', ...options.headers },
        timeoutMs: options.timeoutMs,
        allowPrivate: options.allowPrivate,
        signal: options.signal,
        maxBytes: options.maxBytes,
      });
      if (response.status >= 200 && response.status < 300) return { ...response, attempts: attempt };
      failure = responseFailure(response);
    } catch (error) {
      if (options.signal.aborted) throw error;
      failure = errorFailure(error, options.timeoutMs);
    }
    if (!failure.retryable || attempt >= maxAttempts) {
      throw new UpstreamFetchError(failure.kind, failure.message, attempt, failure.httpStatus, failure.detail, failure.retryAfterMs);
    }
    await sleep(failure.retryAfterMs ?? options.backoffMs * 2 ** (attempt - 1), options.signal);
  }
}

/** `Authorization: Bearer <token>` when a token is configured, else no header. */
export function bearer(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** The outbound guard's reason for refusing `url`, or null when it may be called. */
export function outboundRefusal(url: string, allowPrivate: boolean): string | null {
  try {
    checkOutboundUrl(url, allowPrivate);
    return null;
  } catch (error) {
    if (error instanceof OutboundUrlError) return error.reason;
    throw error;
  }
}

/** Submit-time field errors of a sync's endpoint: missing (`envName` is not configured either), or refused by the guard. */
export function checkSyncUrl(url: string | undefined, envName: string, allowPrivate: boolean): FieldError[] {
  if (url === undefined) return [{ field: 'source_url', message: `is required when ${envName} is not configured` }];
  const refused = outboundRefusal(url, allowPrivate);
  return refused === null ? [] : [{ field: 'source_url', message: refused }];
}

/** Origin and path of an upstream URL, without its query string (which may carry a token). */
export function describeSource(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
