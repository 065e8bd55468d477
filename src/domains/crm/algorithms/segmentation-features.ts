/**
 * Turns customer rows into columns: the core fields (ltv, engagement_score, churn_risk) with missing values
 * imputed by the median, any other field numeric on every row, and the standardised behavioural matrix.
 */
import type { CustomerRecord } from './customer-segmentation-validation.js';
import { median, populationStd, mean } from './stats.js';

export const CORE_FIELDS = ['ltv', 'engagement_score', 'churn_risk'] as const;
export type CoreField = (typeof CORE_FIELDS)[number];

export interface Column {
  name: string;
  values: Float64Array;
}

export interface CustomerTable {
  n: number;
  ids: (string | number)[];
  /** Imputed core columns; null when no customer has the field. */
  core: Record<CoreField, Float64Array | null>;
  /** Other fields that are a finite number on every row, in first-row key order. */
  extras: Column[];
  warnings: string[];
}

export function buildCustomerTable(rows: readonly CustomerRecord[]): CustomerTable {
  const n = rows.length;
  const warnings: string[] = [];
  const core = {} as Record<CoreField, Float64Array | null>;
  for (const field of CORE_FIELDS) core[field] = imputedColumn(rows, field, warnings);
  return { n, ids: rows.map((row) => row.customer_id), core, extras: extraColumns(rows), warnings };
}

function imputedColumn(rows: readonly CustomerRecord[], field: CoreField, warnings: string[]): Float64Array | null {
  const n = rows.length;
  const values = new Float64Array(n);
  const present: number[] = [];
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const value = rows[i][field];
    if (typeof value === 'number') {
      values[i] = value;
      present.push(value);
    } else {
      values[i] = Number.NaN;
      missing++;
    }
  }
  if (present.length === 0) {
    warnings.push(`no customer has ${field}; it is not used`);
    return null;
  }
  if (missing > 0) {
    const fill = median(present);
    for (let i = 0; i < n; i++) if (Number.isNaN(values[i])) values[i] = fill;
    warnings.push(`${missing} customer(s) missing ${field}; imputed with the median ${round(fill)}`);
  }
  return values;
}

function extraColumns(rows: readonly CustomerRecord[]): Column[] {
  const skip = new Set<string>(['customer_id', ...CORE_FIELDS]);
  const candidates = Object.keys(rows[0]).filter((key) => !skip.has(key) && isFiniteNumber(rows[0][key]));
  const columns: Column[] = [];
  for (const name of candidates) {
    const values = new Float64Array(rows.length);
    let complete = true;
    for (let i = 0; i < rows.length; i++) {
      const value = rows[i][name];
      if (!isFiniteNumber(value)) {
        complete = false;
        break;
      }
      values[i] = value;
    }
    if (complete) columns.push({ name, values });
  }
  return columns;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export interface FeatureMatrix {
  /** n × d, row-major, standardised. */
  data: Float64Array;
  d: number;
  features: string[];
}

/** Behavioural features [ln(1+ltv), engagement, churn risk, extras…], z-scored, zero-spread ones dropped. */
export function behavioralMatrix(table: CustomerTable, warnings: string[]): FeatureMatrix {
  const columns: Column[] = [];
  if (table.core.ltv) columns.push({ name: 'ln_ltv', values: table.core.ltv.map((value) => Math.log1p(value)) });
  if (table.core.engagement_score) columns.push({ name: 'engagement_score', values: table.core.engagement_score });
  if (table.core.churn_risk) columns.push({ name: 'churn_risk', values: table.core.churn_risk });
  columns.push(...table.extras);
  const kept: { name: string; values: Float64Array; mean: number; std: number }[] = [];
  for (const column of columns) {
    const std = populationStd(column.values);
    if (!(std > 1e-12)) {
      warnings.push(`${column.name} has the same value for every customer; not used for clustering`);
      continue;
    }
    kept.push({ ...column, mean: mean(column.values), std });
  }
  const n = table.n;
  const d = kept.length;
  const data = new Float64Array(n * d);
  kept.forEach((column, j) => {
    for (let i = 0; i < n; i++) data[i * d + j] = (column.values[i] - column.mean) / column.std;
  });
  return { data, d, features: kept.map((column) => column.name) };
}

/** Number of distinct rows, counting no further than `cap`. */
export function distinctRows(matrix: FeatureMatrix, n: number, cap: number): number {
  const seen = new Set<string>();
  const { data, d } = matrix;
  for (let i = 0; i < n && seen.size < cap; i++) seen.add(Array.prototype.join.call(data.subarray(i * d, i * d + d), ','));
  return seen.size;
}

/** z-score of each value of a column against the column's own mean and spread (0 when it has none). */
export function zScores(values: Float64Array): Float64Array {
  const m = mean(values);
  const std = populationStd(values);
  return values.map((value) => (std > 1e-12 ? (value - m) / std : 0));
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
