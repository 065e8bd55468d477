/**
 * The fetch-and-validate half of a direct_api sync that reads one JSON document holding one list (products,
 * orders, payments): the whole payload is fetched and validated before anything is written.
 */
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FieldError } from '../../common/problem.js';
import { flattenValidationErrors } from '../../common/validation.js';
import { bearer, fetchUpstream, type UpstreamAnswer, UpstreamFetchError } from './upstream-fetch.js';

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

export interface SyncSource {
  allowPrivate: boolean;
  /** Sent as a bearer token when set. */
  token?: string;
}

const MAX_BYTES = 10 * 1024 * 1024;
const DEFAULT_BACKOFF_MS = 200;

/** The sync's wording of a failed fetch: a refusal as the guard says it, a final status, or the last problem and the attempts. */
function syncError(url: string, failure: UpstreamFetchError): UpstreamSyncError {
  if (failure.kind === 'refused') return new UpstreamSyncError(failure.message, failure.attempts);
  if (failure.kind === 'http_4xx' || failure.kind === 'http_other')
    return new UpstreamSyncError(`Upstream ${url} answered HTTP ${failure.httpStatus}; nothing was imported`, failure.attempts);
  return new UpstreamSyncError(
    `Upstream ${url} ${failure.message} (${failure.attempts} attempt(s)); nothing was imported`,
    failure.attempts,
  );
}

/** GETs and parses the upstream's JSON document (see fetchUpstream); every failure is an UpstreamSyncError. */
export async function fetchUpstreamJson(
  url: string,
  options: { timeoutMs: number; retries: number; allowPrivate: boolean; signal: AbortSignal; token?: string; backoffMs?: number },
): Promise<{ body: unknown; attempts: number }> {
  let answer: UpstreamAnswer;
  try {
    answer = await fetchUpstream(url, {
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
      allowPrivate: options.allowPrivate,
      signal: options.signal,
      headers: bearer(options.token),
      maxBytes: MAX_BYTES,
    });
  } catch (error) {
    throw error instanceof UpstreamFetchError ? syncError(url, error) : error;
  }
  try {
    return { body: JSON.parse(answer.body) as unknown, attempts: answer.attempts };
  } catch {
    throw new UpstreamSyncError(`Upstream ${url} answered a body that is not JSON; nothing was imported`, answer.attempts);
  }
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

/** The endpoint a sync reads: the task's source_url, else the configured one. */
export function syncUrl(sourceUrl: string | undefined, configured: string | undefined): string | undefined {
  return sourceUrl ?? configured;
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
