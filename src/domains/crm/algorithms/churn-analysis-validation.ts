import { FieldErrorCollector, isMissing, isRecord, type FieldError } from './field-errors.js';
import { MAX_CUSTOMERS } from './customer-segmentation-validation.js';

export interface ChurnCustomer {
  customer_id: string | number;
  ltv?: number | null;
  days_since_last_activity?: number | null;
  /** ISO date of the last activity; used when days_since_last_activity is absent. */
  last_activity_at?: string | null;
  engagement_score?: number | null;
  /** Change of the engagement score over the last period, in points (negative = falling). */
  engagement_trend?: number | null;
  support_tickets?: number | null;
  payment_failures?: number | null;
  tenure_days?: number | null;
  /** A churn probability from elsewhere (0–1); it pulls the score halfway towards itself. */
  churn_risk?: number | null;
  [field: string]: unknown;
}

export interface ChurnAnalysisRequest {
  customer_data: ChurnCustomer[];
  /** Return only the first N of the ranking (the summary still covers everyone). */
  top_n?: number;
}

/** Each numeric field's range (the input DTO's schema is built from the same table). */
export const CHURN_RANGES: Readonly<Record<string, { min: number; max?: number }>> = {
  ltv: { min: 0 },
  days_since_last_activity: { min: 0 },
  engagement_score: { min: 0, max: 100 },
  engagement_trend: { min: -100, max: 100 },
  support_tickets: { min: 0 },
  payment_failures: { min: 0 },
  tenure_days: { min: 0 },
  churn_risk: { min: 0, max: 1 },
};

export function validateChurnAnalysisRequest(body: unknown): FieldError[] {
  const errors = new FieldErrorCollector();
  if (!isRecord(body)) {
    errors.add('body', 'must be an object');
    return errors.errors;
  }
  errors.number('top_n', body.top_n, { integer: true, min: 1 });
  const rows = body.customer_data;
  if (isMissing(rows)) errors.add('customer_data', 'is required');
  else if (!Array.isArray(rows)) errors.add('customer_data', 'must be an array');
  else if (rows.length === 0) errors.add('customer_data', 'must not be empty');
  else if (rows.length > MAX_CUSTOMERS) errors.add('customer_data', `must have at most ${MAX_CUSTOMERS} items`);
  else validateRows(errors, rows);
  return errors.errors;
}

function validateRows(errors: FieldErrorCollector, rows: unknown[]): void {
  const firstIndexOf = new Map<string, number>();
  for (let index = 0; index < rows.length && !errors.full; index++) {
    const row = rows[index];
    const path = `customer_data[${index}]`;
    if (!isRecord(row)) {
      errors.add(path, 'must be an object');
      continue;
    }
    const id = row.customer_id;
    if (isMissing(id)) errors.add(`${path}.customer_id`, 'is required');
    else if ((typeof id !== 'string' || id.trim() === '') && (typeof id !== 'number' || !Number.isFinite(id))) {
      errors.add(`${path}.customer_id`, 'must be a non-empty string or a number');
    } else {
      const first = firstIndexOf.get(String(id));
      if (first !== undefined) errors.add(`${path}.customer_id`, `duplicates customer_data[${first}].customer_id "${String(id)}"`);
      else firstIndexOf.set(String(id), index);
    }
    for (const [field, range] of Object.entries(CHURN_RANGES)) errors.number(`${path}.${field}`, row[field], range);
    const lastActivity = errors.string(`${path}.last_activity_at`, row.last_activity_at);
    if (lastActivity !== undefined && Number.isNaN(Date.parse(lastActivity)))
      errors.add(`${path}.last_activity_at`, 'must be an ISO 8601 date');
  }
}
