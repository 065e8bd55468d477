import { ERROR_CLASSES, type ErrorClass, type SyncRunStatus } from '../entities/sync-run.entity.js';

/** One sync run as the analyses read it. */
export interface RunSample {
  connectionId: string;
  startedAt: Date;
  status: SyncRunStatus;
  durationMs: number;
  httpStatus: number | null;
  errorClass: ErrorClass | null;
  attempts: number;
  records: number;
  inserted: number;
  updated: number;
}

export interface ConnectionInfo {
  id: string;
  name: string;
  schedule: string | null;
  timeoutMs: number;
}

export interface Latency {
  p50: number | null;
  p95: number | null;
}

export const round = (value: number, digits = 4): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Percentile by linear interpolation between closest ranks (as SQL percentile_cont): rank = p × (n − 1). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return round(sorted[low] + (sorted[high] - sorted[low]) * (rank - low), 2);
}

export function latency(runs: readonly RunSample[]): Latency {
  const durations = runs.map((run) => run.durationMs);
  return { p50: percentile(durations, 0.5), p95: percentile(durations, 0.95) };
}

/** Runs that ran to an outcome: cancelled runs say nothing about the upstream. */
export const finished = (runs: readonly RunSample[]): RunSample[] => runs.filter((run) => run.status !== 'cancelled');

export function failureRate(runs: readonly RunSample[]): number | null {
  const done = finished(runs);
  return done.length === 0 ? null : round(done.filter((run) => run.status === 'failed').length / done.length);
}

export function errorClassCounts(runs: readonly RunSample[]): Record<ErrorClass, number> {
  const counts = Object.fromEntries(ERROR_CLASSES.map((c) => [c, 0])) as Record<ErrorClass, number>;
  for (const run of runs) if (run.status === 'failed' && run.errorClass) counts[run.errorClass] += 1;
  return counts;
}

export function byConnection(runs: readonly RunSample[]): Map<string, RunSample[]> {
  const groups = new Map<string, RunSample[]>();
  for (const run of runs) {
    const group = groups.get(run.connectionId) ?? [];
    group.push(run);
    groups.set(run.connectionId, group);
  }
  return groups;
}
