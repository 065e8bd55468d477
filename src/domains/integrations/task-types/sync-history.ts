import { MoreThanOrEqual, type EntityManager } from 'typeorm';
import type { ConnectionInfo, RunSample } from '../algorithms/sync-stats.js';
import { findConnection } from './connections.js';
import { IntegrationConnectionEntity } from '../entities/integration-connection.entity.js';
import { SyncRunEntity } from '../entities/sync-run.entity.js';

export interface SyncHistory {
  runs: RunSample[];
  connections: ConnectionInfo[];
  windowDays: number;
}

/** At most this many runs feed one analysis (the most recent ones). */
const MAX_RUNS = 20_000;

/** The tenant's sync runs of the last `days` days (one connection's when given) and the connections they belong to. */
export async function loadSyncHistory(manager: EntityManager, tenantId: string, days: number, connectionId?: string): Promise<SyncHistory> {
  const connections = connectionId
    ? [await findConnection(manager, tenantId, connectionId)]
    : await manager.find(IntegrationConnectionEntity, { where: { tenantId }, order: { name: 'ASC' } });
  const since = new Date(Date.now() - days * 86_400_000);
  const runs = await manager.find(SyncRunEntity, {
    where: { tenantId, startedAt: MoreThanOrEqual(since), ...(connectionId ? { connectionId } : {}) },
    order: { startedAt: 'DESC' },
    take: MAX_RUNS,
  });
  return {
    windowDays: days,
    connections: connections.map((c) => ({ id: c.id, name: c.name, schedule: c.schedule, timeoutMs: c.timeoutMs })),
    runs: runs.map((r) => ({
      connectionId: r.connectionId,
      startedAt: r.startedAt,
      status: r.status,
      durationMs: r.durationMs,
      httpStatus: r.httpStatus,
      errorClass: r.errorClass,
      attempts: r.attempts,
      records: r.records,
      inserted: r.inserted,
      updated: r.updated,
    })),
  };
}
