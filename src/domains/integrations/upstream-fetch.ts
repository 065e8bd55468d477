import { setTimeout as sleep } from 'node:timers/promises';
import { OutboundUrlError, outboundRequest, type OutboundResponse } from '../../common/outbound-http.js';
import type { ErrorClass } from './entities/sync-run.entity.js';

/** A failed upstream call, classified for the sync-run record and the error analysis. */
export class UpstreamError extends Error {
  /** Its message is written for the caller: a task that fails with it shows it as its error (isExposed). */
  readonly expose = true;

  constructor(
    readonly errorClass: ErrorClass,
    message: string,
    readonly httpStatus: number | null,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export interface FetchOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  /** Further attempts after the first on a timeout, network error, 429 or 5xx. */
  maxRetries: number;
  /** The first retry waits this long, then ×2 per retry (a 429's Retry-After wins when shorter than the cap). */
  backoffMs: number;
  allowPrivate: boolean;
  signal: AbortSignal;
  maxBytes?: number;
}

export interface FetchOutcome {
  response: OutboundResponse;
  attempts: number;
}

/** A Retry-After longer than this is not waited for: the run fails and the advice says to back off. */
export const MAX_RETRY_AFTER_MS = 30_000;

function retryAfterMs(value: string | string[] | undefined): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One attempt's failure: its class, message, status, whether a retry can help, and how long to wait first. */
interface AttemptFailure {
  errorClass: ErrorClass;
  message: string;
  httpStatus: number | null;
  retryable: boolean;
  waitMs?: number;
}

function classifyResponse(response: OutboundResponse, host: string): AttemptFailure {
  const status = response.status;
  if (status === 429) {
    const wait = retryAfterMs(response.headers['retry-after']);
    return {
      errorClass: 'rate_limited',
      message: `${host} answered 429 Too Many Requests${wait !== null ? ` (Retry-After ${Math.ceil(wait / 1000)} s)` : ''}`,
      httpStatus: status,
      retryable: wait === null || wait <= MAX_RETRY_AFTER_MS,
      waitMs: wait ?? undefined,
    };
  }
  if (status >= 500) return { errorClass: 'http_5xx', message: `${host} answered HTTP ${status}`, httpStatus: status, retryable: true };
  if (status >= 400) return { errorClass: 'http_4xx', message: `${host} answered HTTP ${status}`, httpStatus: status, retryable: false };
  return { errorClass: 'http_other', message: `${host} answered HTTP ${status} (expected 2xx)`, httpStatus: status, retryable: false };
}

function classifyError(error: unknown, host: string, timeoutMs: number): AttemptFailure {
  if (error instanceof OutboundUrlError) return { errorClass: 'config', message: error.message, httpStatus: null, retryable: false };
  if (error instanceof Error && error.name === 'TimeoutError') {
    return { errorClass: 'timeout', message: `${host} did not answer within ${timeoutMs} ms`, httpStatus: null, retryable: true };
  }
  return { errorClass: 'network', message: `${host} could not be reached: ${describe(error)}`, httpStatus: null, retryable: true };
}

/**
 * GETs an upstream URL through the outbound guard with a timeout per attempt, retrying timeouts, network
 * errors, 429 and 5xx with exponential backoff. Cancellation of `signal` is rethrown as is (not an
 * UpstreamError); every other failure is an UpstreamError naming the class and the attempts made.
 */
export async function fetchWithRetry(url: string, options: FetchOptions): Promise<FetchOutcome> {
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const maxAttempts = options.maxRetries + 1;
  for (let attempt = 1; ; attempt += 1) {
    let failure: AttemptFailure;
    try {
      const response = await outboundRequest(url, {
        headers: { accept: 'application/json', ...options.headers },
        timeoutMs: options.timeoutMs,
        allowPrivate: options.allowPrivate,
        signal: options.signal,
        maxBytes: options.maxBytes,
      });
      if (response.status >= 200 && response.status < 300) return { response, attempts: attempt };
      failure = classifyResponse(response, host);
    } catch (error) {
      if (options.signal.aborted) throw error;
      failure = classifyError(error, host, options.timeoutMs);
    }
    if (!failure.retryable || attempt >= maxAttempts) {
      const tries = attempt > 1 ? ` after ${attempt} attempts` : '';
      throw new UpstreamError(failure.errorClass, `${failure.message}${tries}`, failure.httpStatus, attempt);
    }
    const backoff = options.backoffMs * 2 ** (attempt - 1);
    await sleep(failure.waitMs ?? backoff, undefined, { signal: options.signal });
  }
}
