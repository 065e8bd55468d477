/**
 * The `crm_customer_segmentation` operation. Behavioural segmentation clusters the standardised features with
 * k-means (k-means++, seeds 0–9, keep the lowest inertia), chooses k by silhouette on a fixed sample when no
 * `segment_count` is given, and numbers clusters by descending mean LTV so ids are stable run to run.
 */
import { assertValid } from './field-errors.js';
import {
  MAX_SEGMENT_COUNT,
  validateSegmentationRequest,
  type CustomerRecord,
  type SegmentationRequest,
  type SegmentationType,
} from './customer-segmentation-validation.js';
import { DEFAULT_KMEANS_SEEDS, kMeans } from './kmeans.js';
import { DEFAULT_VALUE_TIERS, lifecycleSegments, rfmSegments, valueTiers, type RuleSegmentation } from './rule-based-segmentation.js';
import { createSeededRandom, sampleIndices } from './seeded-random.js';
import { actionsFor, behavioralName, buildSegments, groupByLabel, suffixDuplicates, type Segment } from './segment-profiles.js';
import {
  behavioralMatrix,
  buildCustomerTable,
  distinctRows,
  zScores,
  type CustomerTable,
  type FeatureMatrix,
} from './segmentation-features.js';
import { silhouetteScore } from './silhouette.js';
import { roundTo } from './stats.js';

export const SEGMENTATION_MODEL_VERSION = 'crm-customer-segmentation/1.0.0';
/** Rows the silhouette (and the choice of k) is computed on. */
export const SILHOUETTE_SAMPLE_SIZE = 2_000;
const SAMPLE_SEED = 0;
const MAX_AUTO_K = 8;

export interface SegmentAssignment {
  customer_id: string | number;
  segment_id: number;
  /** RFM code (recency, frequency, monetary quintiles), rfm only. */
  rfm_score?: string;
}

export interface SegmentationQuality {
  k_requested: number | null;
  k_used: number;
  silhouette: number | null;
  inertia: number | null;
  suggested_k: number | null;
  seeds: number[];
  /** Features the clustering used (standardised), behavioural only. */
  features: string[];
}

export interface SegmentationResult {
  segmentation_type: SegmentationType;
  segments: Segment[];
  assignments: SegmentAssignment[];
  quality: SegmentationQuality;
  warnings: string[];
  model_version: string;
  ai_summary: string | null;
}

/** Segments customers; throws CrmValidationError on input that breaks a rule. */
export function segmentCustomers(request: SegmentationRequest): SegmentationResult {
  assertValid(validateSegmentationRequest(request));
  const type = (request.segmentation_type ?? 'behavioral') as SegmentationType;
  const rows = request.customer_data;
  const table = buildCustomerTable(rows);
  const warnings = [...table.warnings];
  const requested = request.segment_count ?? null;
  if (type === 'behavioral') return behavioral(table, requested, warnings);
  let rule: RuleSegmentation;
  switch (type) {
    case 'value_based':
      rule = valueTiers(table, requested ?? DEFAULT_VALUE_TIERS);
      if (requested !== null && rule.specs.length < requested) {
        warnings.push(
          `only ${rule.specs.length} distinct LTV tier(s) possible (customers share LTVs); segment_count lowered from ${requested}`,
        );
      }
      break;
    case 'rfm':
      rule = rfmSegments(rows);
      break;
    case 'lifecycle':
      rule = lifecycleSegments(rows, table);
      break;
  }
  if (requested !== null && type !== 'value_based') warnings.push(`segment_count is ignored for ${type} segmentation`);
  return {
    segmentation_type: type,
    segments: buildSegments(table, rule.labels, rule.specs),
    assignments: assignments(rows, rule.labels, rule.codes),
    quality: {
      k_requested: requested,
      k_used: rule.specs.length,
      silhouette: null,
      inertia: null,
      suggested_k: null,
      seeds: [],
      features: [],
    },
    warnings,
    model_version: SEGMENTATION_MODEL_VERSION,
    ai_summary: null,
  };
}

function behavioral(table: CustomerTable, requested: number | null, warnings: string[]): SegmentationResult {
  const matrix = behavioralMatrix(table, warnings);
  const n = table.n;
  const distinct = matrix.d === 0 ? 1 : distinctRows(matrix, n, MAX_SEGMENT_COUNT);
  const sample = sampleMatrix(matrix, n);
  const maxAuto = Math.min(MAX_AUTO_K, n - 1, distinct);
  const suggestedK = maxAuto >= 2 ? bestSilhouetteK(sample, maxAuto) : null;

  let kUsed: number;
  if (requested !== null) {
    kUsed = Math.min(requested, distinct);
    if (kUsed < requested)
      warnings.push(`only ${distinct} distinct customer profile(s); segment_count lowered from ${requested} to ${kUsed}`);
  } else if (suggestedK !== null) {
    kUsed = suggestedK;
  } else {
    kUsed = 1;
    warnings.push('too few distinct customers to choose a segment count; all customers form one segment');
  }

  const clustering =
    kUsed > 1 && matrix.d > 0 ? kMeans(matrix.data, n, matrix.d, kUsed) : { labels: new Int32Array(n), inertia: totalSquares(matrix, n) };
  const labels = renumberByValue(table, clustering.labels, kUsed);
  const sampleLabels = Int32Array.from(sample.indices, (i) => labels[i]);
  const silhouette = kUsed > 1 ? silhouetteScore(sample.data, sample.m, matrix.d, sampleLabels, kUsed) : null;

  const centres = centreZScores(table, labels, kUsed);
  const names = suffixDuplicates(centres.map((centre) => (kUsed === 1 ? 'All Customers' : behavioralName(centre))));
  const segments = buildSegments(
    table,
    labels,
    names.map((name) => ({ name, recommendedActions: actionsFor(name) })),
  );
  return {
    segmentation_type: 'behavioral',
    segments,
    assignments: assignments(table.ids, labels),
    quality: {
      k_requested: requested,
      k_used: kUsed,
      silhouette: silhouette === null ? null : roundTo(silhouette, 4),
      inertia: roundTo(clustering.inertia, 4),
      suggested_k: suggestedK,
      seeds: kUsed > 1 && matrix.d > 0 ? [...DEFAULT_KMEANS_SEEDS] : [],
      features: matrix.features,
    },
    warnings,
    model_version: SEGMENTATION_MODEL_VERSION,
    ai_summary: null,
  };
}

interface Sample {
  indices: Int32Array;
  data: Float64Array;
  m: number;
}

/** A fixed (seeded) sample of at most SILHOUETTE_SAMPLE_SIZE rows, in input order. */
function sampleMatrix(matrix: FeatureMatrix, n: number): Sample {
  const indices = sampleIndices(n, SILHOUETTE_SAMPLE_SIZE, createSeededRandom(SAMPLE_SEED));
  const { d } = matrix;
  const data = new Float64Array(indices.length * d);
  indices.forEach((row, position) => data.set(matrix.data.subarray(row * d, row * d + d), position * d));
  return { indices, data, m: indices.length };
}

/** k in 2 … maxK with the best silhouette of a k-means on the sample; ties go to the smaller k. */
function bestSilhouetteK(sample: Sample, maxK: number): number | null {
  const d = sample.data.length / sample.m;
  let best: { k: number; score: number } | null = null;
  for (let k = 2; k <= Math.min(maxK, sample.m - 1); k++) {
    const { labels } = kMeans(sample.data, sample.m, d, k);
    const score = silhouetteScore(sample.data, sample.m, d, labels, k);
    if (score !== null && (best === null || score > best.score + 1e-12)) best = { k, score };
  }
  return best?.k ?? null;
}

function totalSquares(matrix: FeatureMatrix, n: number): number {
  // Standardised features have mean 0, so the one-cluster inertia is the sum of squares.
  let total = 0;
  for (let i = 0; i < n * matrix.d; i++) total += matrix.data[i] ** 2;
  return total;
}

/** Cluster order: mean LTV descending, then engagement descending, churn risk ascending, first member. */
function renumberByValue(table: CustomerTable, labels: Int32Array, k: number): Int32Array {
  const groups = groupByLabel(labels, k);
  const average = (values: Float64Array | null, members: Int32Array): number => {
    if (!values || members.length === 0) return 0;
    let total = 0;
    for (const i of members) total += values[i];
    return total / members.length;
  };
  const keys = groups.map((members, label) => ({
    label,
    ltv: average(table.core.ltv, members),
    engagement: average(table.core.engagement_score, members),
    churn: average(table.core.churn_risk, members),
    first: members.length > 0 ? members[0] : Number.MAX_SAFE_INTEGER,
  }));
  keys.sort((a, b) => b.ltv - a.ltv || b.engagement - a.engagement || a.churn - b.churn || a.first - b.first);
  const mapping = new Int32Array(k);
  keys.forEach((key, position) => (mapping[key.label] = position));
  return labels.map((label) => mapping[label]);
}

function centreZScores(table: CustomerTable, labels: Int32Array, k: number): { v: number; e: number; r: number }[] {
  const z = (values: Float64Array | null): Float64Array => (values ? zScores(values) : new Float64Array(table.n));
  const v = z(table.core.ltv ? table.core.ltv.map(Math.log1p) : null);
  const e = z(table.core.engagement_score);
  const r = z(table.core.churn_risk);
  return groupByLabel(labels, k).map((members) => {
    const centre = { v: 0, e: 0, r: 0 };
    for (const i of members) {
      centre.v += v[i];
      centre.e += e[i];
      centre.r += r[i];
    }
    const size = Math.max(1, members.length);
    return { v: centre.v / size, e: centre.e / size, r: centre.r / size };
  });
}

function assignments(
  source: readonly CustomerRecord[] | readonly (string | number)[],
  labels: Int32Array,
  codes?: string[],
): SegmentAssignment[] {
  return source.map((item, i) => {
    const assignment: SegmentAssignment = { customer_id: typeof item === 'object' ? item.customer_id : item, segment_id: labels[i] + 1 };
    if (codes) assignment.rfm_score = codes[i];
    return assignment;
  });
}
