/**
 * `sync_crm_contacts`: fetches a JSON list of contacts from an upstream CRM export, validates every record,
 * then upserts customers or leads by (tenant_id, external_id) in one transaction. Nothing is written unless
 * the whole payload is valid and the fetch succeeded.
 */
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, validate } from 'class-validator';
import { In, type EntityManager, type ObjectLiteral } from 'typeorm';
import { type FieldError, ProblemException, ValidationProblem } from '../../../common/problem.js';
import { flattenValidationErrors } from '../../../common/validation.js';
import { checkSyncUrl, describeSource, fetchUpstream, type UpstreamAnswer, UpstreamFetchError } from '../../shared/upstream-fetch.js';
import { MAX_FIELD_ERRORS } from '../algorithms/index.js';
import { CUSTOMER_KIND, type FieldSpec, LEAD_KIND, type RecordKind, toColumn } from '../task-types/crm-record-kinds.js';
import { CreateCustomerParams } from '../dto/customer.params.js';
import { CreateLeadParams } from '../dto/lead.params.js';

export const SYNC_TARGETS = ['customers', 'leads'] as const;
export type SyncTarget = (typeof SYNC_TARGETS)[number];
export const MAX_SYNC_RECORDS = 100_000;
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const BACKOFF_BASE_MS = 250;
const CHUNK = 500;

/** Settings of the sync (crm-sync.config.ts): the default upstream, the per-attempt timeout and the number of retries. */
export interface CrmSyncConfig {
  url: string | undefined;
  timeoutMs: number;
  retries: number;
}

export class SyncContactsParams {
  /** The upstream JSON endpoint (http/https, guarded like every outbound URL); CRM_SYNC_URL when absent. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  source_url?: string;

  /** What the contacts become: customers (default) or leads. */
  @IsOptional()
  @IsIn(SYNC_TARGETS)
  target?: SyncTarget;

  /** Per-attempt timeout in milliseconds (CRM_SYNC_TIMEOUT_MS when absent). */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  timeout_ms?: number;
}

export interface SyncResult {
  target: SyncTarget;
  source: string;
  attempts: number;
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** The upstream failed (after retries) or answered something that is not a contact list. */
export class UpstreamProblem extends ProblemException {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(502, 'upstream-error', 'Bad Gateway', detail, extra);
  }
}

const NOTHING_WRITTEN = 'Nothing was written.';

/** Field errors of the parameters, including the outbound guard on the URL that will be called. */
export function checkSyncParams(params: SyncContactsParams, config: CrmSyncConfig, allowPrivate: boolean): FieldError[] {
  return checkSyncUrl(params.source_url ?? config.url, 'CRM_SYNC_URL', allowPrivate);
}

export interface FetchOptions {
  timeoutMs: number;
  retries: number;
  allowPrivate: boolean;
  signal: AbortSignal;
}

/** The last attempt's problem, as the CRM sync's messages name it. */
function lastProblem(failure: UpstreamFetchError, timeoutMs: number): string {
  if (failure.kind === 'timeout') return `timed out after ${timeoutMs} ms`;
  if (failure.kind === 'network') return `connection failed (${failure.detail})`;
  return `HTTP ${failure.httpStatus}`;
}

/** The CRM sync's answer to a failed fetch: a refused URL is a parameter error, the rest a 502 naming the upstream. */
function fetchProblem(failure: UpstreamFetchError, source: string, timeoutMs: number): ProblemException {
  if (failure.kind === 'refused') return new ValidationProblem([{ field: 'source_url', message: failure.detail }]);
  if (failure.kind === 'http_4xx' || failure.kind === 'http_other') {
    return new UpstreamProblem(
      `The CRM upstream ${source} answered HTTP ${failure.httpStatus}; check source_url (or CRM_SYNC_URL) and the upstream's access rules. ${NOTHING_WRITTEN}`,
      { upstream_status: failure.httpStatus, attempts: failure.attempts },
    );
  }
  const last = lastProblem(failure, timeoutMs);
  return new UpstreamProblem(
    `The CRM upstream ${source} failed after ${failure.attempts} attempt(s) (last: ${last}). Check that it is up and answers within the timeout ` +
      `(timeout_ms / CRM_SYNC_TIMEOUT_MS), then run sync_crm_contacts again. ${NOTHING_WRITTEN}`,
    { attempts: failure.attempts, last_error: last },
  );
}

/**
 * GETs the upstream and parses its JSON (the shared upstream fetch: guard, timeout, retries of timeouts,
 * connection failures, 429 and 5xx with backoff 250 ms, 500 ms, 1 s, …); a 4xx, a non-JSON body or the
 * task's own cancellation is final.
 */
export async function fetchContacts(url: string, options: FetchOptions): Promise<{ body: unknown; attempts: number }> {
  const source = describeSource(url);
  let answer: UpstreamAnswer;
  try {
    answer = await fetchUpstream(url, { ...options, backoffMs: BACKOFF_BASE_MS, maxBytes: MAX_RESPONSE_BYTES });
  } catch (error) {
    throw error instanceof UpstreamFetchError ? fetchProblem(error, source, options.timeoutMs) : error;
  }
  try {
    return { body: JSON.parse(answer.body) as unknown, attempts: answer.attempts };
  } catch {
    throw new UpstreamProblem(
      `The CRM upstream ${source} answered HTTP ${answer.status} with a body that is not JSON; it must answer a JSON list of contacts. ${NOTHING_WRITTEN}`,
      { attempts: answer.attempts },
    );
  }
}

/** The contact list inside a body: an array, or an object with contacts/data/items/records/results. */
export function contactList(body: unknown, source: string): unknown[] {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') {
    for (const key of ['contacts', 'data', 'items', 'records', 'results']) {
      const value = (body as Record<string, unknown>)[key];
      if (Array.isArray(value)) return value;
    }
  }
  throw new UpstreamProblem(
    `The CRM upstream ${source} answered JSON that is not a list of contacts (expected an array, or an object with a "contacts", "data", "items", "records" or "results" array). ${NOTHING_WRITTEN}`,
  );
}

const RECORD_VALIDATION = {
  whitelist: true,
  forbidNonWhitelisted: false,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/**
 * Validates every record before anything is written; the first errors name the record index and field
 * (`records[3].email`). `id` is accepted for `external_id`, which every record needs and which must be unique.
 */
export async function validateContacts(list: unknown[], target: SyncTarget, source: string): Promise<Record<string, unknown>[]> {
  if (list.length > MAX_SYNC_RECORDS) {
    throw new ValidationProblem(
      [{ field: 'records', message: `must have at most ${MAX_SYNC_RECORDS} contacts (got ${list.length})` }],
      `The CRM upstream ${source} answered ${list.length} contacts; at most ${MAX_SYNC_RECORDS} can be synced at once. ${NOTHING_WRITTEN}`,
    );
  }
  const dto: new () => object = target === 'leads' ? CreateLeadParams : CreateCustomerParams;
  const errors: FieldError[] = [];
  const rows: Record<string, unknown>[] = [];
  const firstIndex = new Map<string, number>();
  for (let index = 0; index < list.length && errors.length < MAX_FIELD_ERRORS; index++) {
    const path = `records[${index}]`;
    const raw = list[index];
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push({ field: path, message: 'must be an object' });
      continue;
    }
    const { id, ...fields } = raw as Record<string, unknown>;
    const external = fields.external_id ?? id;
    if ((typeof external !== 'string' || external.trim() === '') && (typeof external !== 'number' || !Number.isFinite(external))) {
      errors.push({ field: `${path}.external_id`, message: 'is required (external_id or id: a non-empty string or a number)' });
      continue;
    }
    const externalId = String(external).trim();
    const first = firstIndex.get(externalId);
    if (first !== undefined) {
      errors.push({ field: `${path}.external_id`, message: `duplicates records[${first}].external_id "${externalId}"` });
      continue;
    }
    firstIndex.set(externalId, index);
    const instance = plainToInstance(dto, { ...fields, external_id: externalId });
    const found = await validate(instance, RECORD_VALIDATION);
    if (found.length > 0) {
      errors.push(...flattenValidationErrors(found, path));
      continue;
    }
    rows.push(Object.fromEntries(Object.entries(instance).filter(([, value]) => value !== undefined)));
  }
  if (errors.length > 0) {
    const first = errors[0];
    throw new ValidationProblem(
      errors.slice(0, MAX_FIELD_ERRORS),
      `The CRM upstream ${source} sent an invalid contact: ${first.field}: ${first.message}` +
        `${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}. Fix the record upstream (or point source_url at a valid export) and sync again. ${NOTHING_WRITTEN}`,
      { guidance: 'Fix the named records in the upstream system, then run sync_crm_contacts again.' },
    );
  }
  return rows;
}

/** The stored form of a wire value, as the column will hold it (money rounded to cents). */
function stored(field: FieldSpec, value: unknown): unknown {
  const column = toColumn(field, value);
  if ((field.wire === 'ltv' || field.wire === 'monetary') && typeof column === 'number') return Math.round(column * 100) / 100;
  return column;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

function same(field: FieldSpec, next: unknown, current: unknown): boolean {
  if (current === null || current === undefined) return false;
  if (field.kind === 'timestamp') return (next as Date).getTime() === new Date(current as Date).getTime();
  if (field.kind === 'json') return JSON.stringify(canonical(next)) === JSON.stringify(canonical(current));
  return next === current;
}

/** The entity values of a record's given fields (absent and null fields leave the stored value as it is). */
function valuesOf(kind: RecordKind, row: Record<string, unknown>): ObjectLiteral {
  const values: ObjectLiteral = {};
  for (const field of kind.fields) {
    const value = row[field.wire];
    if (value !== undefined && value !== null) values[field.prop] = stored(field, value);
  }
  return values;
}

/**
 * Upserts the validated rows by (tenant_id, external_id) with `manager` (a transaction's): new ones are inserted,
 * changed ones updated, identical ones left alone — so a second identical sync changes nothing.
 */
export async function upsertContacts(
  manager: EntityManager,
  target: SyncTarget,
  tenantId: string,
  rows: Record<string, unknown>[],
): Promise<{ created: number; updated: number; unchanged: number }> {
  const kind: RecordKind = target === 'leads' ? LEAD_KIND : CUSTOMER_KIND;
  const repository = manager.getRepository(kind.entity);
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const existing = await repository.find({ where: { tenantId, externalId: In(chunk.map((row) => row.external_id as string)) } });
    const byExternalId = new Map(existing.map((entity) => [entity.externalId as string, entity]));
    const inserts: ObjectLiteral[] = [];
    for (const row of chunk) {
      const values = valuesOf(kind, row);
      const current = byExternalId.get(row.external_id as string);
      if (!current) {
        inserts.push({ tenantId, ...values });
        continue;
      }
      const patch: ObjectLiteral = {};
      for (const field of kind.fields) {
        const next: unknown = values[field.prop];
        if (field.prop in values && !same(field, next, current[field.prop])) patch[field.prop] = next;
      }
      if (Object.keys(patch).length === 0) {
        unchanged++;
        continue;
      }
      await manager
        .createQueryBuilder()
        .update(kind.entity)
        .set({ ...patch, updatedAt: () => 'now()' })
        .where('tenant_id = :tenantId AND id = :id', { tenantId, id: current.id as string })
        .execute();
      updated++;
    }
    if (inserts.length > 0) {
      await manager.createQueryBuilder().insert().into(kind.entity).values(inserts).execute();
      created += inserts.length;
    }
  }
  return { created, updated, unchanged };
}
