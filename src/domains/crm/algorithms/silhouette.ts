/**
 * Mean silhouette coefficient (Euclidean), as scikit-learn's silhouette_score: for each point
 * s = (b − a) / max(a, b) with a its mean distance to its own cluster and b the smallest mean distance to
 * another cluster; a point alone in its cluster scores 0. Null when fewer than two clusters are present.
 * O(m²): callers pass a sample (the segmentation uses at most 2,000 rows).
 */
export function silhouetteScore(data: Float64Array, m: number, d: number, labels: Int32Array, k: number): number | null {
  const counts = new Int32Array(k);
  for (let i = 0; i < m; i++) counts[labels[i]]++;
  let present = 0;
  for (let c = 0; c < k; c++) if (counts[c] > 0) present++;
  if (present < 2 || present >= m) return null;
  // distanceSums[i * k + c]: sum of distances from point i to the points of cluster c.
  const distanceSums = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    const row = i * d;
    const labelI = labels[i];
    for (let j = i + 1; j < m; j++) {
      const other = j * d;
      let total = 0;
      for (let f = 0; f < d; f++) {
        const diff = data[row + f] - data[other + f];
        total += diff * diff;
      }
      const distance = Math.sqrt(total);
      distanceSums[i * k + labels[j]] += distance;
      distanceSums[j * k + labelI] += distance;
    }
  }
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const own = labels[i];
    if (counts[own] <= 1) continue;
    const a = distanceSums[i * k + own] / (counts[own] - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      if (c !== own && counts[c] > 0) b = Math.min(b, distanceSums[i * k + c] / counts[c]);
    }
    const spread = Math.max(a, b);
    sum += spread > 0 ? (b - a) / spread : 0;
  }
  return sum / m;
}
