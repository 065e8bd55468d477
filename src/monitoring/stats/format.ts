/** Rounds to `digits` decimals; null stays null. */
export function round(value: number | null, digits = 4): number | null {
  return value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;
}

/** Milliseconds to seconds with millisecond precision (as execution_time elsewhere in the API). */
export function seconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms) / 1000;
}
