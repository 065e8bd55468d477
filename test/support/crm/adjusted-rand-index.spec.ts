import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from './adjusted-rand-index.js';

describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under other names', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], ['b', 'b', 'a', 'a', 'c', 'c'])).toBe(1);
  });

  it('matches scikit-learn on its documented examples', () => {
    // adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) = 0.571428…; ([0, 0, 1, 1], [0, 1, 0, 1]) = -0.5
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(4 / 7, 12);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12);
  });

  it('is 1 when both partitions are trivial', () => {
    expect(adjustedRandIndex([1, 1, 1], [2, 2, 2])).toBe(1);
  });

  it('refuses labelings of different lengths', () => {
    expect(() => adjustedRandIndex([1], [1, 2])).toThrow('labelings differ in length');
  });
});
