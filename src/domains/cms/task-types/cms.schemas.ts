/**
 * Result schemas of the CMS task types, each held by the compiler to the type its handler returns (describes<T>()).
 */
import { array, bool, constant, describes, int, nullable, num, object, oneOfValues, partial, str } from '../../../tasks/result-schema.js';
import type { ContentOutline } from '../algorithms/content-outline.js';
import type { ContentItemView } from './content-items.js';
import type { ContentSyncResult } from '../sync/content-sync.js';
import type { AuditResult } from '../algorithms/seo-audit.js';

const ITEM_PROPERTIES = {
  content_id: str({ format: 'uuid' }),
  title: str(),
  slug: str(),
  format: oneOfValues(['markdown', 'html'] as const),
  meta_description: nullable(str()),
  keywords: array(str()),
  status: oneOfValues(['draft', 'published'] as const),
  published_at: nullable(str({ format: 'date-time' })),
  author: nullable(str()),
  external_id: nullable(str()),
  created_at: str({ format: 'date-time' }),
  updated_at: str({ format: 'date-time' }),
};

const ITEM_OPTIONAL = [
  'format',
  'meta_description',
  'keywords',
  'published_at',
  'author',
  'external_id',
  'created_at',
  'updated_at',
] as const;

const RANGE = partial({ min: num(), max: num() });

export const CONTENT_ITEM_SCHEMA = describes<ContentItemView>()(object({ ...ITEM_PROPERTIES, body: str() }, { optional: ITEM_OPTIONAL }));

/** A content item after cms_publish_content / cms_unpublish_content: whether the call changed it. */
export type PublishResult = ContentItemView & { changed: boolean };

export const PUBLISH_SCHEMA = describes<PublishResult>()(
  object({ ...ITEM_PROPERTIES, body: str(), changed: bool() }, { optional: [...ITEM_OPTIONAL, 'title', 'slug', 'body'] }),
);

/** cms_list_content: the items without their bodies. */
export interface ContentList {
  count: number;
  items: Omit<ContentItemView, 'body'>[];
}

export const CONTENT_LIST_SCHEMA = describes<ContentList>()(object({ count: int(), items: array(partial(ITEM_PROPERTIES)) }));

export interface ContentDeleted {
  deleted: true;
  content_id: string;
}

export const CONTENT_DELETED_SCHEMA = describes<ContentDeleted>()(object({ deleted: constant(true), content_id: str({ format: 'uuid' }) }));

export const CONTENT_SYNC_SCHEMA = describes<ContentSyncResult>()(
  object(
    { source_url: str(), http_status: int(), items: int(), inserted: int(), updated: int(), unchanged: int(), duration_ms: int() },
    { optional: ['source_url', 'http_status', 'duration_ms'] },
  ),
);

/** cms_content_optimization: the audit of a stored item or of a posted one. */
export type ContentAudit = AuditResult & {
  source: 'stored' | 'posted';
  content: { content_id: string; title: string; slug: string; status: string } | { title: string };
};

export const SEO_AUDIT_SCHEMA = describes<ContentAudit>()(
  object(
    {
      status: oneOfValues(['ok', 'not_enough_data'] as const),
      message: nullable(str()),
      source: oneOfValues(['stored', 'posted'] as const),
      content: partial(
        { content_id: str({ format: 'uuid' }), title: str(), slug: str(), status: str() },
        { description: 'The audited item (content_id, title, slug, status), or the posted title.' },
      ),
      score: nullable(int({ minimum: 0, maximum: 100 })),
      grade: nullable(oneOfValues(['good', 'needs_work', 'poor'] as const)),
      metrics: partial({
        title_length: int(),
        meta_description_length: int(),
        words: int(),
        sentences: int(),
        syllables: int(),
        avg_words_per_sentence: nullable(num()),
        avg_syllables_per_word: nullable(num()),
        flesch_reading_ease: nullable(num()),
        readability: nullable(str()),
        headings: array(partial({ level: int(), text: str() })),
        h1_count: int(),
        skipped_levels: array(object({ from: int(), to: int(), heading: str() }), {
          description: 'Headings that skip a level (e.g. H2 → H4).',
        }),
        links: partial({ internal: int(), external: int(), other: int(), total: int() }),
        keywords: array(
          partial({
            keyword: str(),
            occurrences: int(),
            density_percent: num(),
            in_title: bool(),
            in_meta_description: bool(),
            in_headings: bool(),
          }),
        ),
      }),
      findings: array(
        object(
          { check: str(), severity: oneOfValues(['high', 'medium', 'low'] as const), message: str(), fix: str(), penalty: int() },
          { optional: ['penalty'] },
        ),
      ),
      rules: partial(
        {
          title_length: RANGE,
          meta_description_length: RANGE,
          keyword_density_percent: RANGE,
          flesch: partial({ difficult_below: num(), very_difficult_below: num() }),
          min_words: int(),
          penalties: partial({ high: num(), medium: num(), low: num() }),
        },
        { description: 'The thresholds the audit applied.' },
      ),
    },
    { optional: ['message', 'source', 'content', 'grade', 'rules'] },
  ),
);

export const OUTLINE_SCHEMA = describes<ContentOutline>()(
  object(
    {
      kind: constant('outline'),
      label: str(),
      topic: str(),
      audience: nullable(str()),
      tone: nullable(str()),
      content_type: str(),
      primary_keyword: str(),
      secondary_keywords: array(str()),
      title_options: array(partial({ title: str(), length: int(), within_ideal_length: bool() })),
      meta_description_template: partial({ template: str(), guidance: str() }),
      target_length: partial({ words: int(), reading_time_minutes: int() }),
      structure: array(
        partial({
          level: constant(2),
          heading: str(),
          target_words: int(),
          subsections: array(object({ level: constant(3), heading: str() })),
        }),
      ),
      checklist: array(str()),
    },
    {
      optional: [
        'topic',
        'audience',
        'tone',
        'content_type',
        'primary_keyword',
        'secondary_keywords',
        'meta_description_template',
        'checklist',
      ],
    },
  ),
);
