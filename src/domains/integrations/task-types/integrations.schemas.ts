/**
 * Result schemas of the integrations task types, each held by the compiler to the type its handler returns
 * (describes<T>()).
 */
import {
  anyOf,
  array,
  bool,
  constant,
  describes,
  id,
  int,
  jsonValue,
  nullable,
  nullValue,
  num,
  object,
  oneOfValues,
  partial,
  record,
  str,
  type TypedSchema,
} from '../../../tasks/result-schema.js';
import type { ErrorAnalysis } from '../algorithms/error-analysis.js';
import type { SyncOptimization } from '../algorithms/sync-optimization.js';
import type { Latency } from '../algorithms/sync-stats.js';
import type { ConnectionDeleted, ConnectionList, ConnectionView, ConnectionWithLastRun, SyncRunView } from './connections.js';
import { ERROR_CLASSES, type ErrorClass, SYNC_RUN_STATUSES } from '../entities/sync-run.entity.js';
import type { SyncResult } from '../sync/integration-sync.js';

const LATENCY = describes<Latency>()(partial({ p50: nullable(num()), p95: nullable(num()) }));
const ERROR_CLASS_COUNTS = partial(Object.fromEntries(ERROR_CLASSES.map((c) => [c, int()])) as Record<ErrorClass, TypedSchema<number>>);

const CONNECTION_FIELDS = {
  connection_id: str({ format: 'uuid' }),
  name: str(),
  base_url: str(),
  auth_header_ref: nullable(str()),
  auth_header_name: str(),
  schedule: nullable(str()),
  target_domain: str(),
  timeout_ms: int(),
  enabled: bool(),
  created_at: str({ format: 'date-time' }),
  updated_at: str({ format: 'date-time' }),
};
const CONNECTION_OPTIONAL = ['auth_header_ref', 'auth_header_name', 'schedule', 'timeout_ms', 'created_at', 'updated_at'] as const;

export const CONNECTION_SCHEMA = describes<ConnectionView>()(object(CONNECTION_FIELDS, { optional: CONNECTION_OPTIONAL }));

export const SYNC_RUN_SCHEMA = describes<SyncRunView>()(
  partial({
    sync_run_id: str({ format: 'uuid' }),
    connection_id: str({ format: 'uuid' }),
    task_id: nullable(str({ format: 'uuid' })),
    url: str(),
    status: oneOfValues(SYNC_RUN_STATUSES),
    started_at: str({ format: 'date-time' }),
    finished_at: str({ format: 'date-time' }),
    duration_ms: int(),
    attempts: int(),
    http_status: nullable(int()),
    records: int(),
    inserted: int(),
    updated: int(),
    unchanged: int(),
    error_class: nullable(oneOfValues(ERROR_CLASSES)),
    error: nullable(str()),
  }),
);

export const CONNECTION_WITH_LAST_RUN_SCHEMA = describes<ConnectionWithLastRun>()(
  object(
    {
      ...CONNECTION_FIELDS,
      last_run: { ...anyOf(SYNC_RUN_SCHEMA, nullValue()), description: 'The latest sync run, null before the first.' },
    },
    { optional: [...CONNECTION_OPTIONAL, 'last_run'] },
  ),
);

export const CONNECTION_LIST_SCHEMA = describes<ConnectionList>()(object({ count: int(), connections: array(CONNECTION_SCHEMA) }));

export interface SyncRunList {
  count: number;
  sync_runs: SyncRunView[];
}

export const SYNC_RUN_LIST_SCHEMA = describes<SyncRunList>()(object({ count: int(), sync_runs: array(SYNC_RUN_SCHEMA) }));

/** A record a connection staged in integration_records. */
export interface StagedRecord {
  external_id: string;
  target_domain: string;
  data: Record<string, unknown>;
  sync_run_id: string | null;
  updated_at: string;
}

export interface RecordList {
  count: number;
  records: StagedRecord[];
}

export const RECORD_LIST_SCHEMA = describes<RecordList>()(
  object({
    count: int(),
    records: array(
      partial({
        external_id: str(),
        target_domain: str(),
        data: record(jsonValue(), { description: 'The record as the upstream sent it.' }),
        sync_run_id: nullable(str()),
        updated_at: str({ format: 'date-time' }),
      }),
    ),
  }),
);

export const DELETED_SCHEMA = describes<ConnectionDeleted>()(object({ deleted: constant(true), connection_id: str({ format: 'uuid' }) }));

export const SYNC_RESULT_SCHEMA = describes<SyncResult>()(
  object(
    {
      sync_run_id: str({ format: 'uuid' }),
      connection_id: str({ format: 'uuid' }),
      connection: str(),
      target_domain: str(),
      status: constant('succeeded'),
      url: str(),
      http_status: int(),
      attempts: int(),
      records: int(),
      inserted: int(),
      updated: int(),
      unchanged: int(),
      duration_ms: int(),
      staged_in: constant('integration_records'),
      imported_into: nullable(str()),
    },
    {
      optional: [
        'connection_id',
        'connection',
        'target_domain',
        'url',
        'http_status',
        'attempts',
        'duration_ms',
        'staged_in',
        'imported_into',
      ],
    },
  ),
);

const ADVICE_FIELDS = { kind: str(), retryable: nullable(bool()), message: str() };

export const ERROR_ANALYSIS_SCHEMA = describes<ErrorAnalysis>()(
  object(
    {
      status: oneOfValues(['ok', 'not_enough_data'] as const),
      message: nullable(str()),
      window_days: int(),
      overall: partial({
        runs: int(),
        failed: int(),
        cancelled: int(),
        failure_rate: nullable(num()),
        latency_ms: LATENCY,
        error_classes: ERROR_CLASS_COUNTS,
      }),
      connections: array(
        partial({
          connection_id: str(),
          name: str(),
          runs: int(),
          failed: int(),
          failure_rate: nullable(num()),
          severity: oneOfValues(['none', 'low', 'medium', 'high'] as const),
          latency_ms: LATENCY,
          error_classes: ERROR_CLASS_COUNTS,
          last_status: str(),
          last_error_class: nullable(oneOfValues(ERROR_CLASSES)),
          failure_cluster: {
            ...nullable(object({ hour_utc: int(), failures: int(), runs: int(), failure_rate: num(), failure_rate_other_hours: num() })),
            description: 'The UTC hour whose runs fail clearly more than the others; null when none.',
          },
          advice: array(partial(ADVICE_FIELDS)),
        }),
      ),
      advice: array(partial({ ...ADVICE_FIELDS, connection: str() })),
    },
    { optional: ['message', 'window_days'] },
  ),
);

const RECOMMENDATION_FIELDS = {
  kind: str(),
  message: str(),
  suggested: nullable(id()),
};

export const SYNC_OPTIMIZATION_SCHEMA = describes<SyncOptimization>()(
  object(
    {
      status: oneOfValues(['ok', 'not_enough_data'] as const),
      message: nullable(str()),
      window_days: int(),
      connections: array(
        partial({
          connection_id: str(),
          name: str(),
          schedule: nullable(str()),
          interval_seconds: nullable(int()),
          timeout_ms: int(),
          runs: int(),
          succeeded: int(),
          failure_rate: nullable(num()),
          latency_ms: LATENCY,
          success_latency_ms: LATENCY,
          records_per_run: object({ avg: nullable(num()), max: nullable(num()) }),
          change_ratio: nullable(num()),
          no_change_share: nullable(num()),
          recommendations: array(partial(RECOMMENDATION_FIELDS)),
        }),
      ),
      without_runs: array(str()),
      recommendations: array(partial({ ...RECOMMENDATION_FIELDS, connection: str() })),
    },
    { optional: ['message', 'window_days', 'without_runs'] },
  ),
);
