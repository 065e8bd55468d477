import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConflictProblem, ProblemException } from '../../../common/problem.js';
import type { Env } from '../../../config/env-parsers.js';
import type { RecordImporter } from '../../../delegation/domain-supervisor.js';
import type { TaskRunContext } from '../../../tasks/task-type.js';
import { authHeaders } from './auth-header.js';
import { findConnection } from '../task-types/connections.js';
import type { SyncParams } from '../dto/integrations.params.js';
import type { IntegrationConnectionEntity } from '../entities/integration-connection.entity.js';
import { type ErrorClass, SyncRunEntity, type SyncRunStatus } from '../entities/sync-run.entity.js';
import { parseSyncPayload, type StagedRecord } from './sync-payload.js';
import { fetchWithRetry, UpstreamError } from './upstream-fetch.js';
import { logFor } from '../../../common/request-context.js';

export interface SyncSettings {
  allowPrivate: boolean;
  retryBackoffMs: number;
  defaultMaxRetries: number;
  env: Env;
  /** The importer a target domain declares in the registry (the sync never names another domain's table). */
  importerOf: (domain: string) => RecordImporter | undefined;
}

export interface SyncResult {
  sync_run_id: string;
  connection_id: string;
  connection: string;
  target_domain: string;
  status: 'succeeded';
  url: string;
  http_status: number;
  attempts: number;
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duration_ms: number;
  staged_in: 'integration_records';
  /** The domain table the records were also upserted into (e.g. customers for target_domain crm), or null. */
  imported_into: string | null;
}

/** What to do about a failed sync, by error class (the parameters were fine: the upstream or the setup was not). */
const SYNC_GUIDANCE: Record<ErrorClass, string> = {
  timeout: 'The upstream was too slow: raise timeout_ms on the connection or sync a smaller path, then run integrations_sync again.',
  network: 'The upstream could not be reached: check base_url, DNS and firewalls, then run integrations_sync again.',
  rate_limited:
    'The upstream rate-limits this connection: wait, then sync less often (integrations_sync_optimization suggests an interval).',
  http_4xx:
    'The upstream refused the request: check the auth variable named by auth_header_ref, base_url and path; retrying unchanged will not help.',
  http_5xx: 'The upstream failed: run integrations_sync again later; integrations_error_analysis shows whether it keeps failing.',
  http_other: 'The upstream answered an unexpected status (e.g. a redirect): point base_url at the final address.',
  malformed: 'The upstream payload failed validation (JSON records with an id): fix the upstream or the path, then sync again.',
  config: 'Fix the connection (auth_header_ref variable, base_url, path) with integrations_update_connection, then sync again.',
  cancelled: 'The sync was cancelled; run integrations_sync again.',
};

/** A sync that failed upstream or on its payload; the failed run is recorded and nothing was imported. */
export class SyncFailedProblem extends ProblemException {
  constructor(detail: string, syncRunId: string, errorClass: ErrorClass) {
    super(502, 'upstream-sync-failed', 'Bad Gateway', detail, {
      sync_run_id: syncRunId,
      error_class: errorClass,
      guidance: SYNC_GUIDANCE[errorClass],
    });
  }
}

/** base_url + path, refusing a path that would change the host. */
export function syncUrl(baseUrl: string, path: string | undefined): string {
  if (!path) return baseUrl;
  const joined = `${baseUrl.replace(/\/+$/, '')}${path}`;
  if (new URL(joined).host !== new URL(baseUrl).host)
    throw new UpstreamError('config', `path ${path} changes the host of ${baseUrl}`, null, 0);
  return joined;
}

/**
 * Imports the records into integration_records (the staging table of this module) in one statement:
 * insert new ids, update changed ones, leave identical ones alone. Counts come from RETURNING: a row with
 * xmax = 0 was inserted, another returned row was updated, the rest were unchanged.
 */
async function upsertRecords(
  manager: EntityManager,
  connection: IntegrationConnectionEntity,
  runId: string,
  records: StagedRecord[],
): Promise<{ inserted: number; updated: number }> {
  if (records.length === 0) return { inserted: 0, updated: 0 };
  const rows: { inserted: boolean }[] = await manager.query(
    `INSERT INTO integration_records (tenant_id, connection_id, target_domain, external_id, data, sync_run_id)
     SELECT $1, $2, $3, r.external_id, r.data, $4
       FROM jsonb_to_recordset($5::jsonb) AS r(external_id text, data jsonb)
     ON CONFLICT (tenant_id, connection_id, external_id) DO UPDATE
        SET data = EXCLUDED.data, target_domain = EXCLUDED.target_domain, sync_run_id = EXCLUDED.sync_run_id, updated_at = now()
      WHERE integration_records.data IS DISTINCT FROM EXCLUDED.data
     RETURNING (xmax = 0) AS inserted`,
    [
      connection.tenantId,
      connection.id,
      connection.targetDomain,
      runId,
      JSON.stringify(records.map((r) => ({ external_id: r.externalId, data: r.data }))),
    ],
  );
  const inserted = rows.filter((row) => row.inserted).length;
  return { inserted, updated: rows.length - inserted };
}

/**
 * Upserts the staged records into the target domain's table (same transaction) with the importer that domain
 * declares in the registry; answers the table, or null when the domain takes no imports.
 */
async function importIntoDomain(
  manager: EntityManager,
  importer: RecordImporter | undefined,
  tenantId: string,
  records: StagedRecord[],
): Promise<string | null> {
  if (!importer || records.length === 0) return null;
  await importer.upsert(manager, tenantId, records);
  return importer.table;
}

/** Runs integrations_sync: fetch (guarded, retried), validate the whole payload, import in one transaction, record the run. */
export class IntegrationSync {
  private readonly logger = new Logger(IntegrationSync.name);

  constructor(private readonly settings: SyncSettings) {}

  async run(context: TaskRunContext, params: SyncParams): Promise<SyncResult> {
    const connection = await findConnection(context.manager, context.tenantId, params.connection_id);
    if (!connection.enabled) {
      throw new ConflictProblem(
        `Connection "${connection.name}" is disabled; enable it (integrations_update_connection enabled: true) to sync.`,
      );
    }
    const runId = randomUUID();
    const startedAt = new Date();
    let url = connection.baseUrl;
    try {
      url = syncUrl(connection.baseUrl, params.path);
      const auth = authHeaders(context.tenantId, connection.authHeaderRef, connection.authHeaderName, this.settings.env);
      if (!auth.ok) throw new UpstreamError('config', auth.reason, null, 0);
      const { attempts, ...response } = await fetchWithRetry(url, {
        headers: auth.headers,
        timeoutMs: params.timeout_ms ?? connection.timeoutMs,
        retries: params.max_retries ?? this.settings.defaultMaxRetries,
        backoffMs: this.settings.retryBackoffMs,
        allowPrivate: this.settings.allowPrivate,
        signal: context.signal,
      });
      const payload = parseSyncPayload(response.body);
      if (!payload.ok)
        throw new UpstreamError(
          'malformed',
          `${new URL(url).host} answered a malformed payload: ${payload.reason}`,
          response.status,
          attempts,
        );
      const records = payload.records;
      // The run row first (the records reference it), then the records and the domain table, in one transaction: all or nothing.
      const importer = this.settings.importerOf(connection.targetDomain);
      let importedInto: string | null = null;
      const counts = await context.write(async (m) => {
        await m.insert(
          SyncRunEntity,
          this.runRow(connection, context.taskId, runId, url, startedAt, 'succeeded', { attempts, httpStatus: response.status }),
        );
        const { inserted, updated } = await upsertRecords(m, connection, runId, records);
        importedInto = await importIntoDomain(m, importer, connection.tenantId, records);
        const finishedAt = new Date();
        const unchanged = records.length - inserted - updated;
        await m.update(
          SyncRunEntity,
          { id: runId },
          { finishedAt, durationMs: finishedAt.getTime() - startedAt.getTime(), records: records.length, inserted, updated, unchanged },
        );
        return { inserted, updated, unchanged, durationMs: finishedAt.getTime() - startedAt.getTime() };
      });
      return {
        sync_run_id: runId,
        connection_id: connection.id,
        connection: connection.name,
        target_domain: connection.targetDomain,
        status: 'succeeded',
        url,
        http_status: response.status,
        attempts,
        records: records.length,
        inserted: counts.inserted,
        updated: counts.updated,
        unchanged: counts.unchanged,
        duration_ms: counts.durationMs,
        staged_in: 'integration_records',
        imported_into: importedInto,
      };
    } catch (error) {
      await this.recordFailure(context, connection, runId, url, startedAt, error);
      if (error instanceof UpstreamError && !context.signal.aborted) {
        const tries = error.attempts > 1 ? ` (${error.attempts} attempts)` : '';
        throw new SyncFailedProblem(
          `Sync of connection "${connection.name}" failed [${error.errorClass}]${tries}: ${error.message}. Nothing was imported; the failed run is recorded as sync run ${runId}.`,
          runId,
          error.errorClass,
        );
      }
      throw error;
    }
  }

  private runRow(
    connection: IntegrationConnectionEntity,
    taskId: string,
    id: string,
    url: string,
    startedAt: Date,
    status: SyncRunStatus,
    extra: Partial<SyncRunEntity>,
  ): Partial<SyncRunEntity> {
    const finishedAt = new Date();
    return {
      id,
      tenantId: connection.tenantId,
      connectionId: connection.id,
      taskId,
      url: url.slice(0, 2100),
      startedAt,
      finishedAt,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      status,
      attempts: 1,
      ...extra,
    };
  }

  /** Records a failed or cancelled run (outside the rolled-back transaction); a failure to record is logged, not thrown. */
  private async recordFailure(
    context: TaskRunContext,
    connection: IntegrationConnectionEntity,
    runId: string,
    url: string,
    startedAt: Date,
    error: unknown,
  ): Promise<void> {
    const cancelled = context.signal.aborted;
    const upstream = error instanceof UpstreamError ? error : undefined;
    const row = this.runRow(connection, context.taskId, runId, url, startedAt, cancelled ? 'cancelled' : 'failed', {
      attempts: upstream ? upstream.attempts : 1,
      httpStatus: upstream?.httpStatus ?? null,
      errorClass: cancelled ? 'cancelled' : (upstream?.errorClass ?? null),
      error: (cancelled ? 'the task was cancelled or timed out' : error instanceof Error ? error.message : String(error)).slice(0, 2000),
    });
    await context.manager.insert(SyncRunEntity, row).catch((failure: unknown) => {
      logFor(context.requestId, () =>
        this.logger.error(`Could not record failed sync run ${runId}: ${failure instanceof Error ? failure.message : String(failure)}`),
      );
    });
  }
}
