import type { EntityManager } from 'typeorm';
import { TaskHistory } from '../../../tasks/task-history.js';
import { isMissingRelation } from '../../shared/db-errors.js';

export type TableKpi =
  | { available: true; total: number; created_in_window: number | null; by_status: Record<string, number> | null }
  | { available: false; reason: string };

export interface TaskKpis {
  total: number;
  completed: number;
  failed: number;
  timed_out: number;
  cancelled: number;
  in_progress: number;
  /** completed / (completed + failed + timed_out); cancelled tasks count neither way. */
  success_rate: number | null;
  cost_usd: number;
  avg_duration_ms: number | null;
  llm_calls: number;
  tokens: number;
  by_domain: Record<string, { total: number; completed: number }>;
}

export interface KpiSnapshot {
  status: 'ok' | 'not_enough_data';
  message: string | null;
  window_days: number;
  since: string;
  tasks: TaskKpis;
  domains: Record<string, Record<string, TableKpi>>;
  not_available: string[];
}

const round = (value: number, digits = 4): number => Math.round(value * 10 ** digits) / 10 ** digits;
const MAX_STATUSES = 20;

/** The tenant's task KPIs since `since`, leaving out the task asking. */
export async function taskKpis(manager: EntityManager, tenantId: string, selfTaskId: string, since: Date): Promise<TaskKpis> {
  // Task counts come from the task core, on the task's own manager.
  const { totals: row, domains } = await new TaskHistory(manager).counts(tenantId, selfTaskId, since);
  const decided = row.completed + row.failed + row.timed_out;
  return {
    ...row,
    cost_usd: round(row.cost_usd, 6),
    avg_duration_ms: row.avg_duration_ms === null ? null : round(row.avg_duration_ms, 1),
    success_rate: decided ? round(row.completed / decided) : null,
    by_domain: Object.fromEntries(domains.map((d) => [d.domain, { total: d.total, completed: d.completed }])),
  };
}

/**
 * Per table: tenant-scoped row count, rows created in the window (when it has created_at) and counts by
 * status (when it has a status column). Names come from the domains' declarations, never from input.
 */
export async function tableKpis(
  manager: EntityManager,
  tenantId: string,
  tables: readonly string[],
  since: Date,
): Promise<Record<string, TableKpi>> {
  const columns = new Map<string, Set<string>>();
  const rows = await manager.query<{ table_name: string; column_name: string }[]>(
    `SELECT table_name::text AS table_name, column_name::text AS column_name
       FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1::text[])`,
    [tables],
  );
  for (const row of rows) columns.set(row.table_name, (columns.get(row.table_name) ?? new Set()).add(row.column_name));
  const result: Record<string, TableKpi> = {};
  for (const table of tables) {
    const cols = columns.get(table);
    if (!cols) {
      result[table] = { available: false, reason: 'the table does not exist' };
      continue;
    }
    if (!cols.has('tenant_id')) {
      result[table] = { available: false, reason: 'the table has no tenant_id column, so it cannot be read per tenant' };
      continue;
    }
    try {
      const windowed = cols.has('created_at') ? `, count(*) FILTER (WHERE created_at >= $2)::int AS created_in_window` : '';
      const [counts] = await manager.query<{ total: number; created_in_window?: number }[]>(
        `SELECT count(*)::int AS total${windowed} FROM "${table}" WHERE tenant_id = $1`,
        windowed ? [tenantId, since] : [tenantId],
      );
      let byStatus: Record<string, number> | null = null;
      if (cols.has('status')) {
        const statuses = await manager.query<{ status: string | null; n: number }[]>(
          `SELECT status::text AS status, count(*)::int AS n FROM "${table}" WHERE tenant_id = $1 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${MAX_STATUSES}`,
          [tenantId],
        );
        byStatus = Object.fromEntries(statuses.map((s) => [s.status ?? 'null', s.n]));
      }
      result[table] = { available: true, total: counts.total, created_in_window: counts.created_in_window ?? null, by_status: byStatus };
    } catch (error) {
      // Dropped or altered between the catalogue read and the count: not available, not an error.
      if (!isMissingRelation(error)) throw error;
      result[table] = { available: false, reason: 'the table does not exist' };
    }
  }
  return result;
}

/**
 * The domain tables the snapshot counts, by domain, as each domain's supervisor declares them in the registry.
 * The analytics module never imports another domain: it reads these tables with SQL, tenant-scoped, and a
 * table that does not exist (or has no tenant_id column) is reported as not available.
 */
export type DomainTables = Record<string, readonly string[]>;

/** KPIs across the domains from the database, for one tenant. */
export async function kpiSnapshot(
  manager: EntityManager,
  tenantId: string,
  selfTaskId: string,
  days: number,
  domainTables: DomainTables,
): Promise<KpiSnapshot> {
  const since = new Date(Date.now() - days * 86_400_000);
  const tasks = await taskKpis(manager, tenantId, selfTaskId, since);
  const all = Object.values(domainTables).flat();
  const kpis = await tableKpis(manager, tenantId, all, since);
  const domains: KpiSnapshot['domains'] = {};
  const notAvailable: string[] = [];
  for (const [domain, tables] of Object.entries(domainTables)) {
    domains[domain] = Object.fromEntries(tables.map((t) => [t, kpis[t]]));
    for (const t of tables) if (!kpis[t].available) notAvailable.push(`${domain}.${t}`);
  }
  const records = Object.values(kpis).reduce((sum, k) => sum + (k.available ? k.total : 0), 0);
  const empty = tasks.total === 0 && records === 0;
  return {
    status: empty ? 'not_enough_data' : 'ok',
    message: empty
      ? `Not enough data: tenant ${tenantId} has no tasks in the last ${days} days and no records in the domain tables. Run some tasks or import data first.`
      : null,
    window_days: days,
    since: since.toISOString(),
    tasks,
    domains,
    not_available: notAvailable,
  };
}
