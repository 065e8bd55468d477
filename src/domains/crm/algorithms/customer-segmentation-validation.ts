import { FieldErrorCollector, isMissing, isRecord, listValues, type FieldError } from './field-errors.js';

export const SEGMENTATION_TYPES = ['behavioral', 'value_based', 'rfm', 'lifecycle'] as const;
export type SegmentationType = (typeof SEGMENTATION_TYPES)[number];

export const MIN_SEGMENT_COUNT = 1;
export const MAX_SEGMENT_COUNT = 10;
/** Most customers one request may segment (the complex tier is 100K). */
export const MAX_CUSTOMERS = 250_000;

/** A customer as it arrives on the wire; numeric fields beyond these join behavioural clustering. */
export interface CustomerRecord {
  customer_id: string | number;
  ltv?: number | null;
  engagement_score?: number | null;
  churn_risk?: number | null;
  /** Days since the last purchase or activity (rfm, lifecycle). */
  recency?: number | null;
  /** Purchases in the period (rfm). */
  frequency?: number | null;
  /** Spend in the period (rfm). */
  monetary?: number | null;
  /** Days since the customer started (lifecycle). */
  tenure?: number | null;
  [field: string]: unknown;
}

export interface SegmentationRequest {
  customer_data: CustomerRecord[];
  segmentation_type?: string;
  segment_count?: number;
}

/** Fields each rule-based type needs on every customer. */
export const REQUIRED_FIELDS: Record<SegmentationType, readonly string[]> = {
  behavioral: [],
  value_based: [],
  rfm: ['recency', 'frequency', 'monetary'],
  lifecycle: ['tenure', 'recency'],
};

/** Each numeric field's range (the input DTO's schema is built from the same table). */
export const CUSTOMER_RANGES: Readonly<Record<string, { min: number; max?: number }>> = {
  ltv: { min: 0 },
  engagement_score: { min: 0, max: 100 },
  churn_risk: { min: 0, max: 1 },
  recency: { min: 0 },
  frequency: { min: 0 },
  monetary: { min: 0 },
  tenure: { min: 0 },
};

/**
 * Field errors of a segmentation request (`customer_data[], segmentation_type?, segment_count?`), with wire
 * paths such as `customer_data[3].ltv`. Missing ltv/engagement/churn values are not errors (they are imputed).
 */
export function validateSegmentationRequest(body: unknown): FieldError[] {
  const errors = new FieldErrorCollector();
  if (!isRecord(body)) {
    errors.add('body', 'must be an object');
    return errors.errors;
  }
  const type = validateType(errors, body.segmentation_type);
  const rows = validateRows(errors, body.customer_data, type);
  const count = errors.number('segment_count', body.segment_count, { integer: true, min: MIN_SEGMENT_COUNT, max: MAX_SEGMENT_COUNT });
  if (count !== undefined && rows !== undefined && count > rows) {
    errors.add('segment_count', `must not exceed the number of customers (${rows})`);
  }
  return errors.errors;
}

function validateType(errors: FieldErrorCollector, value: unknown): SegmentationType | undefined {
  if (isMissing(value)) return 'behavioral';
  if (typeof value === 'string' && (SEGMENTATION_TYPES as readonly string[]).includes(value)) return value as SegmentationType;
  errors.add('segmentation_type', `must be one of ${listValues(SEGMENTATION_TYPES)}`);
  return undefined;
}

/** Answers the number of rows when the array itself is usable. */
function validateRows(errors: FieldErrorCollector, value: unknown, type: SegmentationType | undefined): number | undefined {
  if (isMissing(value)) {
    errors.add('customer_data', 'is required');
    return undefined;
  }
  if (!Array.isArray(value)) {
    errors.add('customer_data', 'must be an array');
    return undefined;
  }
  if (value.length === 0) {
    errors.add('customer_data', 'must not be empty');
    return undefined;
  }
  if (value.length > MAX_CUSTOMERS) {
    errors.add('customer_data', `must have at most ${MAX_CUSTOMERS} items`);
    return undefined;
  }
  const required = type ? REQUIRED_FIELDS[type] : [];
  const firstIndexOf = new Map<string, number>();
  let withLtv = 0;
  for (let index = 0; index < value.length && !errors.full; index++) {
    const row: unknown = value[index];
    const path = `customer_data[${index}]`;
    if (!isRecord(row)) {
      errors.add(path, 'must be an object');
      continue;
    }
    validateCustomerId(errors, path, row.customer_id, firstIndexOf, index);
    for (const [field, range] of Object.entries(CUSTOMER_RANGES)) {
      const raw = row[field];
      if (isMissing(raw)) {
        if (required.includes(field)) errors.add(`${path}.${field}`, `is required for ${type ?? ''} segmentation`);
        continue;
      }
      errors.number(`${path}.${field}`, raw, range);
    }
    if (!isMissing(row.ltv)) withLtv++;
  }
  if (type === 'value_based' && withLtv === 0 && !errors.hasErrors) {
    errors.add('customer_data[0].ltv', 'is required for value_based segmentation (no customer has one)');
  }
  return value.length;
}

function validateCustomerId(
  errors: FieldErrorCollector,
  path: string,
  id: unknown,
  firstIndexOf: Map<string, number>,
  index: number,
): void {
  if (isMissing(id)) return errors.add(`${path}.customer_id`, 'is required');
  if ((typeof id !== 'string' || id.trim() === '') && (typeof id !== 'number' || !Number.isFinite(id))) {
    return errors.add(`${path}.customer_id`, 'must be a non-empty string or a number');
  }
  const key = String(id);
  const first = firstIndexOf.get(key);
  if (first !== undefined) return errors.add(`${path}.customer_id`, `duplicates customer_data[${first}].customer_id "${key}"`);
  firstIndexOf.set(key, index);
}
