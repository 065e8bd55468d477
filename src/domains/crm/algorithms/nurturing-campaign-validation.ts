import { FieldErrorCollector, isMissing, isRecord, listValues, type FieldError } from './field-errors.js';

export const TOUCHPOINT_FREQUENCIES = ['daily', 'twice_weekly', 'weekly', 'biweekly', 'monthly'] as const;
export type TouchpointFrequency = (typeof TOUCHPOINT_FREQUENCIES)[number];

export const MAX_SEGMENTS = 20;
export const MAX_OBJECTIVE_LENGTH = 500;
export const MIN_DURATION_DAYS = 1;
export const MAX_DURATION_DAYS = 365;
export const DEFAULT_DURATION_DAYS = 30;
export const DEFAULT_FREQUENCY: TouchpointFrequency = 'weekly';

export interface NurturingCampaignRequest {
  lead_segments: string[];
  campaign_objective: string;
  duration_days?: number;
  touchpoint_frequency?: string;
  /** First day of the campaign (YYYY-MM-DD); without it day 0 is taken to be a Tuesday. */
  start_date?: string;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The date's weekday (0 = Monday … 6 = Sunday), or undefined when it is not a real YYYY-MM-DD date. */
export function weekdayOfDate(value: string): number | undefined {
  const match = DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (date.getUTCFullYear() !== Number(match[1]) || date.getUTCMonth() !== Number(match[2]) - 1 || date.getUTCDate() !== Number(match[3])) {
    return undefined;
  }
  return (date.getUTCDay() + 6) % 7;
}

/**
 * Field errors of a nurturing-campaign request: 1–20 non-empty segment names (duplicates are dropped, not
 * errors), objective 1–500 characters, duration 1–365 whole days, a known touchpoint frequency.
 */
export function validateNurturingCampaignRequest(body: unknown): FieldError[] {
  const errors = new FieldErrorCollector();
  if (!isRecord(body)) {
    errors.add('body', 'must be an object');
    return errors.errors;
  }
  validateSegments(errors, body.lead_segments);
  const objective = errors.string('campaign_objective', body.campaign_objective, { required: true, nonEmpty: true });
  if (objective !== undefined && objective.trim().length > MAX_OBJECTIVE_LENGTH) {
    errors.add('campaign_objective', `must be at most ${MAX_OBJECTIVE_LENGTH} characters`);
  }
  errors.number('duration_days', body.duration_days, { integer: true, min: MIN_DURATION_DAYS, max: MAX_DURATION_DAYS });
  const frequency = body.touchpoint_frequency;
  if (!isMissing(frequency) && (typeof frequency !== 'string' || !(TOUCHPOINT_FREQUENCIES as readonly string[]).includes(frequency))) {
    errors.add('touchpoint_frequency', `must be one of ${listValues(TOUCHPOINT_FREQUENCIES)}`);
  }
  const start = errors.string('start_date', body.start_date);
  if (start !== undefined && weekdayOfDate(start) === undefined) errors.add('start_date', 'must be a date in the form YYYY-MM-DD');
  return errors.errors;
}

function validateSegments(errors: FieldErrorCollector, value: unknown): void {
  if (isMissing(value)) return errors.add('lead_segments', 'is required');
  if (!Array.isArray(value)) return errors.add('lead_segments', 'must be an array');
  if (value.length === 0) return errors.add('lead_segments', 'must not be empty');
  const distinct = new Set<string>();
  value.forEach((segment: unknown, index) => {
    if (typeof segment !== 'string' || segment.trim() === '') errors.add(`lead_segments[${index}]`, 'must be a non-empty string');
    else distinct.add(segment.trim());
  });
  if (distinct.size > MAX_SEGMENTS) errors.add('lead_segments', `must have at most ${MAX_SEGMENTS} distinct segments`);
}
