import { describe, expect, it } from 'vitest';
import { analyzeMetric, linearTrend, robustAnomalies } from './insights.js';

describe('analytics insights', () => {
  it('fits a least-squares line exactly on linear data', () => {
    expect(linearTrend([2, 4, 6, 8, 10])).toEqual({ slope: 2, intercept: 2, r2: 1, relative_change: 1.333333, direction: 'up' });
  });

  it('computes slope and r² by hand on noisy data', () => {
    // x̄ = 1.5, ȳ = 2.5; Sxy = 4, Sxx = 5, Syy = 5 → slope 0.8, intercept 1.3, r² = 16/25 = 0.64
    expect(linearTrend([1, 3, 2, 4])).toMatchObject({ slope: 0.8, intercept: 1.3, r2: 0.64, direction: 'up' });
  });

  it('calls a series flat when the change is under 5 % of the mean', () => {
    expect(linearTrend([100, 101, 100, 101, 100]).direction).toBe('flat');
    expect(linearTrend([10, 8, 6, 4]).direction).toBe('down');
  });

  it('flags the outlier by robust z-score (median/MAD)', () => {
    // median 10.5; |deviations| 0.5,0.5,1.5,0.5,0.5,89.5 → MAD 0.5; z(100) = 0.6745 × 89.5 / 0.5 = 120.7355, z(9) = 2.0235
    const result = robustAnomalies([10, 11, 9, 10, 11, 100], 3.5);
    expect(result.median).toBe(10.5);
    expect(result.mad).toBe(0.5);
    expect(result.anomalies).toEqual([{ index: 5, value: 100, robust_z: 120.7355 }]);
  });

  it('does not flag anything below the threshold', () => {
    expect(robustAnomalies([10, 11, 9, 10, 12, 13], 3.5).anomalies).toEqual([]);
  });

  it('falls back to mean absolute deviation when MAD is zero', () => {
    // median 5, MAD 0; mean |dev| = 45/5 = 9 → scale 11.2797; z(50) = 45/11.2797 = 3.9895
    expect(robustAnomalies([5, 5, 5, 5, 50], 3.5).anomalies).toEqual([{ index: 4, value: 50, robust_z: 3.9895 }]);
  });

  it('answers not_enough_data below three points instead of failing', () => {
    expect(analyzeMetric('revenue', [1, 2], 3.5)).toEqual({
      metric: 'revenue',
      status: 'not_enough_data',
      points: 2,
      mean: null,
      median: null,
      mad: null,
      trend: null,
      anomalies: [],
    });
  });
});
