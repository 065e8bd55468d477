/**
 * k-means as scikit-learn's KMeans defaults run it: greedy k-means++ initialisation (2 + ln k local trials),
 * Lloyd iterations (accelerated with Hamerly's bounds) up to 300, convergence when labels stop changing or the
 * total squared centre shift falls below `tolerance` × the mean feature variance, several seeded initialisations
 * keeping the lowest inertia. Data is a row-major Float64Array (n rows × d columns), typed arrays throughout.
 */
import { createSeededRandom, randomInt, type RandomSource } from './seeded-random.js';

export const DEFAULT_KMEANS_SEEDS: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
export const DEFAULT_MAX_ITERATIONS = 300;
export const DEFAULT_TOLERANCE = 1e-4;

export interface KMeansOptions {
  seeds?: readonly number[];
  maxIterations?: number;
  /** Relative tolerance: multiplied by the mean variance of the features. */
  tolerance?: number;
}

export interface KMeansRun {
  seed: number;
  inertia: number;
  iterations: number;
  converged: boolean;
}

export interface KMeansResult {
  labels: Int32Array;
  /** k × d, row-major. */
  centers: Float64Array;
  inertia: number;
  iterations: number;
  /** The seed of the initialisation that was kept. */
  seed: number;
  /** Every initialisation, in seed order. */
  runs: KMeansRun[];
}

export function kMeans(data: Float64Array, n: number, d: number, k: number, options: KMeansOptions = {}): KMeansResult {
  if (n < 1 || k < 1 || k > n) throw new RangeError(`k-means needs 1 ≤ k ≤ n (k ${k}, n ${n})`);
  if (data.length !== n * d) throw new RangeError('data length is not n × d');
  const seeds = options.seeds ?? DEFAULT_KMEANS_SEEDS;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const toleranceAbs = (options.tolerance ?? DEFAULT_TOLERANCE) * meanVariance(data, n, d);
  let best: KMeansResult | undefined;
  const runs: KMeansRun[] = [];
  for (const seed of seeds) {
    const centers = initialiseCenters(data, n, d, k, createSeededRandom(seed));
    const run = lloyd(data, n, d, k, centers, maxIterations, toleranceAbs);
    runs.push({ seed, inertia: run.inertia, iterations: run.iterations, converged: run.converged });
    if (!best || run.inertia < best.inertia) best = { ...run, seed, runs };
  }
  if (!best) throw new RangeError('k-means needs at least one seed');
  return best;
}

function meanVariance(data: Float64Array, n: number, d: number): number {
  if (d === 0) return 0;
  let total = 0;
  for (let j = 0; j < d; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += data[i * d + j];
    const m = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (data[i * d + j] - m) ** 2;
    total += squares / n;
  }
  return total / d;
}

function squaredDistanceToRow(data: Float64Array, i: number, other: Float64Array, o: number, d: number): number {
  let total = 0;
  const a = i * d;
  const b = o * d;
  for (let j = 0; j < d; j++) {
    const diff = data[a + j] - other[b + j];
    total += diff * diff;
  }
  return total;
}

/** Greedy k-means++: each new centre is the best of 2 + ⌊ln k⌋ candidates drawn in proportion to D². */
function initialiseCenters(data: Float64Array, n: number, d: number, k: number, random: RandomSource): Float64Array {
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = randomInt(random, n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = squaredDistanceToRow(data, i, centers, 0, d);
  const cumulative = new Float64Array(n);
  const candidateDistances = new Float64Array(n);
  const bestDistances = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let i = 0; i < n; i++) {
      running += closest[i];
      cumulative[i] = running;
    }
    let bestCandidate = -1;
    let bestPotential = Number.POSITIVE_INFINITY;
    for (let t = 0; t < trials; t++) {
      const candidate = searchCumulative(cumulative, random() * running);
      let candidatePotential = 0;
      for (let i = 0; i < n; i++) {
        const distance = Math.min(closest[i], squaredDistanceToRow(data, i, data, candidate, d));
        candidateDistances[i] = distance;
        candidatePotential += distance;
      }
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestCandidate = candidate;
        bestDistances.set(candidateDistances);
      }
    }
    centers.set(data.subarray(bestCandidate * d, bestCandidate * d + d), c * d);
    closest.set(bestDistances);
  }
  return centers;
}

/** First index whose cumulative weight exceeds `target` (the last one when rounding leaves none). */
function searchCumulative(cumulative: Float64Array, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle] > target) high = middle;
    else low = middle + 1;
  }
  return low;
}

interface LloydResult {
  labels: Int32Array;
  centers: Float64Array;
  inertia: number;
  iterations: number;
  converged: boolean;
}

/**
 * Lloyd's iterations, accelerated with Hamerly's bounds (an upper bound on the distance to the assigned
 * centre, a lower bound on the distance to the second closest): a point whose bounds prove its centre
 * unchanged is not rescanned. The labels and centres are those plain Lloyd computes.
 */
function lloyd(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  initial: Float64Array,
  maxIterations: number,
  toleranceAbs: number,
): LloydResult {
  let centers: Float64Array = initial;
  let next: Float64Array = new Float64Array(k * d);
  const labels = new Int32Array(n).fill(-1);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const counts = new Float64Array(k);
  const halfGap = new Float64Array(k);
  const moved = new Float64Array(k);
  let iterations = 0;
  let strict = false;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    halfNearestCentreGap(centers, k, d, halfGap);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const assigned = labels[i];
      if (assigned >= 0) {
        const bound = Math.max(halfGap[assigned], lower[i]);
        if (upper[i] <= bound) continue;
        upper[i] = Math.sqrt(squaredDistanceToRow(data, i, centers, assigned, d));
        if (upper[i] <= bound) continue;
      }
      const label = scanCentres(data, i, centers, k, d, upper, lower);
      if (label !== assigned) changed++;
      labels[i] = label;
    }
    accumulate(data, n, d, labels, next, counts);
    // A relocation changes labels, so the run cannot count as converged this round.
    if (counts.includes(0)) changed += relocateEmptyClusters(data, n, d, k, labels, centers, counts, next, upper, lower);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      let movement = 0;
      for (let j = 0; j < d; j++) {
        const value = next[c * d + j] / counts[c];
        movement += (value - centers[c * d + j]) ** 2;
        next[c * d + j] = value;
      }
      moved[c] = Math.sqrt(movement);
      shift += movement;
    }
    [centers, next] = [next, centers];
    if (changed === 0) {
      strict = true;
      converged = true;
      break;
    }
    updateBounds(labels, moved, k, upper, lower);
    if (shift <= toleranceAbs) {
      converged = true;
      break;
    }
  }
  let inertia = 0;
  const distances = new Float64Array(1);
  for (let i = 0; i < n; i++) {
    // Without strict convergence the labels belong to the previous centres: assign once more, as scikit-learn does.
    if (strict) inertia += squaredDistanceToRow(data, i, centers, labels[i], d);
    else {
      labels[i] = nearest(data, i, centers, k, d, distances);
      inertia += distances[0];
    }
  }
  return { labels, centers, inertia, iterations, converged };
}

/** Half the distance from each centre to its nearest other centre: closer than that, a point cannot switch. */
function halfNearestCentreGap(centers: Float64Array, k: number, d: number, out: Float64Array): void {
  out.fill(Number.POSITIVE_INFINITY);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const gap = Math.sqrt(squaredDistanceToRow(centers, a, centers, b, d)) / 2;
      if (gap < out[a]) out[a] = gap;
      if (gap < out[b]) out[b] = gap;
    }
  }
}

/** Full scan of the centres for point i: answers the closest and sets the bounds exactly. */
function scanCentres(
  data: Float64Array,
  i: number,
  centers: Float64Array,
  k: number,
  d: number,
  upper: Float64Array,
  lower: Float64Array,
): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  let secondDistance = Number.POSITIVE_INFINITY;
  const row = i * d;
  for (let c = 0; c < k; c++) {
    const base = c * d;
    let total = 0;
    for (let j = 0; j < d; j++) {
      const diff = data[row + j] - centers[base + j];
      total += diff * diff;
    }
    if (total < bestDistance) {
      secondDistance = bestDistance;
      bestDistance = total;
      best = c;
    } else if (total < secondDistance) {
      secondDistance = total;
    }
  }
  upper[i] = Math.sqrt(bestDistance);
  lower[i] = Math.sqrt(secondDistance);
  return best;
}

function accumulate(data: Float64Array, n: number, d: number, labels: Int32Array, sums: Float64Array, counts: Float64Array): void {
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    counts[label]++;
    const row = i * d;
    const target = label * d;
    for (let j = 0; j < d; j++) sums[target + j] += data[row + j];
  }
}

/** After the centres moved: the assigned centre may be up to its movement farther, any other that much closer. */
function updateBounds(labels: Int32Array, moved: Float64Array, k: number, upper: Float64Array, lower: Float64Array): void {
  let largest = 0;
  let largestAt = -1;
  let secondLargest = 0;
  for (let c = 0; c < k; c++) {
    if (moved[c] > largest) {
      secondLargest = largest;
      largest = moved[c];
      largestAt = c;
    } else if (moved[c] > secondLargest) {
      secondLargest = moved[c];
    }
  }
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    upper[i] += moved[label];
    lower[i] -= label === largestAt ? secondLargest : largest;
  }
}

function nearest(data: Float64Array, i: number, centers: Float64Array, k: number, d: number, distance: Float64Array): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    const total = squaredDistanceToRow(data, i, centers, c, d);
    if (total < bestDistance) {
      bestDistance = total;
      best = c;
    }
  }
  distance[0] = bestDistance;
  return best;
}

/**
 * An empty cluster takes the point farthest from its centre (scikit-learn's relocation), moving its sums
 * over; the moved point's bounds are reset so that it is rescanned. Answers how many points moved.
 */
function relocateEmptyClusters(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  labels: Int32Array,
  centers: Float64Array,
  counts: Float64Array,
  sums: Float64Array,
  upper: Float64Array,
  lower: Float64Array,
): number {
  let moved = 0;
  const distances = Float64Array.from({ length: n }, (_, i) => squaredDistanceToRow(data, i, centers, labels[i], d));
  for (let c = 0; c < k; c++) {
    if (counts[c] > 0) continue;
    let far = -1;
    for (let i = 0; i < n; i++) {
      if (counts[labels[i]] > 1 && (far < 0 || distances[i] > distances[far])) far = i;
    }
    if (far < 0) continue;
    const from = labels[far];
    for (let j = 0; j < d; j++) {
      sums[from * d + j] -= data[far * d + j];
      sums[c * d + j] = data[far * d + j];
    }
    counts[from]--;
    counts[c] = 1;
    labels[far] = c;
    distances[far] = 0;
    upper[far] = Number.POSITIVE_INFINITY;
    lower[far] = 0;
    moved++;
  }
  return moved;
}
