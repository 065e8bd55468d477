import type { EntityManager } from 'typeorm';
import { ProblemException } from '../../../common/problem.js';
import type { TaskRunContext } from '../../../tasks/task-type.js';
import { isUniqueViolation } from '../../shared/db-errors.js';
import { bearer, fetchUpstream, type UpstreamAnswer, UpstreamFetchError } from '../../shared/upstream-fetch.js';
import { parseContentPayload, type UpstreamContent } from './content-payload.js';
import type { SyncContentParams } from '../dto/cms.params.js';

export interface ContentSyncSettings {
  allowPrivate: boolean;
  defaultUrl: string | undefined;
  token: string | undefined;
  timeoutMs: number;
  maxRetries: number;
  backoffMs: number;
}

/** The content sync failed upstream, on the payload or on a slug clash; nothing was written. */
export class ContentSyncProblem extends ProblemException {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(502, 'upstream-sync-failed', 'Bad Gateway', detail, {
      guidance: 'Check the upstream (source_url or CMS_SYNC_URL) and its payload as the error says, then run cms_sync_content again.',
      ...extra,
    });
  }
}

/** The content sync's answer to a failed fetch (see fetchUpstream): refused, a final status, or the last problem after the attempts. */
function fetchProblem(failure: UpstreamFetchError): ContentSyncProblem {
  if (failure.kind === 'refused') return new ContentSyncProblem(`Content sync refused: ${failure.detail}. Nothing was imported.`);
  const problem = `the upstream ${failure.message}`;
  if (failure.kind === 'http_4xx' || failure.kind === 'http_other')
    return new ContentSyncProblem(`Content sync failed: ${problem}. Nothing was imported.`);
  return new ContentSyncProblem(`Content sync failed after ${failure.attempts} attempt(s): ${problem}. Nothing was imported.`, {
    attempts: failure.attempts,
  });
}

/** GETs the upstream (guard, per-attempt timeout, retries with backoff); cancellation is rethrown as is. */
async function fetchContent(
  url: string,
  settings: ContentSyncSettings,
  p: SyncContentParams,
  signal: AbortSignal,
): Promise<UpstreamAnswer> {
  try {
    return await fetchUpstream(url, {
      timeoutMs: p.timeout_ms ?? settings.timeoutMs,
      retries: p.max_retries ?? settings.maxRetries,
      backoffMs: settings.backoffMs,
      allowPrivate: settings.allowPrivate,
      signal,
      headers: bearer(settings.token),
    });
  } catch (error) {
    throw error instanceof UpstreamFetchError ? fetchProblem(error) : error;
  }
}

interface ExistingRow {
  id: string;
  external_id: string;
  title: string;
  slug: string;
  body: string;
  format: string;
  meta_description: string | null;
  keywords: string[];
  status: string;
  published_at: Date | null;
  author: string | null;
}

const sameContent = (row: ExistingRow, item: UpstreamContent, publishedAt: string | null): boolean =>
  row.title === item.title &&
  row.slug === item.slug &&
  row.body === item.body &&
  row.format === item.format &&
  row.meta_description === item.metaDescription &&
  JSON.stringify(row.keywords) === JSON.stringify(item.keywords) &&
  row.status === item.status &&
  (row.published_at?.toISOString() ?? null) === publishedAt &&
  row.author === item.author;

const RECORDSET = `jsonb_to_recordset($2::jsonb) AS r(id uuid, external_id text, title text, slug text, body text, format text,
  meta_description text, keywords jsonb, status text, published_at timestamptz, author text)`;

/**
 * Upserts by (tenant, external_id) inside the caller's transaction: new ids are inserted, changed items
 * updated, identical ones left alone. A published item keeps its published_at unless the upstream gives one.
 */
async function upsertContent(
  m: EntityManager,
  tenantId: string,
  items: UpstreamContent[],
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  const existing: ExistingRow[] = await m.query(
    `SELECT id, external_id, title, slug, body, format, meta_description, keywords, status, published_at, author
       FROM content_items WHERE tenant_id = $1 AND external_id = ANY($2::text[])`,
    [tenantId, items.map((i) => i.externalId)],
  );
  const byExternal = new Map(existing.map((row) => [row.external_id, row]));
  // A slug held by a local item (or by an item the payload does not carry) cannot be taken over.
  const holders = await m.query<{ slug: string; external_id: string | null }[]>(
    `SELECT slug, external_id FROM content_items WHERE tenant_id = $1 AND slug = ANY($2::text[])`,
    [tenantId, items.map((i) => i.slug)],
  );
  const payloadIds = new Set(items.map((i) => i.externalId));
  const clashes = holders
    .filter((h) => h.external_id === null || !payloadIds.has(h.external_id))
    .map((h) => `"${h.slug}" (item ${items.find((i) => i.slug === h.slug)?.externalId ?? '?'})`);
  if (clashes.length) {
    throw new ContentSyncProblem(
      `Content sync failed: slug ${clashes.join(', ')} is already used by another content item of this tenant (rename one of them). Nothing was imported.`,
    );
  }
  const now = new Date().toISOString();
  const inserts: Record<string, unknown>[] = [];
  const updates: Record<string, unknown>[] = [];
  for (const item of items) {
    const row = byExternal.get(item.externalId);
    const publishedAt = item.status === 'published' ? (item.publishedAt ?? row?.published_at?.toISOString() ?? now) : null;
    const values = {
      id: row?.id ?? null,
      external_id: item.externalId,
      title: item.title,
      slug: item.slug,
      body: item.body,
      format: item.format,
      meta_description: item.metaDescription,
      keywords: item.keywords,
      status: item.status,
      published_at: publishedAt,
      author: item.author,
    };
    if (!row) inserts.push(values);
    else if (!sameContent(row, item, publishedAt)) updates.push(values);
  }
  if (updates.length) {
    await m.query(
      `UPDATE content_items c SET title = r.title, slug = r.slug, body = r.body, format = r.format, meta_description = r.meta_description,
              keywords = r.keywords, status = r.status, published_at = r.published_at, author = r.author, updated_at = now()
         FROM ${RECORDSET} WHERE c.tenant_id = $1 AND c.id = r.id`,
      [tenantId, JSON.stringify(updates)],
    );
  }
  if (inserts.length) {
    await m.query(
      `INSERT INTO content_items (tenant_id, external_id, title, slug, body, format, meta_description, keywords, status, published_at, author)
       SELECT $1, r.external_id, r.title, r.slug, r.body, r.format, r.meta_description, r.keywords, r.status, r.published_at, r.author FROM ${RECORDSET}`,
      [tenantId, JSON.stringify(inserts)],
    );
  }
  return { inserted: inserts.length, updated: updates.length, unchanged: items.length - inserts.length - updates.length };
}

/** What cms_sync_content answers: the items received and how many were inserted, updated or left unchanged. */
export interface ContentSyncResult {
  source_url: string;
  http_status: number;
  items: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duration_ms: number;
}

/** cms_sync_content: fetch (guarded, retried), validate the whole payload, upsert in one transaction. */
export async function syncContent(
  context: TaskRunContext,
  p: SyncContentParams,
  settings: ContentSyncSettings,
): Promise<ContentSyncResult> {
  const url = p.source_url ?? settings.defaultUrl;
  if (!url) throw new ContentSyncProblem('Content sync needs a source: give source_url or set CMS_SYNC_URL.');
  const started = Date.now();
  const response = await fetchContent(url, settings, p, context.signal);
  const payload = parseContentPayload(response.body);
  if (!payload.ok) {
    throw new ContentSyncProblem(
      `Content sync failed: the upstream payload is malformed — ${payload.problems.join('; ')}. Nothing was imported.`,
      {
        problems: payload.problems,
      },
    );
  }
  const counts = await context
    .write((m) => upsertContent(m, context.tenantId, payload.items))
    .catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
      throw new ContentSyncProblem(
        'Content sync failed: two items would end up with the same slug (rename one of them). Nothing was imported.',
      );
    });
  return { source_url: url, http_status: response.status, items: payload.items.length, ...counts, duration_ms: Date.now() - started };
}
