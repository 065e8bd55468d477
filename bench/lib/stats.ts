/** Nearest-rank percentile of ascending-sorted samples (p in 0–100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** What one load run against one target produced. */
export interface LoadSample {
  ok: number;
  failed: number;
  elapsedMs: number;
  /** Latency of every successful request, in ms. */
  latenciesMs: number[];
  firstFailure?: string;
}

export interface Summary {
  requests: number;
  failed: number;
  throughput: number;
  p50: number;
  p99: number;
  /** Throughput of each sample, to show how noisy the pooled figure is. */
  perRound: number[];
}

/** Pools samples (e.g. interleaved rounds): total successes over total time, percentiles over every latency. */
export function summarize(samples: readonly LoadSample[]): Summary {
  const latencies = samples.flatMap((sample) => sample.latenciesMs).sort((a, b) => a - b);
  const ok = samples.reduce((sum, sample) => sum + sample.ok, 0);
  const elapsedMs = samples.reduce((sum, sample) => sum + sample.elapsedMs, 0);
  return {
    requests: ok,
    failed: samples.reduce((sum, sample) => sum + sample.failed, 0),
    throughput: elapsedMs > 0 ? (ok * 1000) / elapsedMs : 0,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perRound: samples.map((sample) => (sample.elapsedMs > 0 ? (sample.ok * 1000) / sample.elapsedMs : 0)),
  };
}
