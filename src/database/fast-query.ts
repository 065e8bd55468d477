import type pg from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * A parameterised query straight on the pg pool — for the hot paths (direct tasks, worker bookkeeping) where
 * TypeORM's query-runner layer costs more CPU than the round trip. Inside a transaction (a manager with its own
 * query runner) it goes through that runner, as every query in a transaction must. Always answers the rows.
 */
export async function fastQuery<T = Record<string, unknown>>(manager: EntityManager, sql: string, values: unknown[]): Promise<T[]> {
  const pool = (manager.connection.driver as unknown as { master?: pg.Pool }).master;
  if (manager.queryRunner || !pool) {
    const result = (await manager.query(sql, values)) as unknown;
    // TypeORM answers UPDATE/DELETE as [rows, count].
    if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
    return result as T[];
  }
  const result = await pool.query(sql, values);
  return result.rows as T[];
}
