import { MAX_RECORDS_PER_SYNC } from '../sync/sync-payload.js';
import { formatInterval, parseSchedule } from './schedule.js';
import { byConnection, type ConnectionInfo, failureRate, finished, latency, type Latency, round, type RunSample } from './sync-stats.js';

export interface Recommendation {
  kind:
    | 'raise_timeout'
    | 'lower_timeout'
    | 'increase_interval'
    | 'decrease_interval'
    | 'overlap_risk'
    | 'paginate'
    | 'set_schedule'
    | 'fix_failures';
  message: string;
  /** The suggested new value (timeout_ms or schedule), when there is one. */
  suggested: number | string | null;
}

export interface ConnectionOptimization {
  connection_id: string;
  name: string;
  schedule: string | null;
  interval_seconds: number | null;
  timeout_ms: number;
  runs: number;
  succeeded: number;
  failure_rate: number | null;
  latency_ms: Latency;
  /** Latency of successful runs only (failed runs end early or at the timeout). */
  success_latency_ms: Latency;
  records_per_run: { avg: number | null; max: number | null };
  /** Inserted + updated over records received, across successful runs. */
  change_ratio: number | null;
  /** Share of successful runs that changed nothing. */
  no_change_share: number | null;
  recommendations: Recommendation[];
}

export interface SyncOptimization {
  status: 'ok' | 'not_enough_data';
  message: string | null;
  window_days: number;
  connections: ConnectionOptimization[];
  without_runs: string[];
  recommendations: (Recommendation & { connection: string })[];
}

/** Schedule advice needs this many successful runs. */
const MIN_RUNS_FOR_SCHEDULE = 3;
const MIN_INTERVAL_SECONDS = 60;
/** Runs this large are close enough to the per-sync limit to paginate. */
const LARGE_RUN = MAX_RECORDS_PER_SYNC / 2;

const ceilToSecond = (ms: number): number => Math.ceil(ms / 1000) * 1000;

function recommend(
  connection: ConnectionInfo,
  stats: Omit<ConnectionOptimization, 'recommendations' | 'connection_id' | 'name'>,
): Recommendation[] {
  const recs: Recommendation[] = [];
  const p95 = stats.success_latency_ms.p95;
  const interval = stats.interval_seconds;
  if (p95 !== null && p95 > 0.8 * connection.timeoutMs) {
    const suggested = Math.min(120_000, ceilToSecond(p95 * 1.5));
    recs.push({
      kind: 'raise_timeout',
      suggested,
      message: `Successful runs take up to ${p95} ms (p95), over 80 % of timeout_ms ${connection.timeoutMs}: raise timeout_ms to ${suggested} before slow days turn into timeouts.`,
    });
  } else if (p95 !== null && connection.timeoutMs > 5000 && p95 < 0.1 * connection.timeoutMs) {
    const suggested = Math.max(1000, ceilToSecond(p95 * 3));
    recs.push({
      kind: 'lower_timeout',
      suggested,
      message: `Successful runs take up to ${p95} ms (p95), under 10 % of timeout_ms ${connection.timeoutMs}: lower it to ${suggested} so a hung upstream fails fast and is retried.`,
    });
  }
  if (stats.succeeded >= MIN_RUNS_FOR_SCHEDULE && stats.no_change_share !== null && interval !== null) {
    if (stats.no_change_share >= 0.8) {
      recs.push({
        kind: 'increase_interval',
        suggested: formatInterval(interval * 2),
        message: `${Math.round(stats.no_change_share * 100)} % of successful runs changed nothing: sync every ${formatInterval(interval * 2)} instead of ${formatInterval(interval)}.`,
      });
    } else if (stats.no_change_share === 0 && (stats.change_ratio ?? 0) >= 0.5 && interval / 2 >= MIN_INTERVAL_SECONDS) {
      recs.push({
        kind: 'decrease_interval',
        suggested: formatInterval(interval / 2),
        message: `Every run changed records (${Math.round((stats.change_ratio ?? 0) * 100)} % of those received): if freshness matters, sync every ${formatInterval(interval / 2)}.`,
      });
    }
  }
  if (interval !== null && stats.latency_ms.p95 !== null && stats.latency_ms.p95 > 0.5 * interval * 1000) {
    recs.push({
      kind: 'overlap_risk',
      suggested: formatInterval(interval * 2),
      message: `Runs take up to ${stats.latency_ms.p95} ms (p95), over half the ${formatInterval(interval)} interval: lengthen it so runs cannot overlap.`,
    });
  }
  if (stats.records_per_run.max !== null && stats.records_per_run.max >= LARGE_RUN) {
    recs.push({
      kind: 'paginate',
      suggested: null,
      message: `A run received ${stats.records_per_run.max} records; the limit is ${MAX_RECORDS_PER_SYNC} per sync: split the sync by path (e.g. ?updated_since=…) before it is reached.`,
    });
  }
  if (connection.schedule === null) {
    recs.push({
      kind: 'set_schedule',
      suggested: null,
      message: 'The connection has no schedule and only syncs on request: set an interval such as "1h" or a cron expression.',
    });
  }
  if ((stats.failure_rate ?? 0) > 0) {
    recs.push({
      kind: 'fix_failures',
      suggested: null,
      message: `${Math.round((stats.failure_rate ?? 0) * 100)} % of runs failed: integrations_error_analysis says why and what to change.`,
    });
  }
  return recs;
}

/** Per connection: latency percentiles, records per run, how much each run changes, and timeout/schedule advice. */
export function optimizeSyncs(runs: readonly RunSample[], connections: readonly ConnectionInfo[], windowDays: number): SyncOptimization {
  const groups = byConnection(finished(runs));
  const result: ConnectionOptimization[] = [];
  for (const connection of connections) {
    const group = groups.get(connection.id);
    if (!group) continue;
    const succeeded = group.filter((run) => run.status === 'succeeded');
    const received = succeeded.reduce((sum, run) => sum + run.records, 0);
    const changed = succeeded.reduce((sum, run) => sum + run.inserted + run.updated, 0);
    const parsed = connection.schedule ? parseSchedule(connection.schedule) : null;
    const stats = {
      schedule: connection.schedule,
      interval_seconds: parsed?.ok ? parsed.schedule.intervalSeconds : null,
      timeout_ms: connection.timeoutMs,
      runs: group.length,
      succeeded: succeeded.length,
      failure_rate: failureRate(group),
      latency_ms: latency(group),
      success_latency_ms: latency(succeeded),
      records_per_run: {
        avg: succeeded.length ? round(received / succeeded.length, 2) : null,
        max: succeeded.length ? Math.max(...succeeded.map((run) => run.records)) : null,
      },
      change_ratio: received ? round(changed / received) : null,
      no_change_share: succeeded.length
        ? round(succeeded.filter((run) => run.inserted + run.updated === 0).length / succeeded.length)
        : null,
    };
    result.push({ connection_id: connection.id, name: connection.name, ...stats, recommendations: recommend(connection, stats) });
  }
  const withoutRuns = connections.filter((c) => !groups.has(c.id)).map((c) => c.name);
  if (result.length === 0) {
    return {
      status: 'not_enough_data',
      message: `Not enough data: no finished sync runs in the last ${windowDays} days. Run integrations_sync on a connection first.`,
      window_days: windowDays,
      connections: [],
      without_runs: withoutRuns,
      recommendations: [],
    };
  }
  return {
    status: 'ok',
    message: null,
    window_days: windowDays,
    connections: result,
    without_runs: withoutRuns,
    recommendations: result.flatMap((c) => c.recommendations.map((r) => ({ connection: c.name, ...r }))),
  };
}
