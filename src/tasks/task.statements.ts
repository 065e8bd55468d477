/**
 * Every SQL statement on `tasks` and `task_steps` outside TypeORM's query building, in one place: the hot paths
 * (claim, usage counters, cancel polling) run as named prepared statements through fastQuery, so each text must
 * stay fixed (one text, one name). The whole-row INSERT and the UPDATE of a patch are built from the entity
 * metadata in task.store.ts.
 */

/**
 * Claims queued tasks for one worker: running, attempt counted, queue wait recorded on the first attempt; a
 * task cancelled or already finished is left out. $1 task ids, $2 worker id.
 */
export const CLAIM = `UPDATE tasks SET status = 'running', worker_id = $2, started_at = now(), attempts = attempts + 1, updated_at = now(),
              queue_wait_ms = COALESCE(queue_wait_ms, GREATEST(0, (EXTRACT(EPOCH FROM (now() - created_at)) * 1000)::int))
        WHERE id = ANY($1::uuid[]) AND status IN ('pending', 'running') AND cancel_requested_at IS NULL
        RETURNING *`;

/** Counts one LLM call against the task's budget; no row when the budget ($2) is used up. */
export const RESERVE_CALL = `UPDATE tasks SET llm_calls = llm_calls + 1 WHERE id = $1 AND llm_calls < $2 RETURNING llm_calls`;

/** Counts a call that was already made (replayed after the task's transaction rolled back). */
export const COUNT_CALL = `UPDATE tasks SET llm_calls = llm_calls + 1 WHERE id = $1`;

export const TASK_EXISTS = `SELECT 1 FROM tasks WHERE id = $1`;

export const ADD_USAGE = `UPDATE tasks SET input_tokens = input_tokens + $2, output_tokens = output_tokens + $3,
              cached_tokens = cached_tokens + $4, cost_usd = cost_usd + $5::numeric
        WHERE id = $1`;

export const MARK_CACHE_HIT = `UPDATE tasks SET cache_hit = true WHERE id = $1 AND NOT cache_hit`;

/** A pending task is cancelled at once (it has not started). $2 error, $3 guidance. */
export const CANCEL_PENDING = `UPDATE tasks SET status = 'cancelled', cancel_requested_at = now(), finished_at = now(),
              error = $2, guidance = $3, updated_at = now()
        WHERE id = $1 AND status = 'pending'
        RETURNING id`;

/** A running task is asked to stop; the instance running it sees the request (CANCEL_REQUESTED). */
export const REQUEST_CANCEL = `UPDATE tasks SET cancel_requested_at = now(), updated_at = now() WHERE id = $1 AND status = 'running'`;

/** Which of the given running tasks have a cancel request (polled four times a second by every instance). */
export const CANCEL_REQUESTED = `SELECT id FROM tasks WHERE id = ANY($1::uuid[]) AND cancel_requested_at IS NOT NULL`;

/** Running tasks past their timeout plus $1 seconds of grace. */
export const STALE_RUNNING = `SELECT * FROM tasks
        WHERE status = 'running' AND started_at < now() - make_interval(secs => timeout_s + $1)
        LIMIT 100`;

/** Fails a task the sweeper found stale, unless it finished meanwhile. $2 error, $3 guidance. */
export const FAIL_STALE = `UPDATE tasks SET status = 'failed', error = $2, guidance = $3, finished_at = now(),
              duration_ms = (EXTRACT(EPOCH FROM (now() - started_at)) * 1000)::int, updated_at = now()
        WHERE id = $1 AND status = 'running'
        RETURNING id`;

/** The steps of a redelivered task's earlier attempts ($2: the current attempt). */
export const ABANDON_EARLIER_ATTEMPTS = `UPDATE task_steps SET status = 'abandoned', error = $3
        WHERE task_id = $1 AND attempt < $2`;

/** A tenant's newest tasks but one ($2, the task asking), filtered by status/type when given; $3 the limit. */
export function recentTasks(filters: { status: boolean; type: boolean }): string {
  let where = '';
  let next = 4;
  if (filters.status) where += ` AND status = $${next++}`;
  if (filters.type) where += ` AND type = $${next}`;
  return `SELECT id, type, status, strategy, created_at, duration_ms FROM tasks
        WHERE tenant_id = $1 AND id <> $2${where}
        ORDER BY created_at DESC, id DESC LIMIT $3`;
}

/** The type's recently completed tasks (the delegation's history estimate); $2 days. */
export const TYPE_HISTORY = `SELECT strategy, duration_ms, cost_usd FROM tasks
        WHERE type = $1 AND status = 'completed' AND duration_ms IS NOT NULL AND created_at > now() - make_interval(days => $2)
        ORDER BY created_at DESC LIMIT 100`;

/** USD the tenant's tasks have cost since 00:00 UTC. */
export const SPENT_TODAY = `SELECT COALESCE(SUM(cost_usd), 0)::text AS spent FROM tasks
        WHERE tenant_id = $1 AND created_at >= (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;

/** Per-agent statistics over the steps the agents ran. */
export const AGENT_STATS = `
      SELECT agent_id,
             count(*)::int AS executions,
             count(*) FILTER (WHERE status NOT IN ('running', 'abandoned'))::int AS finished,
             count(*) FILTER (WHERE status IN ('completed', 'degraded'))::int AS succeeded,
             avg(duration_ms) FILTER (WHERE duration_ms IS NOT NULL)::float AS avg_ms,
             coalesce(sum(input_tokens + output_tokens), 0)::int AS tokens,
             coalesce(sum(cost_usd), 0) AS cost,
             count(*) FILTER (WHERE status = 'running')::int AS running
        FROM task_steps
       WHERE agent_id IS NOT NULL AND kind IN ('delegate', 'tool', 'direct')
       GROUP BY agent_id`;

/** A tenant's task counts since $3, leaving out the task asking ($2). */
export const TASK_KPIS = `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status = 'completed')::int AS completed,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status = 'timed_out')::int AS timed_out,
            count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
            count(*) FILTER (WHERE status IN ('pending', 'running'))::int AS in_progress,
            COALESCE(sum(cost_usd), 0)::float8 AS cost_usd,
            avg(duration_ms)::float8 AS avg_duration_ms,
            COALESCE(sum(llm_calls), 0)::int AS llm_calls,
            COALESCE(sum(input_tokens + output_tokens), 0)::int AS tokens
       FROM tasks WHERE tenant_id = $1 AND id <> $2 AND created_at >= $3`;

export const TASK_KPIS_BY_DOMAIN = `SELECT COALESCE(domain, 'system') AS domain, count(*)::int AS total, count(*) FILTER (WHERE status = 'completed')::int AS completed
       FROM tasks WHERE tenant_id = $1 AND id <> $2 AND created_at >= $3 GROUP BY 1 ORDER BY 1`;

/** A tenant's tasks, failures and cost per UTC day since $3, leaving out the task asking ($2). */
export const DAILY_ACTIVITY = `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
            count(*)::int AS tasks,
            count(*) FILTER (WHERE status IN ('failed', 'timed_out'))::int AS failed,
            COALESCE(sum(cost_usd), 0)::float8 AS cost_usd
       FROM tasks WHERE tenant_id = $1 AND id <> $2 AND created_at >= $3
      GROUP BY 1 ORDER BY 1`;

/** Deletes up to `batch` steps older than $1 days (a batch at a time, so a backlog never holds long locks). */
export function purgeSteps(batch: number): string {
  return `DELETE FROM task_steps WHERE id IN (
           SELECT id FROM task_steps WHERE started_at < now() - $1::int * interval '1 day' LIMIT ${batch}
         )`;
}
