import type { FieldError } from '../../../common/problem.js';
import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
import { directDb } from '../../shared/task-kit.js';
import {
  type ConnectionDeleted,
  type ConnectionList,
  type ConnectionView,
  type ConnectionWithLastRun,
  createConnection,
  deleteConnection,
  getConnection,
  listConnections,
  toSyncRunView,
  updateConnection,
} from './connections.js';
import {
  ConnectionIdParams,
  CreateConnectionParams,
  ListConnectionsParams,
  ListRecordsParams,
  ListSyncRunsParams,
  UpdateConnectionParams,
} from '../dto/integrations.params.js';
import { findConnection } from './connections.js';
import { IntegrationRecordEntity } from '../entities/integration-record.entity.js';
import { SyncRunEntity, type SyncRunStatus } from '../entities/sync-run.entity.js';
import {
  CONNECTION_LIST_SCHEMA,
  CONNECTION_SCHEMA,
  CONNECTION_WITH_LAST_RUN_SCHEMA,
  DELETED_SCHEMA,
  RECORD_LIST_SCHEMA,
  type RecordList,
  SYNC_RUN_LIST_SCHEMA,
  type SyncRunList,
} from './integrations.schemas.js';
import { parseSchedule } from '../algorithms/schedule.js';

/** Why a base URL may not be called (the outbound guard's reason), or null. */
export type UrlGuard = (url: string) => string | null;

const crud = directDb('integrations');

function connectionChecks(guard: UrlGuard, p: { base_url?: string; schedule?: string | null }): FieldError[] {
  const errors: FieldError[] = [];
  if (p.base_url !== undefined) {
    const refused = guard(p.base_url);
    if (refused) errors.push({ field: 'base_url', message: refused });
  }
  if (p.schedule !== undefined && p.schedule !== null) {
    const parsed = parseSchedule(p.schedule);
    if (!parsed.ok) errors.push({ field: 'schedule', message: parsed.reason });
  }
  return errors;
}

/** CRUD over the tenant's connections, and read access to its sync runs and staged records (direct_db). */
export function connectionTaskTypes(guard: UrlGuard): TaskTypeDefinition[] {
  const create: TaskTypeDefinition<CreateConnectionParams, ConnectionView> = {
    ...crud,
    type: 'integrations_create_connection',
    effect: 'create',
    description:
      'Creates an integration connection (name, base_url, auth_header_ref = NAME of an env var INTEGRATION_<TENANT>__<NAME> holding the auth header value, schedule, target_domain).',
    parameters: CreateConnectionParams,
    resultSchema: CONNECTION_SCHEMA,
    check: (p) => connectionChecks(guard, p),
    run: async (context, p) => ({ aiMode: 'deterministic', result: await context.write((m) => createConnection(m, context.tenantId, p)) }),
  };
  const update: TaskTypeDefinition<UpdateConnectionParams, ConnectionView> = {
    ...crud,
    type: 'integrations_update_connection',
    effect: 'update',
    description: 'Updates fields of an integration connection (base_url is checked by the outbound guard again).',
    parameters: UpdateConnectionParams,
    resultSchema: CONNECTION_SCHEMA,
    check: (p) => {
      const errors = connectionChecks(guard, p);
      const fields = Object.keys(p).filter(
        (key) => key !== 'connection_id' && (p as unknown as Record<string, unknown>)[key] !== undefined,
      );
      return fields.length === 0 ? [...errors, { field: '', message: 'give at least one field to change besides connection_id' }] : errors;
    },
    run: async (context, p) => ({ aiMode: 'deterministic', result: await context.write((m) => updateConnection(m, context.tenantId, p)) }),
  };
  const get: TaskTypeDefinition<ConnectionIdParams, ConnectionWithLastRun> = {
    ...crud,
    type: 'integrations_get_connection',
    description: 'Reads one integration connection with its most recent sync run.',
    parameters: ConnectionIdParams,
    resultSchema: CONNECTION_WITH_LAST_RUN_SCHEMA,
    run: async (context, p) => ({
      aiMode: 'deterministic',
      result: await getConnection(context.manager, context.tenantId, p.connection_id),
    }),
  };
  const list: TaskTypeDefinition<ListConnectionsParams, ConnectionList> = {
    ...crud,
    type: 'integrations_list_connections',
    description: "Lists the tenant's integration connections (newest first), optionally by target_domain or enabled.",
    parameters: ListConnectionsParams,
    resultSchema: CONNECTION_LIST_SCHEMA,
    run: async (context, p) => ({ aiMode: 'deterministic', result: await listConnections(context.manager, context.tenantId, p) }),
  };
  const remove: TaskTypeDefinition<ConnectionIdParams, ConnectionDeleted> = {
    ...crud,
    type: 'integrations_delete_connection',
    effect: 'delete',
    description: 'Deletes an integration connection with its sync runs and staged records.',
    parameters: ConnectionIdParams,
    resultSchema: DELETED_SCHEMA,
    run: async (context, p) => ({
      aiMode: 'deterministic',
      result: await context.write((m) => deleteConnection(m, context.tenantId, p.connection_id)),
    }),
  };
  const runs: TaskTypeDefinition<ListSyncRunsParams, SyncRunList> = {
    ...crud,
    type: 'integrations_list_sync_runs',
    description: "Lists the tenant's sync runs (newest first), optionally for one connection or status.",
    parameters: ListSyncRunsParams,
    resultSchema: SYNC_RUN_LIST_SCHEMA,
    run: async (context, p) => {
      if (p.connection_id) await findConnection(context.manager, context.tenantId, p.connection_id);
      const rows = await context.manager.find(SyncRunEntity, {
        where: {
          tenantId: context.tenantId,
          ...(p.connection_id ? { connectionId: p.connection_id } : {}),
          ...(p.status ? { status: p.status as SyncRunStatus } : {}),
        },
        order: { startedAt: 'DESC' },
        take: p.limit ?? 20,
      });
      return { aiMode: 'deterministic', result: { count: rows.length, sync_runs: rows.map(toSyncRunView) } };
    },
  };
  const records: TaskTypeDefinition<ListRecordsParams, RecordList> = {
    ...crud,
    type: 'integrations_list_records',
    description: 'Lists the records a connection imported into the integration_records staging table (by external id).',
    parameters: ListRecordsParams,
    resultSchema: RECORD_LIST_SCHEMA,
    run: async (context, p) => {
      await findConnection(context.manager, context.tenantId, p.connection_id);
      const rows = await context.manager.find(IntegrationRecordEntity, {
        where: { tenantId: context.tenantId, connectionId: p.connection_id },
        order: { externalId: 'ASC' },
        take: p.limit ?? 100,
      });
      return {
        aiMode: 'deterministic',
        result: {
          count: rows.length,
          records: rows.map((r) => ({
            external_id: r.externalId,
            target_domain: r.targetDomain,
            data: r.data,
            sync_run_id: r.syncRunId,
            updated_at: r.updatedAt.toISOString(),
          })),
        },
      };
    },
  };
  return [create, update, get, list, remove, runs, records] as unknown as TaskTypeDefinition[];
}
