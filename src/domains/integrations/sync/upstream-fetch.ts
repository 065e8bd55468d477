import { fetchUpstream, type UpstreamAnswer, UpstreamFetchError, type UpstreamFetchOptions } from '../../shared/upstream-fetch.js';
import type { ErrorClass } from '../entities/sync-run.entity.js';

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

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The sync run's wording of a failed fetch: the host, what went wrong, and the attempts when more than one. */
function upstreamError(url: string, failure: UpstreamFetchError, timeoutMs: number): UpstreamError {
  const host = hostOf(url);
  const status = failure.httpStatus;
  const messages: Record<UpstreamFetchError['kind'], () => string> = {
    refused: () => failure.message,
    timeout: () => `${host} did not answer within ${timeoutMs} ms`,
    network: () => `${host} could not be reached: ${failure.detail}`,
    rate_limited: () =>
      `${host} answered 429 Too Many Requests${failure.retryAfterMs !== null ? ` (Retry-After ${Math.ceil(failure.retryAfterMs / 1000)} s)` : ''}`,
    http_5xx: () => `${host} answered HTTP ${status}`,
    http_4xx: () => `${host} answered HTTP ${status}`,
    http_other: () => `${host} answered HTTP ${status} (expected 2xx)`,
  };
  const errorClass: ErrorClass = failure.kind === 'refused' ? 'config' : failure.kind;
  const tries = failure.attempts > 1 ? ` after ${failure.attempts} attempts` : '';
  return new UpstreamError(errorClass, `${messages[failure.kind]()}${tries}`, status, failure.attempts);
}

/**
 * GETs a connection's URL with the shared upstream fetch (outbound guard, timeout per attempt, retries of
 * timeouts, network errors, 429 and 5xx with backoff). Cancellation of `signal` is rethrown as is; every other
 * failure is an UpstreamError naming its class and the attempts made.
 */
export async function fetchWithRetry(url: string, options: UpstreamFetchOptions): Promise<UpstreamAnswer> {
  try {
    return await fetchUpstream(url, options);
  } catch (error) {
    throw error instanceof UpstreamFetchError ? upstreamError(url, error, options.timeoutMs) : error;
  }
}
