import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { checkOutboundUrl, OutboundUrlError, outboundRequest } from '../../../common/outbound-http.js';
import type { FieldError } from '../../../common/problem.js';
import { flattenValidationErrors } from '../../../common/validation.js';

/** The upstream could not be read or answered something unusable; nothing was written. */
export class UpstreamSyncError extends Error {
  /** Its message is written for the caller: a task that fails with it shows it as its error (isExposed). */
  readonly expose = true;

  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'UpstreamSyncError';
  }
}

export interface UpstreamFetchOptions {
  timeoutMs: number;
  /** Retries after the first attempt, on 5xx, 429, timeouts and connection errors. */
  retries: number;
  allowPrivate: boolean;
  signal: AbortSignal;
  /** Sent as a bearer token when set. */
  token?: string;
  /** First backoff delay; doubles each retry. */
  backoffMs?: number;
}

export interface UpstreamAnswer {
  body: unknown;
  attempts: number;
}

const MAX_BYTES = 10 * 1024 * 1024;

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

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
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * GETs a JSON document from an upstream, through the outbound URL guard, with a timeout per attempt and
 * exponential backoff between retries. 4xx answers and refused URLs are not retried.
 */
export async function fetchUpstreamJson(url: string, options: UpstreamFetchOptions): Promise<UpstreamAnswer> {
  const attempts = options.retries + 1;
  let lastProblem = '';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    if (attempt > 1) await sleep((options.backoffMs ?? 200) * 2 ** (attempt - 2), options.signal);
    let status: number;
    let text: string;
    try {
      const response = await outboundRequest(url, {
        method: 'GET',
        headers: { accept: 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        allowPrivate: options.allowPrivate,
        maxBytes: MAX_BYTES,
      });
      status = response.status;
      text = response.body;
    } catch (error) {
      if (options.signal.aborted) throw error;
      if (error instanceof OutboundUrlError) throw new UpstreamSyncError(error.message, attempt);
      lastProblem = isTimeout(error)
        ? `did not answer within ${options.timeoutMs} ms`
        : `could not be reached (${error instanceof Error ? error.message : String(error)})`;
      continue;
    }
    if (status >= 500 || status === 429) {
      lastProblem = `answered HTTP ${status}`;
      continue;
    }
    if (status < 200 || status >= 300)
      throw new UpstreamSyncError(`Upstream ${url} answered HTTP ${status}; nothing was imported`, attempt);
    try {
      return { body: JSON.parse(text) as unknown, attempts: attempt };
    } catch {
      throw new UpstreamSyncError(`Upstream ${url} answered a body that is not JSON; nothing was imported`, attempt);
    }
  }
  throw new UpstreamSyncError(`Upstream ${url} ${lastProblem} (${attempts} attempt(s)); nothing was imported`, attempts);
}

/**
 * Validates an upstream payload against a DTO class (extra upstream fields are ignored). Throws an
 * UpstreamSyncError naming the first problems, so a malformed payload is refused as a whole.
 */
export async function validatePayload<T extends object>(
  cls: new () => T,
  listKey: string,
  body: unknown,
  url: string,
  attempts: number,
): Promise<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray((body as Record<string, unknown>)[listKey])) {
    throw malformed(url, [{ field: listKey, message: `expected a JSON object with a "${listKey}" array` }], attempts);
  }
  const instance = plainToInstance(cls, body);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: false, forbidUnknownValues: true });
  if (errors.length > 0) throw malformed(url, flattenValidationErrors(errors), attempts);
  return instance;
}

export function malformed(url: string, errors: FieldError[], attempts: number): UpstreamSyncError {
  // One message per field: class-validator lists a field's failed constraints last-decorator first, so the
  // last one is the most basic (e.g. "must be a number" rather than its range).
  const byField = new Map<string, string>();
  for (const error of errors) byField.set(error.field, error.message);
  const all = [...byField.entries()];
  const shown = all.slice(0, 5).map(([field, message]) => `${field}: ${message}`);
  const more = all.length > shown.length ? ` (and ${all.length - shown.length} more)` : '';
  return new UpstreamSyncError(`Upstream ${url} answered a malformed payload: ${shown.join('; ')}${more}; nothing was imported`, attempts);
}

/** Field errors for keys (ids by default) that appear twice in one payload. */
export function duplicateIds(values: string[], field: string, key = 'id'): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  values.forEach((value, index) => {
    if (seen.has(value)) errors.push({ field: `${field}[${index}].${key}`, message: `duplicates ${key} "${value}"` });
    seen.add(value);
  });
  return errors;
}

export interface SyncSource {
  allowPrivate: boolean;
  token?: string;
}

/** The endpoint a sync reads: the task's source_url, else the configured one. */
export function syncUrl(sourceUrl: string | undefined, configured: string | undefined): string | undefined {
  return sourceUrl ?? configured;
}

/** Submit-time field errors for the sync endpoint (missing, or refused by the outbound guard). */
export function checkSyncUrl(url: string | undefined, envName: string, allowPrivate: boolean): FieldError[] {
  if (url === undefined) return [{ field: 'source_url', message: `is required when ${envName} is not configured` }];
  try {
    checkOutboundUrl(url, allowPrivate);
    return [];
  } catch (error) {
    if (error instanceof OutboundUrlError) return [{ field: 'source_url', message: error.reason }];
    throw error;
  }
}

/** Fetches and validates a whole upstream payload before anything is written. */
export async function fetchPayload<T extends object>(
  cls: new () => T,
  listKey: string,
  url: string,
  parameters: { timeout_ms?: number; max_retries?: number },
  source: SyncSource,
  signal: AbortSignal,
): Promise<{ payload: T; attempts: number }> {
  const answer = await fetchUpstreamJson(url, {
    timeoutMs: parameters.timeout_ms ?? 10_000,
    retries: parameters.max_retries ?? 2,
    allowPrivate: source.allowPrivate,
    token: source.token,
    signal,
  });
  return { payload: await validatePayload(cls, listKey, answer.body, url, answer.attempts), attempts: answer.attempts };
}
