import type { Queryable } from '../../src/tasks/statistics/task-stats.queries.js';

/** A task row as the monitoring tests need it; times are relative to the database's now(). */
export interface TaskRow {
  tenantId?: string;
  type?: string;
  domain?: string | null;
  strategy?: string | null;
  complexity?: string | null;
  status?: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'timed_out';
  /** Seconds before now() the task was created. */
  ageS?: number;
  durationMs?: number | null;
  /** Set: the task went through the queue and waited this long. */
  queueWaitMs?: number | null;
  /** Went through the queue (enqueued_at set) even without a queue wait yet (pending). */
  queued?: boolean;
  costUsd?: number;
  inputTokens?: number;
  outputTokens?: number;
  cachedTokens?: number;
  llmCalls?: number;
  agentsUsed?: string[];
  parameters?: Record<string, unknown>;
  cacheHit?: boolean;
  decision?: Record<string, unknown> | null;
}

export interface StepRow {
  taskId: string;
  agentId?: string | null;
  status?: 'running' | 'completed' | 'failed' | 'degraded' | 'cancelled' | 'abandoned';
  kind?: 'llm' | 'tool' | 'delegate' | 'direct' | 'wait';
  ageS?: number;
  durationMs?: number | null;
  error?: string | null;
  costUsd?: number;
}

const FINAL = new Set(['completed', 'failed', 'cancelled', 'timed_out']);

/** Inserts task rows directly (bypassing execution) so reports can be checked against known values; answers their ids. */
export async function insertTasks(db: Queryable, rows: TaskRow[]): Promise<string[]> {
  const ids: string[] = [];
  for (const row of rows) {
    const status = row.status ?? 'completed';
    const queued = row.queued === true || (row.queueWaitMs !== undefined && row.queueWaitMs !== null);
    const started = status !== 'pending';
    const durationMs = row.durationMs === undefined ? (FINAL.has(status) ? 1000 : null) : row.durationMs;
    const result = await db.query<{ id: string }[]>(
      `INSERT INTO tasks (
         tenant_id, type, domain, description, strategy, complexity, status, timeout_s, created_at, enqueued_at,
         started_at, finished_at, duration_ms, queue_wait_ms, cost_usd, input_tokens, output_tokens, cached_tokens,
         llm_calls, agents_used, parameters, cache_hit, decision, attempts
       ) VALUES (
         $1, $2, $3, 'monitoring test row', $4, $5, $6, 300,
         now() - $7::float8 * interval '1 second',
         CASE WHEN $8 THEN now() - $7::float8 * interval '1 second' END,
         CASE WHEN $9 THEN now() - $7::float8 * interval '1 second' + COALESCE($11::int, 0) * interval '1 millisecond' END,
         CASE WHEN $10 THEN now() - $7::float8 * interval '1 second' + (COALESCE($11::int, 0) + COALESCE($12::int, 0)) * interval '1 millisecond' END,
         $12, $11, $13, $14, $15, $16, $17, $18::jsonb, $19::jsonb, $20, $21::jsonb, $22
       ) RETURNING id`,
      [
        row.tenantId ?? 'acme',
        row.type ?? 'monitoring_probe',
        row.domain ?? null,
        row.strategy === undefined ? 'single_agent' : row.strategy,
        row.complexity ?? 'moderate',
        status,
        row.ageS ?? 60,
        queued,
        started,
        FINAL.has(status),
        row.queueWaitMs ?? null,
        durationMs,
        row.costUsd ?? 0,
        row.inputTokens ?? 0,
        row.outputTokens ?? 0,
        row.cachedTokens ?? 0,
        row.llmCalls ?? 0,
        JSON.stringify(row.agentsUsed ?? []),
        JSON.stringify(row.parameters ?? {}),
        row.cacheHit ?? false,
        row.decision === undefined ? null : JSON.stringify(row.decision),
        started ? 1 : 0,
      ],
    );
    ids.push(result[0].id);
  }
  return ids;
}

export async function insertSteps(db: Queryable, rows: StepRow[]): Promise<void> {
  for (const row of rows) {
    await db.query(
      `INSERT INTO task_steps (task_id, tenant_id, agent_id, kind, name, status, started_at, duration_ms, error, cost_usd)
       SELECT $1, tenant_id, $2, $3, 'test step', $4, now() - $5::float8 * interval '1 second', $6, $7, $8 FROM tasks WHERE id = $1`,
      [
        row.taskId,
        row.agentId === undefined ? 'crm_lead_specialist' : row.agentId,
        row.kind ?? 'llm',
        row.status ?? 'completed',
        row.ageS ?? 60,
        row.durationMs === undefined ? 500 : row.durationMs,
        row.error ?? null,
        row.costUsd ?? 0,
      ],
    );
  }
}

/** Empties what the monitoring reports read, between tests of one file. */
export async function clearMonitoringTables(db: Queryable): Promise<void> {
  await db.query('DELETE FROM task_steps');
  await db.query('DELETE FROM tasks');
  await db.query('DELETE FROM alerts');
  await db.query('DELETE FROM routing_overrides');
  await db.query('DELETE FROM monitoring_settings');
}
