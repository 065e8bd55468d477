import { describe, expect, it } from 'vitest';
import { kMeans } from './kmeans.js';
import { createSeededRandom, randomNormal } from './seeded-random.js';

function blobs(seed: number, centres: number[][], perBlob: number, spread: number): { data: Float64Array; truth: number[] } {
  const random = createSeededRandom(seed);
  const d = centres[0].length;
  const data = new Float64Array(centres.length * perBlob * d);
  const truth: number[] = [];
  centres.forEach((centre, label) => {
    for (let i = 0; i < perBlob; i++) {
      const row = label * perBlob + i;
      for (let j = 0; j < d; j++) data[row * d + j] = randomNormal(random, centre[j], spread);
      truth.push(label);
    }
  });
  return { data, truth };
}

function bruteInertia(data: Float64Array, d: number, centers: Float64Array, labels: Int32Array): number {
  let total = 0;
  labels.forEach((label, i) => {
    for (let j = 0; j < d; j++) total += (data[i * d + j] - centers[label * d + j]) ** 2;
  });
  return total;
}

describe('kMeans', () => {
  const centres = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];
  const { data, truth } = blobs(1, centres, 100, 0.5);

  it('recovers well-separated blobs exactly', () => {
    const result = kMeans(data, 300, 2, 3);
    for (let label = 0; label < 3; label++) {
      const found = new Set(truth.map((t, i) => (t === label ? result.labels[i] : -1)).filter((l) => l >= 0));
      expect(found.size).toBe(1);
    }
    expect(new Set(result.labels).size).toBe(3);
  });

  it('reports the inertia of its labels and centres, the lowest of all initialisations', () => {
    const result = kMeans(data, 300, 2, 3);
    expect(result.inertia).toBeCloseTo(bruteInertia(data, 2, result.centers, result.labels), 8);
    expect(result.runs.map((run) => run.seed)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(result.inertia).toBe(Math.min(...result.runs.map((run) => run.inertia)));
    expect(result.runs.every((run) => run.converged)).toBe(true);
  });

  it('centres are the means of their members', () => {
    const result = kMeans(data, 300, 2, 3);
    for (let c = 0; c < 3; c++) {
      const members = [...result.labels.keys()].filter((i) => result.labels[i] === c);
      const meanX = members.reduce((total, i) => total + data[i * 2], 0) / members.length;
      expect(result.centers[c * 2]).toBeCloseTo(meanX, 10);
    }
  });

  it('is deterministic for the same seeds', () => {
    const a = kMeans(data, 300, 2, 4);
    const b = kMeans(data, 300, 2, 4);
    expect([...a.labels]).toEqual([...b.labels]);
    expect(a.inertia).toBe(b.inertia);
  });

  it('with k = 1 the centre is the mean', () => {
    const result = kMeans(Float64Array.from([1, 2, 3, 6]), 4, 1, 1);
    expect(result.centers[0]).toBe(3);
    expect(result.inertia).toBe(14);
  });

  it('handles duplicate points without empty clusters', () => {
    const result = kMeans(Float64Array.from([1, 1, 1, 1, 5, 5]), 6, 1, 2);
    expect([...result.labels].sort()).toEqual([0, 0, 0, 0, 1, 1].sort());
    expect(result.inertia).toBe(0);
  });

  it('ends with every point at its nearest centre, even on unstructured data (the bounds skip nothing they should not)', () => {
    const random = createSeededRandom(9);
    const n = 3000;
    const uniform = Float64Array.from({ length: n * 3 }, () => random());
    const result = kMeans(uniform, n, 3, 6);
    let misplaced = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestDistance = Infinity;
      for (let c = 0; c < 6; c++) {
        let distance = 0;
        for (let j = 0; j < 3; j++) distance += (uniform[i * 3 + j] - result.centers[c * 3 + j]) ** 2;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = c;
        }
      }
      if (best !== result.labels[i]) misplaced++;
    }
    expect(misplaced).toBe(0);
    expect(result.inertia).toBeCloseTo(bruteInertia(uniform, 3, result.centers, result.labels), 8);
  });

  it('survives more clusters than distinct points (an empty cluster is relocated, never divided by zero)', () => {
    // Identical points: both k-means++ centres coincide and one cluster starts empty.
    const result = kMeans(Float64Array.from([1, 1, 1]), 3, 1, 2, { seeds: [0] });
    expect([...result.centers]).toEqual([1, 1]);
    expect(result.inertia).toBe(0);
    expect(result.runs[0].converged).toBe(true);
  });

  it('honours maxIterations', () => {
    const result = kMeans(data, 300, 2, 3, { maxIterations: 1, seeds: [0] });
    expect(result.iterations).toBe(1);
  });

  it('refuses k outside 1 … n', () => {
    expect(() => kMeans(Float64Array.from([1, 2]), 2, 1, 3)).toThrow(RangeError);
  });
});
