import type { DataSource, EntityManager } from 'typeorm';

/** Anything that runs SQL: the DataSource or a transaction's manager. */
export type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** Statuses a task ends with on its own; cancelled tasks are the caller's choice and count in neither rate. */
export const OUTCOME_STATUSES = `('completed', 'failed', 'timed_out')`;
const FINISHED = `status IN ${OUTCOME_STATUSES} AND duration_ms IS NOT NULL`;
/** Tasks that went through the queue and were picked up (direct tasks have no queue wait). */
const QUEUED = `enqueued_at IS NOT NULL AND queue_wait_ms IS NOT NULL`;

/** Aggregates of a set of tasks; times in milliseconds as the columns store them. */
export interface TaskStats {
  executions: number;
  completed: number;
  failed: number;
  timedOut: number;
  cancelled: number;
  running: number;
  pending: number;
  /** completed + failed + timed_out. */
  outcomes: number;
  avgMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  queued: number;
  queueAvgMs: number | null;
  queueP95Ms: number | null;
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costUsd: number;
  cacheHits: number;
}

/** The SELECT list behind TaskStats; `count(id)` so an outer join's empty bucket counts 0. */
const STATS_COLUMNS = `
  count(id)::int AS executions,
  count(id) FILTER (WHERE status = 'completed')::int AS completed,
  count(id) FILTER (WHERE status = 'failed')::int AS failed,
  count(id) FILTER (WHERE status = 'timed_out')::int AS timed_out,
  count(id) FILTER (WHERE status = 'cancelled')::int AS cancelled,
  count(id) FILTER (WHERE status = 'running')::int AS running,
  count(id) FILTER (WHERE status = 'pending')::int AS pending,
  count(id) FILTER (WHERE status IN ${OUTCOME_STATUSES})::int AS outcomes,
  (avg(duration_ms) FILTER (WHERE ${FINISHED}))::float8 AS avg_ms,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE ${FINISHED}) AS p50_ms,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE ${FINISHED}) AS p95_ms,
  (max(duration_ms) FILTER (WHERE ${FINISHED}))::float8 AS max_ms,
  count(id) FILTER (WHERE ${QUEUED})::int AS queued,
  (avg(queue_wait_ms) FILTER (WHERE ${QUEUED}))::float8 AS queue_avg_ms,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY queue_wait_ms) FILTER (WHERE ${QUEUED}) AS queue_p95_ms,
  COALESCE(sum(llm_calls), 0)::float8 AS llm_calls,
  COALESCE(sum(input_tokens), 0)::float8 AS input_tokens,
  COALESCE(sum(output_tokens), 0)::float8 AS output_tokens,
  COALESCE(sum(cached_tokens), 0)::float8 AS cached_tokens,
  COALESCE(sum(cost_usd), 0)::float8 AS cost_usd,
  count(id) FILTER (WHERE cache_hit)::int AS cache_hits`;

interface StatsRow {
  executions: number;
  completed: number;
  failed: number;
  timed_out: number;
  cancelled: number;
  running: number;
  pending: number;
  outcomes: number;
  avg_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  max_ms: number | null;
  queued: number;
  queue_avg_ms: number | null;
  queue_p95_ms: number | null;
  llm_calls: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cost_usd: number;
  cache_hits: number;
}

function toStats(row: StatsRow): TaskStats {
  return {
    executions: row.executions,
    completed: row.completed,
    failed: row.failed,
    timedOut: row.timed_out,
    cancelled: row.cancelled,
    running: row.running,
    pending: row.pending,
    outcomes: row.outcomes,
    avgMs: row.avg_ms,
    p50Ms: row.p50_ms,
    p95Ms: row.p95_ms,
    maxMs: row.max_ms,
    queued: row.queued,
    queueAvgMs: row.queue_avg_ms,
    queueP95Ms: row.queue_p95_ms,
    llmCalls: row.llm_calls,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedTokens: row.cached_tokens,
    costUsd: row.cost_usd,
    cacheHits: row.cache_hits,
  };
}

export interface TaskFilter {
  /** Tasks created in the last `windowS` seconds; all tasks when absent. */
  windowS?: number;
  strategy?: string;
  domain?: string;
}

/** WHERE conditions and their parameters, numbered from `first`. */
function conditions(filter: TaskFilter, first = 1): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (n: number) => string, value: unknown) => {
    params.push(value);
    sql.push(condition(first + params.length - 1));
  };
  if (filter.windowS !== undefined) add((n) => `created_at >= now() - $${n}::float8 * interval '1 second'`, filter.windowS);
  if (filter.strategy !== undefined) add((n) => `strategy = $${n}`, filter.strategy);
  if (filter.domain !== undefined) add((n) => `domain = $${n}`, filter.domain);
  return { sql, params };
}

function where(filter: TaskFilter): { clause: string; params: unknown[] } {
  const { sql, params } = conditions(filter);
  return { clause: sql.length > 0 ? `WHERE ${sql.join(' AND ')}` : '', params };
}

export async function overallStats(db: Queryable, filter: TaskFilter): Promise<TaskStats> {
  const { clause, params } = where(filter);
  const rows = await db.query<StatsRow[]>(`SELECT ${STATS_COLUMNS} FROM tasks ${clause}`, params);
  return toStats(rows[0]);
}

/** Grouping columns the reports may use (never interpolated from input). */
export type StatsGroup = 'strategy' | 'domain' | 'type' | 'tenant_id' | 'status';

export interface GroupStats extends TaskStats {
  /** The group's value; null for tasks without one (e.g. no strategy yet, or a system task's domain). */
  key: string | null;
}

/**
 * Stats per value of one column, largest groups first: one GROUP BY per column. The reports read
 * windowStats, which answers the same from one scan; this per-column form is the reference the tests hold
 * windowStats equal to.
 */
export async function groupedStats(db: Queryable, group: StatsGroup, filter: TaskFilter, limit = 1000): Promise<GroupStats[]> {
  const { clause, params } = where(filter);
  const rows = await db.query<(StatsRow & { key: string | null })[]>(
    `SELECT ${group} AS key, ${STATS_COLUMNS} FROM tasks ${clause} GROUP BY ${group} ORDER BY count(id) DESC, ${group} LIMIT ${Math.trunc(limit)}`,
    params,
  );
  return rows.map((row) => ({ key: row.key, ...toStats(row) }));
}

export interface WindowStats<G extends StatsGroup> {
  overall: TaskStats;
  /** Per value of each grouping column, largest groups first; ties by key in code-point order, null last. */
  groups: Record<G, GroupStats[]>;
}

/**
 * The overall stats and the stats per value of each of `groups`, from one scan of the tasks
 * (GROUPING SETS) instead of one scan per grouping: what the alerts, the optimizer, the performance summary
 * and /statistics read. Every group is returned (no LIMIT).
 */
export async function windowStats<G extends StatsGroup>(db: Queryable, groups: readonly G[], filter: TaskFilter): Promise<WindowStats<G>> {
  const { clause, params } = where(filter);
  const columns = groups.join(', ');
  const sets = ['()', ...groups.map((group) => `(${group})`)].join(', ');
  const rows = await db.query<(StatsRow & { grouping: number; [column: string]: unknown })[]>(
    `SELECT GROUPING(${columns})::int AS grouping, ${columns}, ${STATS_COLUMNS} FROM tasks ${clause} GROUP BY GROUPING SETS (${sets})`,
    params,
  );
  // GROUPING() has one bit per column, the first column highest, set where the row is NOT grouped by it.
  const all = (1 << groups.length) - 1;
  const bit = (index: number): number => 1 << (groups.length - 1 - index);
  const overallRow = rows.find((row) => row.grouping === all);
  const result = { overall: toStats(overallRow ?? EMPTY_ROW), groups: {} as Record<G, GroupStats[]> };
  groups.forEach((group, index) => {
    result.groups[group] = rows
      .filter((row) => row.grouping === (all & ~bit(index)))
      .map((row) => ({ key: row[group] as string | null, ...toStats(row) }))
      .sort((a, b) => b.executions - a.executions || compareKeys(a.key, b.key));
  });
  return result;
}

/** Keys in code-point order, null last (ORDER BY's order under the C collation). */
function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

export interface BucketStats extends TaskStats {
  bucket: Date;
}

const EMPTY_ROW: StatsRow = {
  executions: 0,
  completed: 0,
  failed: 0,
  timed_out: 0,
  cancelled: 0,
  running: 0,
  pending: 0,
  outcomes: 0,
  avg_ms: null,
  p50_ms: null,
  p95_ms: null,
  max_ms: null,
  queued: 0,
  queue_avg_ms: null,
  queue_p95_ms: null,
  llm_calls: 0,
  input_tokens: 0,
  output_tokens: 0,
  cached_tokens: 0,
  cost_usd: 0,
  cache_hits: 0,
};

/**
 * Stats per time bucket of `bucketS` seconds over the window, every bucket present (empty ones count 0);
 * buckets are aligned to multiples of `bucketS` since the epoch, so the first one may start before the window.
 */
export async function bucketedStats(db: Queryable, filter: TaskFilter & { windowS: number }, bucketS: number): Promise<BucketStats[]> {
  const { sql, params } = conditions({ strategy: filter.strategy, domain: filter.domain }, 3);
  const extra = sql.map((condition) => ` AND ${condition}`).join('');
  const rows = await db.query<(Partial<StatsRow> & { first_epoch: number; now_epoch: number; bucket_epoch: number | null })[]>(
    `WITH bounds AS (
       SELECT (floor(extract(epoch FROM now() - $1::float8 * interval '1 second') / $2::float8) * $2::float8)::float8 AS first_epoch,
              extract(epoch FROM now())::float8 AS now_epoch
     )
     SELECT b.first_epoch, b.now_epoch, s.*
     FROM bounds b LEFT JOIN LATERAL (
       SELECT (floor(extract(epoch FROM created_at) / $2::float8) * $2::float8)::float8 AS bucket_epoch, ${STATS_COLUMNS}
       FROM tasks WHERE created_at >= to_timestamp(b.first_epoch)${extra}
       GROUP BY 1
     ) s ON true`,
    [filter.windowS, bucketS, ...params],
  );
  const byBucket = new Map<number, StatsRow>();
  for (const row of rows) if (row.bucket_epoch !== null) byBucket.set(row.bucket_epoch, row as StatsRow);
  const { first_epoch: firstEpoch, now_epoch: nowEpoch } = rows[0];
  const buckets: BucketStats[] = [];
  for (let epoch = firstEpoch; epoch <= nowEpoch; epoch += bucketS) {
    buckets.push({ bucket: new Date(epoch * 1000), ...toStats(byBucket.get(epoch) ?? EMPTY_ROW) });
  }
  return buckets;
}

/** Success rate: completed among tasks that ended on their own (cancelled excluded); null without any. */
export function successRate(stats: Pick<TaskStats, 'completed' | 'outcomes'>): number | null {
  return stats.outcomes === 0 ? null : stats.completed / stats.outcomes;
}

export function msToS(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}
