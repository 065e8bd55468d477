import type { Scope } from './process.js';

/** A target on a figure: on the ratio value/baseline (e.g. ≥ 0.7 of the bare endpoint) or on the value itself. */
export interface Target {
  on: 'ratio' | 'value';
  atLeast?: number;
  atMost?: number;
}

/** One row of the table: a measured value, optionally with the same figure of a baseline and a target. */
export interface Figure {
  figure: string;
  unit: string;
  value: number;
  baseline?: number;
  target?: Target;
}

export interface BenchResult {
  figures: Figure[];
  /** Printed under the table: skipped parts, per-round spread, anything a reader needs to judge the numbers. */
  notes: string[];
}

/** How long and how hard every benchmark drives its targets (the same for all, so figures compare). */
export interface LoadSettings {
  connections: number;
  warmupMs: number;
  roundMs: number;
  rounds: number;
}

export interface BenchContext {
  settings: LoadSettings;
  /** Server on which a fresh database is created (and dropped) for the PostgreSQL runs. */
  postgresUrl: string;
  /** Compiled entry point of the service (dist/src/main.js). */
  serviceMain: string;
  /** Everything started or created through it is stopped/removed when the benchmark ends, also on error. */
  scope: Scope;
  log(message: string): void;
}

/** A `*.bench.ts` file exports one of these as `benchmark`; the runner finds it by the file name. */
export interface Benchmark {
  name: string;
  description: string;
  run(context: BenchContext): Promise<BenchResult>;
}

export function ratioOf(figure: Figure): number | undefined {
  return figure.baseline === undefined || figure.baseline === 0 ? undefined : figure.value / figure.baseline;
}

export function meetsTarget(figure: Figure): boolean | undefined {
  const target = figure.target;
  if (!target) return undefined;
  const checked = target.on === 'ratio' ? ratioOf(figure) : figure.value;
  if (checked === undefined || !Number.isFinite(checked)) return false;
  return (target.atLeast === undefined || checked >= target.atLeast) && (target.atMost === undefined || checked <= target.atMost);
}
