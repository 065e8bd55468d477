/**
 * Adjusted Rand index of two labelings (Hubert & Arabie 1985): 1 for identical partitions up to renaming,
 * about 0 for chance agreement. Same definition as scikit-learn's adjusted_rand_score.
 */
export function adjustedRandIndex(truth: readonly (number | string)[], predicted: readonly (number | string)[]): number {
  if (truth.length !== predicted.length) throw new Error('labelings differ in length');
  const n = truth.length;
  const table = new Map<string, number>();
  const rows = new Map<number | string, number>();
  const columns = new Map<number | string, number>();
  for (let i = 0; i < n; i++) {
    const key = `${truth[i]}\u0000${predicted[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(truth[i], (rows.get(truth[i]) ?? 0) + 1);
    columns.set(predicted[i], (columns.get(predicted[i]) ?? 0) + 1);
  }
  const pairs = (count: number): number => (count * (count - 1)) / 2;
  const sumPairs = (counts: Iterable<number>): number => {
    let total = 0;
    for (const count of counts) total += pairs(count);
    return total;
  };
  const index = sumPairs(table.values());
  const rowPairs = sumPairs(rows.values());
  const columnPairs = sumPairs(columns.values());
  const expected = (rowPairs * columnPairs) / pairs(n);
  const maximum = (rowPairs + columnPairs) / 2;
  // Both partitions trivial (all in one cluster or all singletons): they agree perfectly.
  if (maximum === expected) return 1;
  return (index - expected) / (maximum - expected);
}
