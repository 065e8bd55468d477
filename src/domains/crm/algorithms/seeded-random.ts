/** A source of uniform numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * Mulberry32 seeded through a SplitMix32 scramble, so that neighbouring seeds (0, 1, 2 …) give unrelated
 * streams. Deterministic across platforms: only 32-bit integer arithmetic.
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = splitMix32(Math.trunc(seed) >>> 0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function splitMix32(value: number): number {
  let z = (value + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** Integer in [0, maxExclusive). */
export function randomInt(random: RandomSource, maxExclusive: number): number {
  return Math.floor(random() * maxExclusive);
}

/** Normal deviate by Box–Muller. */
export function randomNormal(random: RandomSource, mean = 0, sd = 1): number {
  const u = 1 - random();
  const v = random();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function shuffleInPlace<T>(items: T[], random: RandomSource): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const held = items[i];
    items[i] = items[j];
    items[j] = held;
  }
  return items;
}

/** `size` distinct indices of [0, n) chosen uniformly (partial Fisher–Yates), returned in ascending order. */
export function sampleIndices(n: number, size: number, random: RandomSource): Int32Array {
  if (size >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < size; i++) {
    const j = i + randomInt(random, n - i);
    const held = pool[i];
    pool[i] = pool[j];
    pool[j] = held;
  }
  return pool.slice(0, size).sort();
}
