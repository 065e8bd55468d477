import { jsonValue } from '../../delegation/result-schema.js';
import type { JsonSchema } from '../../delegation/task-type.js';

const nullable = (type: string): { type: string[] } => ({ type: [type, 'null'] });

export const INSIGHTS_RESULT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['metrics', 'summary'],
  properties: {
    metrics: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          metric: { type: 'string' },
          status: { enum: ['ok', 'not_enough_data'] },
          points: { type: 'integer' },
          mean: nullable('number'),
          median: nullable('number'),
          mad: nullable('number'),
          trend: {
            type: ['object', 'null'],
            required: ['slope', 'intercept', 'r2', 'relative_change', 'direction'],
            properties: {
              slope: { type: 'number' },
              intercept: { type: 'number' },
              r2: { type: 'number' },
              relative_change: nullable('number'),
              direction: { enum: ['up', 'down', 'flat'] },
            },
            description: 'Least-squares trend; null with too few points.',
          },
          anomalies: {
            type: 'array',
            items: {
              type: 'object',
              required: ['index', 'value', 'robust_z'],
              properties: { index: { type: 'integer' }, value: { type: 'number' }, robust_z: { type: 'number' } },
            },
          },
        },
      },
    },
    summary: {
      type: 'object',
      properties: {
        analysed: { type: 'integer' },
        not_enough_data: { type: 'integer' },
        anomalies: { type: 'integer' },
        z_threshold: { type: 'number' },
      },
    },
  },
};

const TABLE_KPI = {
  type: 'object',
  properties: {
    available: { type: 'boolean' },
    total: { type: 'integer' },
    created_in_window: nullable('integer'),
    by_status: { type: ['object', 'null'], additionalProperties: { type: 'integer' }, description: 'Rows per status.' },
    reason: { type: 'string' },
  },
};

export const KPI_SNAPSHOT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['status', 'window_days', 'tasks', 'domains', 'not_available'],
  properties: {
    status: { enum: ['ok', 'not_enough_data'] },
    message: nullable('string'),
    window_days: { type: 'integer' },
    since: { type: 'string', format: 'date-time' },
    tasks: {
      type: 'object',
      properties: {
        total: { type: 'integer' },
        completed: { type: 'integer' },
        failed: { type: 'integer' },
        timed_out: { type: 'integer' },
        cancelled: { type: 'integer' },
        in_progress: { type: 'integer' },
        success_rate: nullable('number'),
        cost_usd: { type: 'number' },
        avg_duration_ms: nullable('number'),
        llm_calls: { type: 'integer' },
        tokens: { type: 'integer' },
        by_domain: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            properties: { total: { type: 'integer' }, completed: { type: 'integer' } },
          },
          description: 'Tasks per domain.',
        },
      },
    },
    domains: { type: 'object', additionalProperties: { type: 'object', additionalProperties: TABLE_KPI } },
    not_available: { type: 'array', items: { type: 'string' } },
  },
};

export const ACTIVITY_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['status', 'days', 'series', 'insights'],
  properties: {
    status: { enum: ['ok', 'not_enough_data'] },
    message: nullable('string'),
    window_days: { type: 'integer' },
    days: { type: 'array', items: { type: 'string', format: 'date' } },
    series: {
      type: 'object',
      properties: {
        tasks_per_day: { type: 'array', items: { type: 'integer' } },
        failed_per_day: { type: 'array', items: { type: 'integer' } },
        cost_usd_per_day: { type: 'array', items: { type: 'number' } },
      },
    },
    insights: INSIGHTS_RESULT_SCHEMA,
  },
};

export const REPORT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['report_type', 'status', 'kpis', 'insights', 'highlights'],
  properties: {
    report_type: { const: 'business_report' },
    status: { enum: ['ok', 'not_enough_data'] },
    message: nullable('string'),
    window_days: nullable('integer'),
    kpis: { anyOf: [KPI_SNAPSHOT_SCHEMA, { type: 'null' }] },
    insights: { anyOf: [INSIGHTS_RESULT_SCHEMA, { type: 'null' }] },
    highlights: { type: 'array', items: { type: 'string' } },
    domains: {
      type: 'object',
      description: "Crew only: the other domains' parts, each that type's result (its result_schema in the catalogue) or null.",
      properties: {
        integrations: {
          anyOf: [{ type: 'object', additionalProperties: jsonValue() }, { type: 'null' }],
          description: 'integrations_sync_optimization result.',
        },
        crm: {
          anyOf: [{ type: 'object', additionalProperties: jsonValue() }, { type: 'null' }],
          description: 'crm_customer_segmentation result.',
        },
      },
    },
    parts: { type: 'array', items: { type: 'string' }, description: 'Crew only: the parts that ran.' },
  },
};
