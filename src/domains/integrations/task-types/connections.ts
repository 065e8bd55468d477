import type { EntityManager } from 'typeorm';
import { ConflictProblem, NotFoundProblem, ValidationProblem } from '../../../common/problem.js';
import { onUniqueViolation } from '../../shared/db-errors.js';
import { authRefProblem } from '../sync/auth-header.js';
import type { CreateConnectionParams, ListConnectionsParams, UpdateConnectionParams } from '../dto/integrations.params.js';
import { IntegrationConnectionEntity, type TargetDomain } from '../entities/integration-connection.entity.js';
import { parseSchedule } from '../algorithms/schedule.js';
import { type ErrorClass, SyncRunEntity, type SyncRunStatus } from '../entities/sync-run.entity.js';

export interface ConnectionView {
  connection_id: string;
  name: string;
  base_url: string;
  auth_header_ref: string | null;
  auth_header_name: string;
  schedule: string | null;
  target_domain: string;
  timeout_ms: number;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

export function toConnectionView(c: IntegrationConnectionEntity): ConnectionView {
  return {
    connection_id: c.id,
    name: c.name,
    base_url: c.baseUrl,
    auth_header_ref: c.authHeaderRef,
    auth_header_name: c.authHeaderName,
    schedule: c.schedule,
    target_domain: c.targetDomain,
    timeout_ms: c.timeoutMs,
    enabled: c.enabled,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

export interface SyncRunView {
  sync_run_id: string;
  connection_id: string;
  task_id: string | null;
  url: string;
  status: SyncRunStatus;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  attempts: number;
  http_status: number | null;
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  error_class: ErrorClass | null;
  error: string | null;
}

export function toSyncRunView(run: SyncRunEntity): SyncRunView {
  return {
    sync_run_id: run.id,
    connection_id: run.connectionId,
    task_id: run.taskId,
    url: run.url,
    status: run.status,
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt.toISOString(),
    duration_ms: run.durationMs,
    attempts: run.attempts,
    http_status: run.httpStatus,
    records: run.records,
    inserted: run.inserted,
    updated: run.updated,
    unchanged: run.unchanged,
    error_class: run.errorClass,
    error: run.error,
  };
}

/** The tenant's connection, or a 404 problem (another tenant's connection does not exist for this one). */
export async function findConnection(manager: EntityManager, tenantId: string, id: string): Promise<IntegrationConnectionEntity> {
  const connection = await manager.findOneBy(IntegrationConnectionEntity, { tenantId, id });
  if (!connection) throw new NotFoundProblem(`No integration connection ${id} for tenant ${tenantId}.`);
  return connection;
}

/** The schedule, normalised, or undefined for "no change"; null clears it. */
function normalisedSchedule(schedule: string | null | undefined): string | null | undefined {
  if (schedule === undefined || schedule === null) return schedule;
  const parsed = parseSchedule(schedule);
  return parsed.ok ? parsed.schedule.expression : schedule;
}

function checkRef(tenantId: string, ref: string | null | undefined): void {
  const problem = ref ? authRefProblem(tenantId, ref) : null;
  if (problem) throw new ValidationProblem([{ field: 'parameters.auth_header_ref', message: problem }]);
}

function nameTaken(tenantId: string, name: string): ConflictProblem {
  return new ConflictProblem(`Tenant ${tenantId} already has a connection named "${name}".`);
}

async function assertNameFree(manager: EntityManager, tenantId: string, name: string, exceptId?: string): Promise<void> {
  const existing = await manager.findOneBy(IntegrationConnectionEntity, { tenantId, name });
  if (existing && existing.id !== exceptId) throw nameTaken(tenantId, name);
}

export async function createConnection(manager: EntityManager, tenantId: string, p: CreateConnectionParams): Promise<ConnectionView> {
  checkRef(tenantId, p.auth_header_ref);
  await assertNameFree(manager, tenantId, p.name);
  const saved = await manager
    .save(
      manager.create(IntegrationConnectionEntity, {
        tenantId,
        name: p.name,
        baseUrl: p.base_url,
        authHeaderRef: p.auth_header_ref ?? null,
        authHeaderName: p.auth_header_name ?? 'Authorization',
        schedule: normalisedSchedule(p.schedule) ?? null,
        targetDomain: p.target_domain as TargetDomain,
        timeoutMs: p.timeout_ms ?? 10_000,
        enabled: p.enabled ?? true,
      }),
    )
    // A unique violation here means two requests raced for the same name.
    .catch(onUniqueViolation(() => nameTaken(tenantId, p.name)));
  return toConnectionView(await findConnection(manager, tenantId, saved.id));
}

export async function updateConnection(manager: EntityManager, tenantId: string, p: UpdateConnectionParams): Promise<ConnectionView> {
  const connection = await findConnection(manager, tenantId, p.connection_id);
  checkRef(tenantId, p.auth_header_ref);
  if (p.name !== undefined) await assertNameFree(manager, tenantId, p.name, connection.id);
  const patch: Partial<IntegrationConnectionEntity> = {
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.base_url !== undefined ? { baseUrl: p.base_url } : {}),
    ...(p.auth_header_ref !== undefined ? { authHeaderRef: p.auth_header_ref } : {}),
    ...(p.auth_header_name !== undefined ? { authHeaderName: p.auth_header_name } : {}),
    ...(p.schedule !== undefined ? { schedule: normalisedSchedule(p.schedule) } : {}),
    ...(p.target_domain !== undefined ? { targetDomain: p.target_domain as TargetDomain } : {}),
    ...(p.timeout_ms !== undefined ? { timeoutMs: p.timeout_ms } : {}),
    ...(p.enabled !== undefined ? { enabled: p.enabled } : {}),
  };
  await manager
    .update(IntegrationConnectionEntity, { tenantId, id: connection.id }, { ...patch, updatedAt: () => 'now()' })
    .catch(onUniqueViolation(() => nameTaken(tenantId, p.name ?? connection.name)));
  return toConnectionView(await findConnection(manager, tenantId, connection.id));
}

export interface ConnectionDeleted {
  deleted: true;
  connection_id: string;
}

export async function deleteConnection(manager: EntityManager, tenantId: string, id: string): Promise<ConnectionDeleted> {
  const connection = await findConnection(manager, tenantId, id);
  // sync_runs and integration_records go with it (ON DELETE CASCADE).
  await manager.delete(IntegrationConnectionEntity, { tenantId, id: connection.id });
  return { deleted: true, connection_id: connection.id };
}

export interface ConnectionList {
  count: number;
  connections: ConnectionView[];
}

export async function listConnections(manager: EntityManager, tenantId: string, p: ListConnectionsParams): Promise<ConnectionList> {
  const rows = await manager.find(IntegrationConnectionEntity, {
    where: {
      tenantId,
      ...(p.target_domain !== undefined ? { targetDomain: p.target_domain as TargetDomain } : {}),
      ...(p.enabled !== undefined ? { enabled: p.enabled } : {}),
    },
    order: { createdAt: 'DESC', id: 'DESC' },
    take: p.limit ?? 50,
  });
  return { count: rows.length, connections: rows.map(toConnectionView) };
}

/** A connection with its most recent run (null before the first). */
export type ConnectionWithLastRun = ConnectionView & { last_run: SyncRunView | null };

/** A connection with its most recent run. */
export async function getConnection(manager: EntityManager, tenantId: string, id: string): Promise<ConnectionWithLastRun> {
  const connection = await findConnection(manager, tenantId, id);
  const last = await manager.findOne(SyncRunEntity, { where: { tenantId, connectionId: id }, order: { startedAt: 'DESC' } });
  return { ...toConnectionView(connection), last_run: last ? toSyncRunView(last) : null };
}
