import { MAX_BODY_CHARS, SLUG_PATTERN } from '../dto/cms.params.js';
import { slugify } from '../task-types/content-items.js';
import { BODY_FORMATS, type BodyFormat, CONTENT_STATUSES, type ContentStatus } from '../entities/content-item.entity.js';

/** One content item from the upstream, validated and normalised. */
export interface UpstreamContent {
  externalId: string;
  title: string;
  slug: string;
  body: string;
  format: BodyFormat;
  metaDescription: string | null;
  keywords: string[];
  status: ContentStatus;
  publishedAt: string | null;
  author: string | null;
}

export type ContentPayload = { ok: true; items: UpstreamContent[] } | { ok: false; problems: string[] };

export const MAX_SYNC_ITEMS = 5000;
const MAX_PROBLEMS = 10;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown, max: number): string | null | false =>
  v === undefined || v === null ? null : typeof v === 'string' && v.length <= max ? v : false;

/** Validates one upstream item; returns the item or what is wrong with it. */
function parseItem(raw: unknown, index: number): UpstreamContent | string {
  if (!isObject(raw)) return `item ${index} is not an object`;
  const id = raw.external_id ?? raw.id;
  const externalId =
    typeof id === 'string' && id.trim() && id.length <= 200
      ? id.trim()
      : typeof id === 'number' && Number.isSafeInteger(id)
        ? String(id)
        : null;
  if (externalId === null) return `item ${index} has no usable id (a string of 1–200 characters or an integer)`;
  if (typeof raw.title !== 'string' || raw.title.trim() === '' || raw.title.length > 300)
    return `item ${index} (${externalId}): title must be a string of 1–300 characters`;
  if (
    raw.slug !== undefined &&
    raw.slug !== null &&
    (typeof raw.slug !== 'string' || !SLUG_PATTERN.test(raw.slug) || raw.slug.length > 200)
  ) {
    return `item ${index} (${externalId}): slug must be lower-case words joined by hyphens`;
  }
  const body = optionalString(raw.body, MAX_BODY_CHARS);
  if (body === false) return `item ${index} (${externalId}): body must be a string of at most ${MAX_BODY_CHARS} characters`;
  const format = raw.format ?? 'markdown';
  if (!BODY_FORMATS.includes(format as BodyFormat)) return `item ${index} (${externalId}): format must be markdown or html`;
  const meta = optionalString(raw.meta_description, 500);
  if (meta === false) return `item ${index} (${externalId}): meta_description must be a string of at most 500 characters`;
  const keywords = raw.keywords ?? [];
  if (!Array.isArray(keywords) || keywords.length > 20 || !keywords.every((k) => typeof k === 'string' && k.length <= 100)) {
    return `item ${index} (${externalId}): keywords must be at most 20 strings of at most 100 characters`;
  }
  const status = raw.status ?? 'draft';
  if (!CONTENT_STATUSES.includes(status as ContentStatus)) return `item ${index} (${externalId}): status must be draft or published`;
  const publishedAt = raw.published_at ?? null;
  if (publishedAt !== null && (typeof publishedAt !== 'string' || Number.isNaN(Date.parse(publishedAt)))) {
    return `item ${index} (${externalId}): published_at must be an ISO 8601 date-time`;
  }
  const author = optionalString(raw.author, 200);
  if (author === false) return `item ${index} (${externalId}): author must be a string of at most 200 characters`;
  return {
    externalId,
    title: raw.title.trim(),
    slug: typeof raw.slug === 'string' ? raw.slug : slugify(raw.title),
    body: body ?? '',
    format: format as BodyFormat,
    metaDescription: meta,
    keywords: keywords as string[],
    status: status as ContentStatus,
    publishedAt: publishedAt === null ? null : new Date(publishedAt).toISOString(),
    author,
  };
}

/**
 * Validates the whole payload before anything is written: a JSON array of items (or an object with
 * items/records/data), each with an id and a title, ids and slugs unique within the payload.
 */
export function parseContentPayload(body: string): ContentPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, problems: [`the body is not JSON (starts with ${JSON.stringify(body.slice(0, 40))})`] };
  }
  const key = isObject(parsed) ? ['items', 'records', 'data'].find((k) => Array.isArray(parsed[k])) : undefined;
  const list: unknown = key && isObject(parsed) ? parsed[key] : parsed;
  if (!Array.isArray(list))
    return { ok: false, problems: ['expected a JSON array of content items or an object with items, records or data'] };
  if (list.length > MAX_SYNC_ITEMS) return { ok: false, problems: [`${list.length} items exceed the limit of ${MAX_SYNC_ITEMS} per sync`] };
  const problems: string[] = [];
  const items: UpstreamContent[] = [];
  const ids = new Set<string>();
  const slugs = new Set<string>();
  list.forEach((raw, index) => {
    const item = parseItem(raw, index);
    if (typeof item === 'string') return problems.push(item);
    if (ids.has(item.externalId)) return problems.push(`item ${index}: id "${item.externalId}" appears twice`);
    if (slugs.has(item.slug)) return problems.push(`item ${index} (${item.externalId}): slug "${item.slug}" appears twice`);
    ids.add(item.externalId);
    slugs.add(item.slug);
    items.push(item);
  });
  return problems.length ? { ok: false, problems: problems.slice(0, MAX_PROBLEMS) } : { ok: true, items };
}
