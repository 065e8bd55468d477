import { FieldErrorCollector, isMissing, isRecord, type FieldError } from './field-errors.js';
import { employeesFromSize, isEmailAddress } from './lead-signals.js';

/** Most leads one request may rank. */
export const MAX_LEADS = 10_000;

export const DEFAULT_WEIGHTS = { demographic_weight: 0.4, engagement_weight: 0.3, behavior_weight: 0.3 } as const;
export const WEIGHT_FIELDS = ['demographic_weight', 'engagement_weight', 'behavior_weight'] as const;

/**
 * Field errors of a lead-scoring request (`{lead_data | leads[], scoring_criteria?}`), with wire paths such as
 * `leads[2].email` or `scoring_criteria.behavior_weight`. Empty when the request can be scored.
 */
export function validateLeadScoringRequest(body: unknown): FieldError[] {
  const errors = new FieldErrorCollector();
  if (!isRecord(body)) {
    errors.add('body', 'must be an object');
    return errors.errors;
  }
  const hasSingle = !isMissing(body.lead_data);
  const hasMany = !isMissing(body.leads);
  if (!hasSingle && !hasMany) errors.add('lead_data', 'is required (or send several leads as leads[])');
  if (hasSingle && hasMany) errors.add('leads', 'send either lead_data or leads, not both');
  if (hasSingle) {
    const lead = errors.record('lead_data', body.lead_data);
    if (lead) validateLead(errors, 'lead_data', lead);
  }
  if (hasMany) validateLeads(errors, body.leads);
  validateCriteria(errors, body.scoring_criteria);
  return errors.errors;
}

function validateLeads(errors: FieldErrorCollector, leads: unknown): void {
  if (!Array.isArray(leads)) return errors.add('leads', 'must be an array');
  if (leads.length === 0) return errors.add('leads', 'must not be empty');
  if (leads.length > MAX_LEADS) return errors.add('leads', `must have at most ${MAX_LEADS} items`);
  leads.forEach((lead: unknown, index) => {
    if (isRecord(lead)) validateLead(errors, `leads[${index}]`, lead);
    else errors.add(`leads[${index}]`, 'must be an object');
  });
}

function validateLead(errors: FieldErrorCollector, prefix: string, lead: Record<string, unknown>): void {
  for (const key of ['lead_id', 'id']) {
    const value = lead[key];
    if (!isMissing(value) && typeof value !== 'string' && typeof value !== 'number')
      errors.add(`${prefix}.${key}`, 'must be a string or a number');
  }
  const email = errors.string(`${prefix}.email`, lead.email);
  if (email !== undefined && !isEmailAddress(email)) errors.add(`${prefix}.email`, 'must be a valid email address');
  for (const key of ['company', 'role', 'title', 'job_title']) errors.string(`${prefix}.${key}`, lead[key]);
  const size = lead.company_size;
  if (!isMissing(size) && ((typeof size !== 'number' && typeof size !== 'string') || employeesFromSize(size) === undefined)) {
    errors.add(`${prefix}.company_size`, 'must be a number of employees (≥ 0) or a band such as "51-200" or "1000+"');
  }
  errors.number(`${prefix}.engagement_score`, lead.engagement_score);
  errors.number(`${prefix}.website_visits`, lead.website_visits, { min: 0 });
  errors.boolean(`${prefix}.demo_requested`, lead.demo_requested);
  errors.number(`${prefix}.pricing_page_visits`, lead.pricing_page_visits, { min: 0 });
  errors.number(`${prefix}.content_downloads`, lead.content_downloads, { min: 0 });
  errors.number(`${prefix}.days_since_last_activity`, lead.days_since_last_activity, { min: 0 });
  const lastActivity = errors.string(`${prefix}.last_activity_at`, lead.last_activity_at);
  if (lastActivity !== undefined && Number.isNaN(Date.parse(lastActivity)))
    errors.add(`${prefix}.last_activity_at`, 'must be an ISO 8601 date');
}

function validateCriteria(errors: FieldErrorCollector, value: unknown): void {
  const criteria = errors.record('scoring_criteria', value);
  if (!criteria) return;
  let total = 0;
  let usable = true;
  for (const field of WEIGHT_FIELDS) {
    const raw = criteria[field];
    const weight = errors.number(`scoring_criteria.${field}`, raw, { min: 0 });
    if (weight === undefined && !isMissing(raw)) usable = false;
    total += weight ?? DEFAULT_WEIGHTS[field];
  }
  if (usable && total === 0) errors.add('scoring_criteria', 'at least one weight must be greater than 0');
}
