/** Least-squares trend over equally spaced points (x = 0, 1, …, n-1). */
export interface Trend {
  slope: number;
  intercept: number;
  r2: number;
  /** Change over the series relative to its mean: slope × (n − 1) / |mean|. */
  relative_change: number | null;
  direction: 'up' | 'down' | 'flat';
}

export interface Anomaly {
  index: number;
  value: number;
  robust_z: number;
}

export interface MetricInsight {
  metric: string;
  status: 'ok' | 'not_enough_data';
  points: number;
  mean: number | null;
  median: number | null;
  mad: number | null;
  trend: Trend | null;
  anomalies: Anomaly[];
}

const round = (value: number, digits = 6): number => Math.round(value * 10 ** digits) / 10 ** digits;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function linearTrend(values: readonly number[], flatThreshold = 0.05): Trend {
  const n = values.length;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((sum, v) => sum + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  values.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
    syy += (y - meanY) ** 2;
  });
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = meanY - slope * meanX;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  const relative = meanY === 0 ? null : (slope * (n - 1)) / Math.abs(meanY);
  const direction =
    relative === null
      ? slope === 0
        ? 'flat'
        : slope > 0
          ? 'up'
          : 'down'
      : Math.abs(relative) < flatThreshold
        ? 'flat'
        : relative > 0
          ? 'up'
          : 'down';
  return {
    slope: round(slope),
    intercept: round(intercept),
    r2: round(r2),
    relative_change: relative === null ? null : round(relative),
    direction,
  };
}

/**
 * Robust z-scores: 0.6745 (x − median) / MAD. With MAD = 0 (over half the points equal) the mean absolute
 * deviation × 1.2533 stands in; when that is 0 too no point is anomalous.
 */
export function robustAnomalies(values: readonly number[], threshold: number): { median: number; mad: number; anomalies: Anomaly[] } {
  const center = median(values);
  const mad = median(values.map((v) => Math.abs(v - center)));
  const meanAbs = values.reduce((sum, v) => sum + Math.abs(v - center), 0) / values.length;
  const scale = mad > 0 ? mad / 0.6745 : meanAbs * 1.2533;
  const anomalies: Anomaly[] = [];
  if (scale > 0) {
    values.forEach((value, index) => {
      const z = (value - center) / scale;
      if (Math.abs(z) >= threshold) anomalies.push({ index, value, robust_z: round(z, 4) });
    });
  }
  return { median: center, mad, anomalies };
}

export const MIN_POINTS = 3;

export function analyzeMetric(metric: string, values: readonly number[], threshold: number): MetricInsight {
  if (values.length < MIN_POINTS) {
    return { metric, status: 'not_enough_data', points: values.length, mean: null, median: null, mad: null, trend: null, anomalies: [] };
  }
  const { median: center, mad, anomalies } = robustAnomalies(values, threshold);
  return {
    metric,
    status: 'ok',
    points: values.length,
    mean: round(values.reduce((sum, v) => sum + v, 0) / values.length),
    median: round(center),
    mad: round(mad),
    trend: linearTrend(values),
    anomalies,
  };
}
