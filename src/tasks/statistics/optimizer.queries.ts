import type { Strategy } from '../task.types.js';
import type { Queryable } from './task-stats.queries.js';

/** Completed AI-strategy tasks of one type and strategy: how fast, how many agents they really used. */
export interface StrategyUsageRow {
  type: string;
  strategy: Strategy;
  completed: number;
  p50Ms: number | null;
  avgCostUsd: number;
  /** Tasks that involved at most one agent. */
  singleAgentTasks: number;
}

/** AI tasks of one type: how many had an input (tenant + parameters) already seen in the window. */
export interface RepeatRow {
  type: string;
  tasks: number;
  distinctInputs: number;
  cacheHits: number;
  costUsd: number;
}

export interface AgentFailureRow {
  agentId: string;
  steps: number;
  failed: number;
  commonError: string | null;
}

const AI_STRATEGIES = `('single_agent', 'multi_agent', 'crew_workflow')`;
const IN_WINDOW = `created_at >= now() - $1::float8 * interval '1 second'`;

/**
 * Completed AI tasks per type and strategy; a task "used one agent" when both the agents it reported and
 * the distinct agents in its trace are at most one.
 */
export async function strategyUsage(db: Queryable, windowS: number): Promise<StrategyUsageRow[]> {
  const rows = await db.query<
    { type: string; strategy: Strategy; completed: number; p50_ms: number | null; avg_cost_usd: number; single_agent_tasks: number }[]
  >(
    `SELECT t.type, t.strategy, count(*)::int AS completed,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY t.duration_ms) AS p50_ms,
            COALESCE(avg(t.cost_usd), 0)::float8 AS avg_cost_usd,
            count(*) FILTER (
              WHERE jsonb_array_length(t.agents_used) <= 1
                AND (SELECT count(DISTINCT s.agent_id) FROM task_steps s WHERE s.task_id = t.id AND s.agent_id IS NOT NULL) <= 1
            )::int AS single_agent_tasks
     FROM tasks t
     WHERE t.${IN_WINDOW} AND t.status = 'completed' AND t.strategy IN ${AI_STRATEGIES}
     GROUP BY t.type, t.strategy ORDER BY t.type, t.strategy`,
    [windowS],
  );
  return rows.map((row) => ({
    type: row.type,
    strategy: row.strategy,
    completed: row.completed,
    p50Ms: row.p50_ms,
    avgCostUsd: row.avg_cost_usd,
    singleAgentTasks: row.single_agent_tasks,
  }));
}

/** AI tasks per type with the number of distinct inputs (tenant + canonical jsonb parameters): the cache is tenant-scoped. */
export async function repeatedInputs(db: Queryable, windowS: number): Promise<RepeatRow[]> {
  const rows = await db.query<{ type: string; tasks: number; distinct_inputs: number; cache_hits: number; cost_usd: number }[]>(
    `SELECT type, count(*)::int AS tasks,
            count(DISTINCT tenant_id || ':' || md5(parameters::jsonb::text))::int AS distinct_inputs,
            count(*) FILTER (WHERE cache_hit)::int AS cache_hits,
            COALESCE(sum(cost_usd), 0)::float8 AS cost_usd
     FROM tasks
     WHERE ${IN_WINDOW} AND strategy IN ${AI_STRATEGIES} AND status IN ('completed', 'failed', 'timed_out')
     GROUP BY type ORDER BY type`,
    [windowS],
  );
  return rows.map((row) => ({
    type: row.type,
    tasks: row.tasks,
    distinctInputs: row.distinct_inputs,
    cacheHits: row.cache_hits,
    costUsd: row.cost_usd,
  }));
}

/** Finished steps per agent in the window, with the most frequent error. */
export async function agentFailures(db: Queryable, windowS: number): Promise<AgentFailureRow[]> {
  const rows = await db.query<{ agent_id: string; steps: number; failed: number; common_error: string | null }[]>(
    `SELECT agent_id, count(*)::int AS steps, count(*) FILTER (WHERE status = 'failed')::int AS failed,
            mode() WITHIN GROUP (ORDER BY error) FILTER (WHERE status = 'failed') AS common_error
     FROM task_steps
     WHERE agent_id IS NOT NULL AND started_at >= now() - $1::float8 * interval '1 second'
       AND status IN ('completed', 'failed', 'degraded')
     GROUP BY agent_id ORDER BY agent_id`,
    [windowS],
  );
  return rows.map((row) => ({ agentId: row.agent_id, steps: row.steps, failed: row.failed, commonError: row.common_error }));
}
