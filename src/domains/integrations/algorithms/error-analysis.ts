import type { ErrorClass } from '../entities/sync-run.entity.js';
import { parseSchedule, formatInterval } from './schedule.js';
import {
  byConnection,
  type ConnectionInfo,
  errorClassCounts,
  failureRate,
  finished,
  latency,
  type Latency,
  percentile,
  round,
  type RunSample,
} from './sync-stats.js';

export type Severity = 'none' | 'low' | 'medium' | 'high';

export interface Advice {
  kind: string;
  /** Whether retrying helps for this kind of failure. */
  retryable: boolean | null;
  message: string;
}

export interface HourCluster {
  hour_utc: number;
  failures: number;
  runs: number;
  failure_rate: number;
  failure_rate_other_hours: number;
}

export interface ConnectionErrors {
  connection_id: string;
  name: string;
  runs: number;
  failed: number;
  failure_rate: number | null;
  severity: Severity;
  latency_ms: Latency;
  error_classes: Record<ErrorClass, number>;
  last_status: string;
  last_error_class: ErrorClass | null;
  failure_cluster: HourCluster | null;
  advice: Advice[];
}

export interface ErrorAnalysis {
  status: 'ok' | 'not_enough_data';
  message: string | null;
  window_days: number;
  overall: {
    runs: number;
    failed: number;
    cancelled: number;
    failure_rate: number | null;
    latency_ms: Latency;
    error_classes: Record<ErrorClass, number>;
  };
  connections: ConnectionErrors[];
  advice: (Advice & { connection: string })[];
}

/** A connection's failures are "clustered" from this many failures on. */
const MIN_FAILURES_FOR_CLUSTER = 3;

export function severityOf(rate: number | null): Severity {
  if (rate === null || rate === 0) return 'none';
  if (rate >= 0.5) return 'high';
  if (rate >= 0.2) return 'medium';
  return 'low';
}

/**
 * The UTC hour holding the most failures (earliest on ties) is a cluster when it holds at least half of
 * them, at least 3 failed, and its failure rate is at least twice that of the other hours (which must
 * have runs: with every run in one hour there is nothing to compare).
 */
export function failureCluster(runs: readonly RunSample[]): HourCluster | null {
  const done = finished(runs);
  const failed = done.filter((run) => run.status === 'failed');
  if (failed.length < MIN_FAILURES_FOR_CLUSTER) return null;
  const failuresByHour = new Array<number>(24).fill(0);
  const runsByHour = new Array<number>(24).fill(0);
  for (const run of done) runsByHour[run.startedAt.getUTCHours()] += 1;
  for (const run of failed) failuresByHour[run.startedAt.getUTCHours()] += 1;
  const hour = failuresByHour.indexOf(Math.max(...failuresByHour));
  const otherRuns = done.length - runsByHour[hour];
  if (failuresByHour[hour] * 2 < failed.length || otherRuns === 0) return null;
  const rate = failuresByHour[hour] / runsByHour[hour];
  const otherRate = (failed.length - failuresByHour[hour]) / otherRuns;
  if (rate < 2 * otherRate) return null;
  return {
    hour_utc: hour,
    failures: failuresByHour[hour],
    runs: runsByHour[hour],
    failure_rate: round(rate),
    failure_rate_other_hours: round(otherRate),
  };
}

/** A timeout that covers the slow runs: twice the current one, or 1.5 × the successful runs' p95, whichever is larger (≤ 120 s). */
export function suggestedTimeout(timeoutMs: number, successfulDurations: number[]): number {
  const p95 = percentile(successfulDurations, 0.95) ?? 0;
  return Math.min(120_000, Math.max(timeoutMs * 2, Math.ceil((p95 * 1.5) / 1000) * 1000));
}

function intervalAdvice(schedule: string | null): string {
  const parsed = schedule ? parseSchedule(schedule) : null;
  const seconds = parsed?.ok ? parsed.schedule.intervalSeconds : null;
  if (seconds) return `increase the interval from ${formatInterval(seconds)} to ${formatInterval(seconds * 2)}`;
  return schedule ? `run the schedule "${schedule}" less often` : 'sync less often';
}

const countRuns = (n: number): string => `${n} run${n === 1 ? '' : 's'}`;

function adviceFor(
  connection: ConnectionInfo,
  runs: RunSample[],
  classes: Record<ErrorClass, number>,
  cluster: HourCluster | null,
): Advice[] {
  const failures = runs.filter((run) => run.status === 'failed').length;
  const successful = runs.filter((run) => run.status === 'succeeded').map((run) => run.durationMs);
  const advice: Advice[] = [];
  const add = (kind: string, retryable: boolean | null, message: string) => advice.push({ kind, retryable, message });
  if (classes.timeout > 0) {
    add(
      'timeout',
      true,
      `${classes.timeout} of ${failures} failures were timeouts at timeout_ms ${connection.timeoutMs}: raise timeout_ms to ${suggestedTimeout(connection.timeoutMs, successful)} or fetch smaller batches (a narrower path or page size).`,
    );
  }
  if (classes.rate_limited > 0) {
    add(
      'rate_limited',
      true,
      `${countRuns(classes.rate_limited)} ${classes.rate_limited === 1 ? 'was' : 'were'} rate-limited (HTTP 429): back off — ${intervalAdvice(connection.schedule)} and keep honouring Retry-After.`,
    );
  }
  if (classes.http_5xx > 0) {
    add(
      'http_5xx',
      true,
      `${countRuns(classes.http_5xx)} failed with upstream server errors (5xx): keep max_retries at 2 or more with exponential backoff; if they persist, contact the provider.`,
    );
  }
  if (classes.http_4xx > 0) {
    add(
      'http_4xx',
      false,
      `${countRuns(classes.http_4xx)} failed with client errors (4xx other than 429), which retries do not fix: check the auth_header_ref variable, base_url and path.`,
    );
  }
  if (classes.malformed > 0) {
    add(
      'malformed',
      false,
      `${countRuns(classes.malformed)} got a payload that failed validation: the upstream must answer a JSON array of objects with an id (or an object with records/data/items/results).`,
    );
  }
  if (classes.network > 0)
    add('network', true, `${countRuns(classes.network)} could not reach the host: check DNS, firewalls and base_url.`);
  if (classes.http_other > 0)
    add(
      'http_other',
      false,
      `${countRuns(classes.http_other)} got an unexpected status (e.g. a redirect): update base_url to the final address.`,
    );
  if (classes.config > 0)
    add(
      'config',
      false,
      `${countRuns(classes.config)} failed on configuration (a missing auth variable or a refused URL): fix the connection before retrying.`,
    );
  if (cluster) {
    const hh = String(cluster.hour_utc).padStart(2, '0');
    add(
      'failure_cluster',
      null,
      `Failures cluster at ${hh}:00–${hh}:59 UTC (${cluster.failures} of ${cluster.runs} runs failed then, against a failure rate of ${cluster.failure_rate_other_hours} at other hours): schedule syncs outside that hour.`,
    );
  }
  return advice;
}

/** Failure rates, latency percentiles, error classes, hour clusters and retry/schedule advice from sync-run history. */
export function analyzeErrors(runs: readonly RunSample[], connections: readonly ConnectionInfo[], windowDays: number): ErrorAnalysis {
  const done = finished(runs);
  const overall = {
    runs: done.length,
    failed: done.filter((run) => run.status === 'failed').length,
    cancelled: runs.length - done.length,
    failure_rate: failureRate(runs),
    latency_ms: latency(done),
    error_classes: errorClassCounts(runs),
  };
  if (done.length === 0) {
    return {
      status: 'not_enough_data',
      message: `Not enough data: no finished sync runs in the last ${windowDays} days. Run integrations_sync on a connection first.`,
      window_days: windowDays,
      overall,
      connections: [],
      advice: [],
    };
  }
  const names = new Map(connections.map((c) => [c.id, c]));
  const result: ConnectionErrors[] = [];
  for (const [connectionId, group] of byConnection(runs)) {
    const connection = names.get(connectionId) ?? { id: connectionId, name: connectionId, schedule: null, timeoutMs: 10_000 };
    const groupDone = finished(group);
    const classes = errorClassCounts(group);
    const cluster = failureCluster(group);
    const last = [...group].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())[0];
    const rate = failureRate(group);
    result.push({
      connection_id: connectionId,
      name: connection.name,
      runs: groupDone.length,
      failed: groupDone.filter((run) => run.status === 'failed').length,
      failure_rate: rate,
      severity: severityOf(rate),
      latency_ms: latency(groupDone),
      error_classes: classes,
      last_status: last.status,
      last_error_class: last.errorClass,
      failure_cluster: cluster,
      advice: adviceFor(connection, groupDone, classes, cluster),
    });
  }
  result.sort((a, b) => (b.failure_rate ?? 0) - (a.failure_rate ?? 0) || a.name.localeCompare(b.name));
  return {
    status: 'ok',
    message: null,
    window_days: windowDays,
    overall,
    connections: result,
    advice: result.flatMap((c) => c.advice.map((a) => ({ connection: c.name, ...a }))),
  };
}
