import { describe, expect, it } from 'vitest';
import { silhouetteScore } from './silhouette.js';

describe('silhouetteScore', () => {
  it('matches the hand computation for two tight pairs on a line', () => {
    // Points 0, 1 | 10, 11: s = (10.5 − 1)/10.5 for the outer points, (9.5 − 1)/9.5 for the inner ones.
    const expected = (2 * (9.5 / 10.5) + 2 * (8.5 / 9.5)) / 4;
    const score = silhouetteScore(Float64Array.from([0, 1, 10, 11]), 4, 1, Int32Array.from([0, 0, 1, 1]), 2);
    expect(score).toBeCloseTo(expected, 12);
  });

  it('scores a point alone in its cluster 0', () => {
    // Clusters {0, 1} and {10}: the singleton adds 0 to the mean.
    const score = silhouetteScore(Float64Array.from([0, 1, 10]), 3, 1, Int32Array.from([0, 0, 1]), 2);
    expect(score).toBeCloseTo((9 / 10 + 8 / 9 + 0) / 3, 12);
  });

  it('is null with a single cluster present', () => {
    expect(silhouetteScore(Float64Array.from([0, 1, 2]), 3, 1, Int32Array.from([1, 1, 1]), 2)).toBeNull();
  });

  it('is negative for a partition that splits the natural groups', () => {
    const score = silhouetteScore(Float64Array.from([0, 1, 10, 11]), 4, 1, Int32Array.from([0, 1, 0, 1]), 2);
    expect(score).toBeLessThan(0);
  });
});
