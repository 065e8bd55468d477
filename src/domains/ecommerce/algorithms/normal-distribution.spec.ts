import { describe, expect, it } from 'vitest';
import { erfc, inverseNormalCdf, normalCdf } from './normal-distribution.js';

describe('normal distribution', () => {
  it.each([
    [0.5, 0],
    [0.9, 1.281552],
    [0.95, 1.644854],
    [0.975, 1.959964],
    [0.99, 2.326348],
    [0.999, 3.090232],
    // Lower tail (p < 0.02425) and its mirror use the tail branch of Acklam's approximation.
    [0.01, -2.326348],
    [0.001, -3.090232],
  ])('inverse normal CDF of %f is %f (published z tables)', (p, z) => {
    expect(inverseNormalCdf(p)).toBeCloseTo(z, 6);
  });

  it('is symmetric and inverts the CDF', () => {
    for (const p of [0.02, 0.1, 0.3, 0.7, 0.9, 0.98]) {
      expect(inverseNormalCdf(p)).toBeCloseTo(-inverseNormalCdf(1 - p), 9);
      expect(normalCdf(inverseNormalCdf(p))).toBeCloseTo(p, 6);
    }
  });

  it.each([0, 1, -0.2, 1.5])('refuses p = %f outside (0, 1)', (p) => {
    expect(() => inverseNormalCdf(p)).toThrow(RangeError);
  });

  it.each([
    [0, 0.5],
    [0.75, 0.773373],
    [1.96, 0.975002],
    [-1.96, 0.024998],
    [3, 0.99865],
  ])('Φ(%f) = %f', (x, p) => {
    expect(normalCdf(x)).toBeCloseTo(p, 6);
  });

  it('erfc(0) = 1 and erfc(-x) = 2 - erfc(x)', () => {
    expect(erfc(0)).toBeCloseTo(1, 6);
    expect(erfc(-0.8)).toBeCloseTo(2 - erfc(0.8), 12);
    expect(erfc(1)).toBeCloseTo(0.157299, 6);
  });
});
