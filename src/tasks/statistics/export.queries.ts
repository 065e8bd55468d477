import type { Queryable } from './task-stats.queries.js';

/** One task as the execution export lists it (raw columns; the monitoring export maps them to its DTO). */
export interface ExportRow {
  id: string;
  workflow_id: string;
  tenant_id: string;
  type: string;
  domain: string | null;
  strategy: string | null;
  complexity: string | null;
  status: string;
  ai_mode: string | null;
  priority: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  queue_wait_ms: number | null;
  attempts: number;
  llm_calls: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cost_usd: number;
  cache_hit: boolean;
}

/** The tasks created in the last `hours`, oldest first, at most `limit` (every tenant: an operator's export). */
export function taskExecutions(run: Queryable, hours: number, limit: number): Promise<ExportRow[]> {
  return run.query<ExportRow[]>(
    `SELECT id, workflow_id, tenant_id, type, domain, strategy, complexity, status, ai_mode, priority,
            created_at, started_at, finished_at, duration_ms, queue_wait_ms, attempts, llm_calls,
            input_tokens, output_tokens, cached_tokens, cost_usd::float8 AS cost_usd, cache_hit
     FROM tasks WHERE created_at >= now() - $1::float8 * interval '1 hour'
     ORDER BY created_at, id LIMIT $2`,
    [hours, limit],
  );
}
