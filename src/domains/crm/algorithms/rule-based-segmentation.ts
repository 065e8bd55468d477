/**
 * The rule-based segmentation types: value tiers by LTV rank, RFM quintile scores, lifecycle stages.
 * Each answers labels 0 … k−1 in output order plus the segment names; empty groups are left out.
 */
import type { CustomerRecord } from './customer-segmentation-validation.js';
import { actionsFor, type SegmentSpec } from './segment-profiles.js';
import type { CustomerTable } from './segmentation-features.js';

export interface RuleSegmentation {
  labels: Int32Array;
  specs: SegmentSpec[];
  /** Per customer RFM code such as "545" (rfm only). */
  codes?: string[];
}

export const DEFAULT_VALUE_TIERS = 3;

const TIER_NAMES: Record<number, string[]> = {
  1: ['All Customers'],
  2: ['High Value', 'Low Value'],
  3: ['High Value', 'Mid Value', 'Low Value'],
  4: ['Top Value', 'High Value', 'Mid Value', 'Low Value'],
  5: ['Top Value', 'High Value', 'Mid Value', 'Low Value', 'Minimal Value'],
};

/** k tiers by LTV rank, highest first; equal LTVs always share a tier (so ties can leave fewer tiers). */
export function valueTiers(table: CustomerTable, k: number): RuleSegmentation {
  const ltv = table.core.ltv ?? new Float64Array(table.n);
  const n = table.n;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => ltv[b] - ltv[a] || a - b);
  const rawTier = new Int32Array(n);
  for (let position = 0; position < n; position++) {
    const i = order[position];
    const previous = position > 0 ? order[position - 1] : -1;
    rawTier[i] = previous >= 0 && ltv[previous] === ltv[i] ? rawTier[previous] : Math.floor((position * k) / n);
  }
  const { labels, used } = compact(rawTier, k);
  const names = TIER_NAMES[used.length] ?? used.map((_, index) => `Value Tier ${index + 1}`);
  return {
    labels,
    specs: used.map((_, index) => ({ name: names[index], recommendedActions: actionsFor(names[index], { index, count: used.length }) })),
  };
}

const RFM_NAMES = [
  'Champions',
  'Loyal Customers',
  'New Customers',
  'Promising',
  "Can't Lose Them",
  'At Risk',
  'Need Attention',
  'Hibernating',
  'Lost',
] as const;

/** 1–5 quintile score; ties share a score. `higherIsBetter` false for recency (recent = 5). */
export function quintileScores(values: Float64Array, higherIsBetter: boolean): Int32Array {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  return Int32Array.from(values, (value) => {
    const below = lowerBound(sorted, value);
    const above = n - upperBound(sorted, value);
    const better = higherIsBetter ? below : above;
    return Math.min(5, 1 + Math.floor((5 * better) / n));
  });
}

export function rfmName(r: number, f: number, m: number): (typeof RFM_NAMES)[number] {
  if (r >= 4 && f >= 4) return 'Champions';
  if (r >= 3 && f >= 3) return 'Loyal Customers';
  if (r >= 4) return 'New Customers';
  if (r === 3) return 'Promising';
  if (f >= 4) return m >= 4 ? "Can't Lose Them" : 'At Risk';
  if (f === 3) return 'Need Attention';
  return r === 2 ? 'Hibernating' : 'Lost';
}

export function rfmSegments(rows: readonly CustomerRecord[]): RuleSegmentation {
  const column = (field: 'recency' | 'frequency' | 'monetary'): Float64Array => Float64Array.from(rows, (row) => row[field] ?? 0);
  const r = quintileScores(column('recency'), false);
  const f = quintileScores(column('frequency'), true);
  const m = quintileScores(column('monetary'), true);
  const raw = Int32Array.from(rows, (_, i) => RFM_NAMES.indexOf(rfmName(r[i], f[i], m[i])));
  const { labels, used } = compact(raw, RFM_NAMES.length);
  return {
    labels,
    specs: used.map((nameIndex) => ({ name: RFM_NAMES[nameIndex], recommendedActions: actionsFor(RFM_NAMES[nameIndex]) })),
    codes: Array.from(rows, (_, i) => `${r[i]}${f[i]}${m[i]}`),
  };
}

export const LIFECYCLE_RULES = { newWithinDays: 90, atRiskAfterDays: 30, lapsedAfterDays: 90, atRiskChurn: 0.5 } as const;
const LIFECYCLE_NAMES = ['New', 'Active', 'At Risk', 'Lapsed'] as const;

/** Lapsed: no activity for > 90 days; At Risk: > 30 days or churn risk ≥ 0.5; New: tenure ≤ 90 days; else Active. */
export function lifecycleStage(tenure: number, recency: number, churnRisk: number | undefined): (typeof LIFECYCLE_NAMES)[number] {
  if (recency > LIFECYCLE_RULES.lapsedAfterDays) return 'Lapsed';
  if (recency > LIFECYCLE_RULES.atRiskAfterDays || (churnRisk ?? 0) >= LIFECYCLE_RULES.atRiskChurn) return 'At Risk';
  if (tenure <= LIFECYCLE_RULES.newWithinDays) return 'New';
  return 'Active';
}

export function lifecycleSegments(rows: readonly CustomerRecord[], table: CustomerTable): RuleSegmentation {
  const churn = table.core.churn_risk;
  const raw = Int32Array.from(rows, (row, i) =>
    LIFECYCLE_NAMES.indexOf(lifecycleStage(row.tenure ?? 0, row.recency ?? 0, churn ? churn[i] : undefined)),
  );
  const { labels, used } = compact(raw, LIFECYCLE_NAMES.length);
  return { labels, specs: used.map((index) => ({ name: LIFECYCLE_NAMES[index], recommendedActions: actionsFor(LIFECYCLE_NAMES[index]) })) };
}

/** Renumbers labels 0 … k−1 onto only the groups that have members, keeping their order. */
function compact(raw: Int32Array, k: number): { labels: Int32Array; used: number[] } {
  const present = new Uint8Array(k);
  for (const label of raw) present[label] = 1;
  const used: number[] = [];
  const mapping = new Int32Array(k).fill(-1);
  for (let label = 0; label < k; label++) {
    if (present[label]) {
      mapping[label] = used.length;
      used.push(label);
    }
  }
  return { labels: raw.map((label) => mapping[label]), used };
}

function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function upperBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
