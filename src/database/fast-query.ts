import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/** Statements beyond this many distinct texts run unnamed (a bound on what each connection keeps prepared). */
const MAX_PREPARED = 200;
const statementNames = new Map<string, string>();
/** Data sources configured with DATABASE_PREPARED_STATEMENTS=false. */
const unprepared = new WeakSet<DataSource>();

/** This data source's hot-path statements run unnamed (e.g. behind PgBouncer in transaction mode before 1.21). */
export function withoutPreparedStatements(dataSource: DataSource): void {
  unprepared.add(dataSource);
}

export function preparesStatements(dataSource: DataSource): boolean {
  return !unprepared.has(dataSource);
}

/**
 * The prepared-statement name of a hot-path SQL text: derived from the text itself, so one name always means
 * one text — in every connection and every process (the embedded server's single session shares them).
 */
export function preparedName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_PREPARED) {
    name = `crew_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

export interface FastQueryOptions {
  /**
   * Plan this statement for its own values on every call (it runs unnamed): for statements whose best plan
   * depends on the values, such as a tenant's newest tasks with a LIMIT — a prepared statement's generic
   * plan, chosen once per connection from the statistics of that moment, can pick an index that reads the
   * tenant's whole history and sorts it (seen under load: millions of rows read per second).
   */
  planPerCall?: boolean;
}

/**
 * A parameterised query straight on the pg pool — for the hot paths (direct tasks, worker bookkeeping) where
 * TypeORM's query-runner layer costs more CPU than the round trip. Each text is a named prepared statement,
 * so the database parses and plans it once per connection instead of on every call (about half of its cost
 * for these small statements). Inside a transaction (a manager with its own query runner) it goes through
 * that runner, as every query in a transaction must. Always answers the rows.
 */
export async function fastQuery<T = Record<string, unknown>>(
  manager: EntityManager,
  sql: string,
  values: unknown[],
  options: FastQueryOptions = {},
): Promise<T[]> {
  const pool = (manager.connection.driver as unknown as { master?: pg.Pool }).master;
  if (manager.queryRunner || !pool) {
    const result = (await manager.query(sql, values)) as unknown;
    // TypeORM answers UPDATE/DELETE as [rows, count].
    if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
    return result as T[];
  }
  const name = !options.planPerCall && preparesStatements(manager.connection) ? preparedName(sql) : undefined;
  const result = await pool.query({ name, text: sql, values });
  return result.rows as T[];
}
