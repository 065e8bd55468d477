import type { JsonSchema } from '../../delegation/task-type.js';

const nullable = (type: string): { type: string[] } => ({ type: [type, 'null'] });

const ITEM_PROPERTIES = {
  content_id: { type: 'string', format: 'uuid' },
  title: { type: 'string' },
  slug: { type: 'string' },
  format: { enum: ['markdown', 'html'] },
  meta_description: nullable('string'),
  keywords: { type: 'array', items: { type: 'string' } },
  status: { enum: ['draft', 'published'] },
  published_at: { type: ['string', 'null'], format: 'date-time' },
  author: nullable('string'),
  external_id: nullable('string'),
  created_at: { type: 'string', format: 'date-time' },
  updated_at: { type: 'string', format: 'date-time' },
};

const RANGE = { type: 'object', properties: { min: { type: 'number' }, max: { type: 'number' } } };

export const CONTENT_ITEM_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['content_id', 'title', 'slug', 'body', 'status'],
  properties: { ...ITEM_PROPERTIES, body: { type: 'string' } },
};

export const PUBLISH_SCHEMA: JsonSchema = {
  ...CONTENT_ITEM_SCHEMA,
  required: ['content_id', 'status', 'changed'],
  properties: { ...(CONTENT_ITEM_SCHEMA.properties as object), changed: { type: 'boolean' } },
};

export const CONTENT_LIST_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['count', 'items'],
  properties: { count: { type: 'integer' }, items: { type: 'array', items: { type: 'object', properties: ITEM_PROPERTIES } } },
};

export const CONTENT_DELETED_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['deleted', 'content_id'],
  properties: { deleted: { const: true }, content_id: { type: 'string', format: 'uuid' } },
};

export const CONTENT_SYNC_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['items', 'inserted', 'updated', 'unchanged'],
  properties: {
    source_url: { type: 'string' },
    http_status: { type: 'integer' },
    items: { type: 'integer' },
    inserted: { type: 'integer' },
    updated: { type: 'integer' },
    unchanged: { type: 'integer' },
    duration_ms: { type: 'integer' },
  },
};

export const SEO_AUDIT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['status', 'score', 'metrics', 'findings'],
  properties: {
    status: { enum: ['ok', 'not_enough_data'] },
    message: nullable('string'),
    source: { enum: ['stored', 'posted'] },
    content: {
      type: 'object',
      properties: {
        content_id: { type: 'string', format: 'uuid' },
        title: { type: 'string' },
        slug: { type: 'string' },
        status: { type: 'string' },
      },
      description: 'The audited item (content_id, title, slug, status), or the posted title.',
    },
    score: { type: ['integer', 'null'], minimum: 0, maximum: 100 },
    grade: { enum: ['good', 'needs_work', 'poor', null] },
    metrics: {
      type: 'object',
      properties: {
        title_length: { type: 'integer' },
        meta_description_length: { type: 'integer' },
        words: { type: 'integer' },
        sentences: { type: 'integer' },
        syllables: { type: 'integer' },
        flesch_reading_ease: nullable('number'),
        readability: nullable('string'),
        headings: { type: 'array', items: { type: 'object', properties: { level: { type: 'integer' }, text: { type: 'string' } } } },
        h1_count: { type: 'integer' },
        skipped_levels: {
          type: 'array',
          items: {
            type: 'object',
            required: ['from', 'to', 'heading'],
            properties: { from: { type: 'integer' }, to: { type: 'integer' }, heading: { type: 'string' } },
          },
          description: 'Headings that skip a level (e.g. H2 → H4).',
        },
        links: { type: 'object', properties: { internal: { type: 'integer' }, external: { type: 'integer' }, other: { type: 'integer' } } },
        keywords: {
          type: 'array',
          items: {
            type: 'object',
            properties: { keyword: { type: 'string' }, occurrences: { type: 'integer' }, density_percent: { type: 'number' } },
          },
        },
      },
    },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['check', 'severity', 'message', 'fix'],
        properties: {
          check: { type: 'string' },
          severity: { enum: ['high', 'medium', 'low'] },
          message: { type: 'string' },
          fix: { type: 'string' },
          penalty: { type: 'integer' },
        },
      },
    },
    rules: {
      type: 'object',
      description: 'The thresholds the audit applied.',
      properties: {
        title_length: RANGE,
        meta_description_length: RANGE,
        keyword_density_percent: RANGE,
        flesch: { type: 'object', properties: { difficult_below: { type: 'number' }, very_difficult_below: { type: 'number' } } },
        min_words: { type: 'integer' },
        penalties: { type: 'object', properties: { high: { type: 'number' }, medium: { type: 'number' }, low: { type: 'number' } } },
      },
    },
  },
};

export const OUTLINE_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['kind', 'label', 'title_options', 'structure', 'target_length'],
  properties: {
    kind: { const: 'outline' },
    label: { type: 'string' },
    topic: { type: 'string' },
    audience: nullable('string'),
    content_type: { type: 'string' },
    primary_keyword: { type: 'string' },
    secondary_keywords: { type: 'array', items: { type: 'string' } },
    title_options: {
      type: 'array',
      items: {
        type: 'object',
        properties: { title: { type: 'string' }, length: { type: 'integer' }, within_ideal_length: { type: 'boolean' } },
      },
    },
    meta_description_template: { type: 'object', properties: { template: { type: 'string' }, guidance: { type: 'string' } } },
    target_length: { type: 'object', properties: { words: { type: 'integer' }, reading_time_minutes: { type: 'integer' } } },
    structure: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          level: { const: 2 },
          heading: { type: 'string' },
          target_words: { type: 'integer' },
          subsections: {
            type: 'array',
            items: { type: 'object', required: ['level', 'heading'], properties: { level: { const: 3 }, heading: { type: 'string' } } },
          },
        },
      },
    },
    checklist: { type: 'array', items: { type: 'string' } },
  },
};
