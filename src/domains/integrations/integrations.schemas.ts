import { jsonValue } from '../../delegation/result-schema.js';
import type { JsonSchema } from '../../delegation/task-type.js';
import { ERROR_CLASSES } from './entities/sync-run.entity.js';

const nullable = (type: string): { type: string[] } => ({ type: [type, 'null'] });
const LATENCY = { type: 'object', properties: { p50: nullable('number'), p95: nullable('number') } };
const ERROR_CLASS_COUNTS = { type: 'object', properties: Object.fromEntries(ERROR_CLASSES.map((c) => [c, { type: 'integer' }])) };

export const CONNECTION_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['connection_id', 'name', 'base_url', 'target_domain', 'enabled'],
  properties: {
    connection_id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    base_url: { type: 'string' },
    auth_header_ref: nullable('string'),
    auth_header_name: { type: 'string' },
    schedule: nullable('string'),
    target_domain: { type: 'string' },
    timeout_ms: { type: 'integer' },
    enabled: { type: 'boolean' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

export const SYNC_RUN_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    sync_run_id: { type: 'string', format: 'uuid' },
    connection_id: { type: 'string', format: 'uuid' },
    status: { enum: ['succeeded', 'failed', 'cancelled'] },
    started_at: { type: 'string', format: 'date-time' },
    finished_at: { type: 'string', format: 'date-time' },
    duration_ms: { type: 'integer' },
    attempts: { type: 'integer' },
    http_status: nullable('integer'),
    records: { type: 'integer' },
    inserted: { type: 'integer' },
    updated: { type: 'integer' },
    unchanged: { type: 'integer' },
    error_class: { enum: [...ERROR_CLASSES, null] },
    error: nullable('string'),
  },
};

export const CONNECTION_LIST_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['count', 'connections'],
  properties: { count: { type: 'integer' }, connections: { type: 'array', items: CONNECTION_SCHEMA } },
};

export const SYNC_RUN_LIST_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['count', 'sync_runs'],
  properties: { count: { type: 'integer' }, sync_runs: { type: 'array', items: SYNC_RUN_SCHEMA } },
};

export const RECORD_LIST_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['count', 'records'],
  properties: {
    count: { type: 'integer' },
    records: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          external_id: { type: 'string' },
          target_domain: { type: 'string' },
          data: { type: 'object', additionalProperties: jsonValue(), description: 'The record as the upstream sent it.' },
          sync_run_id: nullable('string'),
        },
      },
    },
  },
};

export const DELETED_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['deleted', 'connection_id'],
  properties: { deleted: { const: true }, connection_id: { type: 'string', format: 'uuid' } },
};

export const SYNC_RESULT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['sync_run_id', 'status', 'records', 'inserted', 'updated', 'unchanged'],
  properties: {
    sync_run_id: { type: 'string', format: 'uuid' },
    connection_id: { type: 'string', format: 'uuid' },
    connection: { type: 'string' },
    target_domain: { type: 'string' },
    status: { const: 'succeeded' },
    url: { type: 'string' },
    http_status: { type: 'integer' },
    attempts: { type: 'integer' },
    records: { type: 'integer' },
    inserted: { type: 'integer' },
    updated: { type: 'integer' },
    unchanged: { type: 'integer' },
    duration_ms: { type: 'integer' },
    staged_in: { const: 'integration_records' },
    imported_into: { type: ['string', 'null'] },
  },
};

const ADVICE = {
  type: 'object',
  properties: { kind: { type: 'string' }, retryable: nullable('boolean'), message: { type: 'string' } },
};

export const ERROR_ANALYSIS_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['status', 'overall', 'connections', 'advice'],
  properties: {
    status: { enum: ['ok', 'not_enough_data'] },
    message: nullable('string'),
    window_days: { type: 'integer' },
    overall: {
      type: 'object',
      properties: {
        runs: { type: 'integer' },
        failed: { type: 'integer' },
        cancelled: { type: 'integer' },
        failure_rate: nullable('number'),
        latency_ms: LATENCY,
        error_classes: ERROR_CLASS_COUNTS,
      },
    },
    connections: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          connection_id: { type: 'string' },
          name: { type: 'string' },
          runs: { type: 'integer' },
          failed: { type: 'integer' },
          failure_rate: nullable('number'),
          severity: { enum: ['none', 'low', 'medium', 'high'] },
          latency_ms: LATENCY,
          error_classes: ERROR_CLASS_COUNTS,
          failure_cluster: {
            type: ['object', 'null'],
            required: ['hour_utc', 'failures', 'runs', 'failure_rate', 'failure_rate_other_hours'],
            properties: {
              hour_utc: { type: 'integer' },
              failures: { type: 'integer' },
              runs: { type: 'integer' },
              failure_rate: { type: 'number' },
              failure_rate_other_hours: { type: 'number' },
            },
            description: 'The UTC hour whose runs fail clearly more than the others; null when none.',
          },
          advice: { type: 'array', items: ADVICE },
        },
      },
    },
    advice: { type: 'array', items: ADVICE },
  },
};

const RECOMMENDATION = {
  type: 'object',
  properties: { kind: { type: 'string' }, message: { type: 'string' }, suggested: { type: ['number', 'string', 'null'] } },
};

export const SYNC_OPTIMIZATION_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['status', 'connections', 'recommendations'],
  properties: {
    status: { enum: ['ok', 'not_enough_data'] },
    message: nullable('string'),
    window_days: { type: 'integer' },
    connections: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          connection_id: { type: 'string' },
          name: { type: 'string' },
          interval_seconds: nullable('integer'),
          timeout_ms: { type: 'integer' },
          runs: { type: 'integer' },
          succeeded: { type: 'integer' },
          failure_rate: nullable('number'),
          latency_ms: LATENCY,
          success_latency_ms: LATENCY,
          records_per_run: { type: 'object', required: ['avg', 'max'], properties: { avg: nullable('number'), max: nullable('number') } },
          change_ratio: nullable('number'),
          no_change_share: nullable('number'),
          recommendations: { type: 'array', items: RECOMMENDATION },
        },
      },
    },
    without_runs: { type: 'array', items: { type: 'string' } },
    recommendations: { type: 'array', items: RECOMMENDATION },
  },
};
