import { describe, expect, it } from 'vitest';
import { clamp, logit, mean, median, populationStd, roundTo, sigmoid } from './stats.js';

describe('stats', () => {
  it('median of odd and even counts, without touching the input', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('mean and population standard deviation', () => {
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    expect(populationStd([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
  });

  it('rounds half away from zero despite binary representation', () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(84.25, 1)).toBe(84.3);
    expect(roundTo(-2.5, 0)).toBe(-3);
    expect(Object.is(roundTo(-0.0001, 2), 0)).toBe(true);
  });

  it('clamp, sigmoid and logit', () => {
    expect(clamp(140, 0, 100)).toBe(100);
    expect(clamp(-1, 0, 100)).toBe(0);
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(logit(0.15))).toBeCloseTo(0.15, 12);
  });
});
