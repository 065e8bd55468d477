import { describe, expect, it } from 'vitest';
import { createSeededRandom, randomNormal, sampleIndices, shuffleInPlace } from './seeded-random.js';

describe('createSeededRandom', () => {
  it('repeats the same stream for the same seed', () => {
    const a = createSeededRandom(7);
    const b = createSeededRandom(7);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
  });

  it('gives different streams for neighbouring seeds', () => {
    expect(createSeededRandom(0)()).not.toBe(createSeededRandom(1)());
  });

  it('stays in [0, 1) and is roughly uniform', () => {
    const random = createSeededRandom(3);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      buckets[Math.floor(value * 10)]++;
    }
    for (const count of buckets) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });

  it('draws normals with the requested mean and spread', () => {
    const random = createSeededRandom(5);
    const values = Array.from({ length: 20_000 }, () => randomNormal(random, 10, 2));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
  });
});

describe('sampleIndices and shuffleInPlace', () => {
  it('samples distinct indices in ascending order, the same for the same seed', () => {
    const sample = sampleIndices(1000, 50, createSeededRandom(1));
    expect(sample.length).toBe(50);
    expect(new Set(sample).size).toBe(50);
    expect([...sample]).toEqual([...sample].sort((a, b) => a - b));
    expect([...sampleIndices(1000, 50, createSeededRandom(1))]).toEqual([...sample]);
  });

  it('takes every index when the sample is as large as the population', () => {
    expect([...sampleIndices(4, 10, createSeededRandom(1))]).toEqual([0, 1, 2, 3]);
  });

  it('shuffles into a permutation', () => {
    const items = shuffleInPlace([1, 2, 3, 4, 5, 6], createSeededRandom(2));
    expect([...items].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(items).not.toEqual([1, 2, 3, 4, 5, 6]);
  });
});
