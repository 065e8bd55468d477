import type { Queryable } from './task-stats.queries.js';

/*
 * The dashboards' reads beside the task aggregates (task-stats.queries.ts): cost per hour, work per agent from
 * the trace, the queue's oldest wait, recent routing decisions and distributions.
 */

export interface HourCost {
  hour: Date;
  executions: number;
  costUsd: number;
  tokens: number;
}

export async function costPerHour(db: Queryable, windowS: number): Promise<HourCost[]> {
  const rows = await db.query<{ hour: Date; executions: number; cost_usd: number; tokens: number }[]>(
    `SELECT date_trunc('hour', created_at) AS hour, count(*)::int AS executions,
            COALESCE(sum(cost_usd), 0)::float8 AS cost_usd, COALESCE(sum(input_tokens + output_tokens), 0)::float8 AS tokens
     FROM tasks WHERE created_at >= now() - $1::float8 * interval '1 second'
     GROUP BY 1 ORDER BY 1`,
    [windowS],
  );
  return rows.map((row) => ({ hour: new Date(row.hour), executions: row.executions, costUsd: row.cost_usd, tokens: row.tokens }));
}

export interface AgentUsage {
  agentId: string;
  tasks: number;
  steps: number;
  failedSteps: number;
  busyMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Work per agent from the trace (task_steps) of the window. */
export async function agentUsage(db: Queryable, windowS: number): Promise<AgentUsage[]> {
  const rows = await db.query<
    {
      agent_id: string;
      tasks: number;
      steps: number;
      failed_steps: number;
      busy_ms: number;
      input_tokens: number;
      output_tokens: number;
      cost_usd: number;
    }[]
  >(
    `SELECT agent_id, count(DISTINCT task_id)::int AS tasks, count(*)::int AS steps,
            count(*) FILTER (WHERE status = 'failed')::int AS failed_steps,
            COALESCE(sum(duration_ms), 0)::float8 AS busy_ms,
            COALESCE(sum(input_tokens), 0)::float8 AS input_tokens,
            COALESCE(sum(output_tokens), 0)::float8 AS output_tokens,
            COALESCE(sum(cost_usd), 0)::float8 AS cost_usd
     FROM task_steps
     WHERE agent_id IS NOT NULL AND started_at >= now() - $1::float8 * interval '1 second'
     GROUP BY agent_id ORDER BY count(*) DESC, agent_id`,
    [windowS],
  );
  return rows.map((row) => ({
    agentId: row.agent_id,
    tasks: row.tasks,
    steps: row.steps,
    failedSteps: row.failed_steps,
    busyMs: row.busy_ms,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costUsd: row.cost_usd,
  }));
}

/** Seconds the oldest queued task has been waiting, or null when nothing waits. */
export async function oldestPendingWaitS(db: Queryable): Promise<number | null> {
  const rows = await db.query<{ wait_s: number | null }[]>(
    `SELECT extract(epoch FROM now() - min(created_at))::float8 AS wait_s FROM tasks WHERE status = 'pending' AND enqueued_at IS NOT NULL`,
  );
  return rows[0]?.wait_s ?? null;
}

export interface RecentDecision {
  taskId: string;
  type: string;
  domain: string | null;
  strategy: string | null;
  complexity: string | null;
  confidence: number | null;
  rule: string | null;
  reasoning: string | null;
  createdAt: Date;
}

export async function recentDecisions(db: Queryable, limit: number): Promise<RecentDecision[]> {
  const rows = await db.query<
    {
      id: string;
      type: string;
      domain: string | null;
      strategy: string | null;
      complexity: string | null;
      confidence: number | null;
      rule: string | null;
      reasoning: string | null;
      created_at: Date;
    }[]
  >(
    `SELECT id, type, domain, strategy, complexity, (decision->>'confidence')::float8 AS confidence,
            decision->>'rule' AS rule, decision->>'reasoning' AS reasoning, created_at
     FROM tasks WHERE decision IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({
    taskId: row.id,
    type: row.type,
    domain: row.domain,
    strategy: row.strategy,
    complexity: row.complexity,
    confidence: row.confidence,
    rule: row.rule,
    reasoning: row.reasoning,
    createdAt: new Date(row.created_at),
  }));
}

/** Count per value of a column over the window (distributions). */
export async function distribution(db: Queryable, column: 'strategy' | 'complexity', windowS: number): Promise<Record<string, number>> {
  const rows = await db.query<{ key: string | null; count: number }[]>(
    `SELECT ${column} AS key, count(*)::int AS count FROM tasks
     WHERE created_at >= now() - $1::float8 * interval '1 second' AND ${column} IS NOT NULL
     GROUP BY ${column} ORDER BY ${column}`,
    [windowS],
  );
  return Object.fromEntries(rows.map((row) => [row.key ?? 'none', row.count]));
}
