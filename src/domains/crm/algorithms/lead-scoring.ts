import { assertValid } from './field-errors.js';
import {
  bandForEmployees,
  classifyEmail,
  COMPANY_NAME_ONLY_VALUE,
  COMPANY_SIZE_VALUE,
  EMAIL_VALUE,
  employeesFromSize,
  NO_COMPANY_VALUE,
  SENIORITY_VALUE,
  seniorityOf,
  type EmailKind,
  type SeniorityLevel,
} from './lead-signals.js';
import { DEFAULT_WEIGHTS, validateLeadScoringRequest, WEIGHT_FIELDS } from './lead-scoring-validation.js';
import { clamp, roundTo } from './stats.js';

export const LEAD_SCORING_MODEL_VERSION = 'crm-lead-scoring/1.0.0';

/** A lead as it arrives on the wire (the reference README's `lead_data`); unknown fields are ignored. */
export interface LeadData {
  lead_id?: string | number;
  id?: string | number;
  email?: string;
  company?: string;
  /** Job title; `title` and `job_title` are accepted when `role` is absent. */
  role?: string;
  title?: string;
  job_title?: string;
  /** Employees, or a band such as "51-200" / "1000+". */
  company_size?: number | string;
  engagement_score?: number;
  website_visits?: number;
  demo_requested?: boolean;
  pricing_page_visits?: number;
  content_downloads?: number;
  days_since_last_activity?: number;
  last_activity_at?: string;
  [field: string]: unknown;
}

export interface ScoringCriteria {
  engagement_weight?: number;
  demographic_weight?: number;
  behavior_weight?: number;
}

export interface LeadScoringRequest {
  lead_data?: LeadData;
  leads?: LeadData[];
  scoring_criteria?: ScoringCriteria;
}

export interface AppliedWeights {
  demographic_weight: number;
  engagement_weight: number;
  behavior_weight: number;
}

export type Grade = 'A' | 'B' | 'C' | 'D';
export type QualificationStatus = 'sales_ready' | 'mql' | 'nurture' | 'disqualified';
export type LeadPriority = 'high' | 'medium' | 'low' | 'none';
export type FactorDirection = 'positive' | 'negative' | 'neutral';

/** One contribution to the score; the points of all factors add up to `lead_score`. */
export interface LeadFactor {
  factor: string;
  value: string | number | boolean | null;
  points: number;
  direction: FactorDirection;
}

export interface LeadScoreResult {
  lead_id: string | null;
  lead_score: number;
  grade: Grade;
  qualification_status: QualificationStatus;
  priority: LeadPriority;
  matrix_cell: string;
  components: { fit: number; engagement: number; behavior: number };
  applied_weights: AppliedWeights;
  factors: LeadFactor[];
  recommended_action: string;
  warnings: string[];
  model_version: string;
  ai_explanation: string | null;
}

export interface RankedLead extends LeadScoreResult {
  rank: number;
  /** Position of the lead in the request's `leads[]`. */
  index: number;
}

export interface LeadRankingResult {
  leads: RankedLead[];
  count: number;
  summary: { by_grade: Record<Grade, number>; by_status: Record<QualificationStatus, number> };
  applied_weights: AppliedWeights;
  warnings: string[];
  model_version: string;
  ai_explanation: string | null;
}

export interface LeadScoringOptions {
  /** Reference time for `last_activity_at`; defaults to the current time. */
  now?: Date;
}

const FIT_SHARE = { seniority: 0.45, email: 0.3, company: 0.25 } as const;
const INTENT_BONUS = { demo_request: 40, pricing_page: 15, content_download: 10 } as const;
const VISITS_AT_FULL_SCORE = 20;
const DECAY_HALF_LIFE_DAYS = 30;
const DAY_MS = 86_400_000;

/** Scores one lead (`lead_data`). Throws CrmValidationError on input that breaks a rule. */
export function scoreLead(lead: LeadData, criteria?: ScoringCriteria, options: LeadScoringOptions = {}): LeadScoreResult {
  assertValid(validateLeadScoringRequest({ lead_data: lead, scoring_criteria: criteria }));
  const weights = resolveWeights(criteria);
  const result = computeLeadScore(lead, weights.applied, options);
  result.warnings.unshift(...weights.warnings);
  return result;
}

/** Scores several leads and ranks them: score, then fit, then request order. */
export function rankLeads(leads: LeadData[], criteria?: ScoringCriteria, options: LeadScoringOptions = {}): LeadRankingResult {
  assertValid(validateLeadScoringRequest({ leads, scoring_criteria: criteria }));
  const weights = resolveWeights(criteria);
  const scored = leads.map((lead, index) => ({ index, result: computeLeadScore(lead, weights.applied, options) }));
  scored.sort(
    (a, b) => b.result.lead_score - a.result.lead_score || b.result.components.fit - a.result.components.fit || a.index - b.index,
  );
  const byGrade: Record<Grade, number> = { A: 0, B: 0, C: 0, D: 0 };
  const byStatus: Record<QualificationStatus, number> = { sales_ready: 0, mql: 0, nurture: 0, disqualified: 0 };
  const ranked = scored.map(({ index, result }, position): RankedLead => {
    byGrade[result.grade] += 1;
    byStatus[result.qualification_status] += 1;
    return { rank: position + 1, index, ...result };
  });
  return {
    leads: ranked,
    count: ranked.length,
    summary: { by_grade: byGrade, by_status: byStatus },
    applied_weights: weights.applied,
    warnings: weights.warnings,
    model_version: LEAD_SCORING_MODEL_VERSION,
    ai_explanation: null,
  };
}

/** The `crm_lead_scoring` operation: one lead (`lead_data`) or a ranked list (`leads[]`). */
export function runLeadScoring(request: LeadScoringRequest, options: LeadScoringOptions = {}): LeadScoreResult | LeadRankingResult {
  assertValid(validateLeadScoringRequest(request));
  return request.leads
    ? rankLeads(request.leads, request.scoring_criteria, options)
    : scoreLead(request.lead_data ?? {}, request.scoring_criteria, options);
}

/** Missing weights take their defaults; weights that do not sum to 1 are normalised (and said so). */
export function resolveWeights(criteria: ScoringCriteria = {}): { applied: AppliedWeights; warnings: string[] } {
  const given = WEIGHT_FIELDS.map((field) => criteria[field] ?? DEFAULT_WEIGHTS[field]);
  // Dividing by the largest first keeps huge weights from overflowing the sum.
  const largest = Math.max(...given);
  const scaled = given.map((weight) => weight / largest);
  const total = scaled.reduce((a, b) => a + b, 0) * largest;
  const needsNormalising = Math.abs(total - 1) > 1e-9;
  const values = needsNormalising ? scaled.map((weight) => weight / (total / largest)) : given;
  const applied: AppliedWeights = { demographic_weight: values[0], engagement_weight: values[1], behavior_weight: values[2] };
  const warnings = needsNormalising
    ? [
        `scoring weights sum to ${roundTo(total, 6)}, not 1; normalised to demographic ${roundTo(values[0], 4)}, ` +
          `engagement ${roundTo(values[1], 4)}, behavior ${roundTo(values[2], 4)}`,
      ]
    : [];
  return { applied, warnings };
}

interface FitSignals {
  seniority: SeniorityLevel;
  emailKind: EmailKind;
  sizeBand: string;
  companyValue: number;
  fit: number;
}

function fitSignals(lead: LeadData): FitSignals {
  const seniority = seniorityOf(lead.role ?? lead.title ?? lead.job_title);
  const emailKind = classifyEmail(lead.email, lead.company);
  const employees = lead.company_size === undefined || lead.company_size === null ? undefined : employeesFromSize(lead.company_size);
  let sizeBand: string;
  let companyValue: number;
  if (employees !== undefined) {
    const band = bandForEmployees(employees);
    sizeBand = band;
    companyValue = COMPANY_SIZE_VALUE[band];
  } else if (lead.company !== undefined && lead.company !== null && lead.company.trim() !== '') {
    sizeBand = 'unknown_size';
    companyValue = COMPANY_NAME_ONLY_VALUE;
  } else {
    sizeBand = 'no_company';
    companyValue = NO_COMPANY_VALUE;
  }
  const fit =
    100 * (FIT_SHARE.seniority * SENIORITY_VALUE[seniority] + FIT_SHARE.email * EMAIL_VALUE[emailKind] + FIT_SHARE.company * companyValue);
  return { seniority, emailKind, sizeBand, companyValue, fit };
}

function activityDays(lead: LeadData, now: Date, warnings: string[]): number | undefined {
  if (typeof lead.days_since_last_activity === 'number') return lead.days_since_last_activity;
  if (typeof lead.last_activity_at !== 'string') return undefined;
  const days = (now.getTime() - Date.parse(lead.last_activity_at)) / DAY_MS;
  if (days < 0) {
    warnings.push('last_activity_at is in the future; treated as activity today');
    return 0;
  }
  return days;
}

function computeLeadScore(lead: LeadData, weights: AppliedWeights, options: LeadScoringOptions): LeadScoreResult {
  const warnings: string[] = [];
  const signals = fitSignals(lead);

  const rawEngagement = typeof lead.engagement_score === 'number' ? lead.engagement_score : undefined;
  if (rawEngagement === undefined) warnings.push('engagement_score is missing; counted as 0');
  else if (rawEngagement < 0 || rawEngagement > 100) warnings.push(`engagement_score ${rawEngagement} clamped to 0–100`);
  const engagement = clamp(rawEngagement ?? 0, 0, 100);

  const visits = typeof lead.website_visits === 'number' ? lead.website_visits : 0;
  if (lead.website_visits === undefined || lead.website_visits === null) warnings.push('website_visits is missing; counted as 0');
  const visitsPart = (100 * Math.log(1 + visits)) / Math.log(1 + VISITS_AT_FULL_SCORE);
  const intents: { factor: keyof typeof INTENT_BONUS; value: number | boolean }[] = [];
  if (lead.demo_requested === true) intents.push({ factor: 'demo_request', value: true });
  if ((lead.pricing_page_visits ?? 0) > 0) intents.push({ factor: 'pricing_page', value: lead.pricing_page_visits ?? 0 });
  if ((lead.content_downloads ?? 0) > 0) intents.push({ factor: 'content_download', value: lead.content_downloads ?? 0 });
  const rawBehavior = visitsPart + intents.reduce((total, intent) => total + INTENT_BONUS[intent.factor], 0);
  const behavior = Math.min(100, rawBehavior);
  // The behaviour cap is shared out over its parts, so the factor points still add up to the score.
  const capScale = rawBehavior > 0 ? behavior / rawBehavior : 0;

  const days = activityDays(lead, options.now ?? new Date(), warnings);
  const decay = days === undefined ? 1 : 0.5 ** (days / DECAY_HALF_LIFE_DAYS);
  const decayedEngagement = engagement * decay;
  const decayedBehavior = behavior * decay;

  const score =
    weights.demographic_weight * signals.fit + weights.engagement_weight * decayedEngagement + weights.behavior_weight * decayedBehavior;
  const leadScore = roundTo(score, 1);
  const fit = roundTo(signals.fit, 1);

  const factors: LeadFactor[] = [
    factor(
      'seniority',
      signals.seniority,
      weights.demographic_weight * 100 * FIT_SHARE.seniority * SENIORITY_VALUE[signals.seniority],
      SENIORITY_VALUE[signals.seniority],
    ),
    factor(
      'email_domain',
      signals.emailKind,
      weights.demographic_weight * 100 * FIT_SHARE.email * EMAIL_VALUE[signals.emailKind],
      EMAIL_VALUE[signals.emailKind],
    ),
    factor(
      'company_size',
      signals.sizeBand,
      weights.demographic_weight * 100 * FIT_SHARE.company * signals.companyValue,
      signals.companyValue,
    ),
    factor('engagement', rawEngagement ?? null, weights.engagement_weight * engagement, engagement / 100),
    factor('website_visits', visits, weights.behavior_weight * visitsPart * capScale, Math.min(1, visitsPart / 100)),
    ...intents.map((intent) => factor(intent.factor, intent.value, weights.behavior_weight * INTENT_BONUS[intent.factor] * capScale, 1)),
  ];
  if (days !== undefined) {
    const lost = (weights.engagement_weight * engagement + weights.behavior_weight * behavior) * (1 - decay);
    factors.push({
      factor: 'recency_decay',
      value: roundTo(days, 1),
      points: roundTo(-lost, 2),
      direction: lost > 0 ? 'negative' : 'neutral',
    });
  }

  const interestWeight = weights.engagement_weight + weights.behavior_weight;
  const interest =
    interestWeight > 0
      ? (weights.engagement_weight * decayedEngagement + weights.behavior_weight * decayedBehavior) / interestWeight
      : (decayedEngagement + decayedBehavior) / 2;
  const grade = gradeOf(leadScore);
  const status = statusOf(leadScore, fit, signals);
  return {
    lead_id:
      lead.lead_id !== undefined && lead.lead_id !== null
        ? String(lead.lead_id)
        : lead.id !== undefined && lead.id !== null
          ? String(lead.id)
          : null,
    lead_score: leadScore,
    grade,
    qualification_status: status,
    priority: PRIORITY[status],
    matrix_cell: `${letterAt(fit)}${digitAt(roundTo(interest, 1))}`,
    components: { fit, engagement: roundTo(decayedEngagement, 1), behavior: roundTo(decayedBehavior, 1) },
    applied_weights: weights,
    factors,
    recommended_action: recommendedAction(status, signals, fit),
    warnings,
    model_version: LEAD_SCORING_MODEL_VERSION,
    ai_explanation: null,
  };
}

function factor(name: string, value: string | number | boolean | null, points: number, quality: number): LeadFactor {
  const direction: FactorDirection = quality >= 0.6 ? 'positive' : quality <= 0.3 ? 'negative' : 'neutral';
  return { factor: name, value, points: roundTo(points, 2), direction };
}

const PRIORITY: Record<QualificationStatus, LeadPriority> = { sales_ready: 'high', mql: 'medium', nurture: 'low', disqualified: 'none' };

export function gradeOf(score: number): Grade {
  if (score >= 80) return 'A';
  if (score >= 60) return 'B';
  if (score >= 40) return 'C';
  return 'D';
}

function statusOf(score: number, fit: number, signals: FitSignals): QualificationStatus {
  // Disqualification wins: a disposable address or a student is not a buyer however engaged.
  if (signals.emailKind === 'disposable' || signals.seniority === 'student') return 'disqualified';
  if (score >= 80 && fit >= 60) return 'sales_ready';
  if (score >= 60 && fit >= 40) return 'mql';
  return 'nurture';
}

function letterAt(fit: number): 'A' | 'B' | 'C' {
  return fit >= 70 ? 'A' : fit >= 40 ? 'B' : 'C';
}

function digitAt(interest: number): 1 | 2 | 3 {
  return interest >= 70 ? 1 : interest >= 40 ? 2 : 3;
}

function recommendedAction(status: QualificationStatus, signals: FitSignals, fit: number): string {
  switch (status) {
    case 'sales_ready':
      return 'Route to sales now: call within one business day.';
    case 'mql':
      return 'Hand to an SDR to qualify, then book a discovery call.';
    case 'nurture':
      return fit >= 70
        ? 'Good fit but low interest: enrol in a nurturing track and re-score on new activity.'
        : 'Keep in low-touch nurturing; re-score when fit or activity changes.';
    case 'disqualified':
      return signals.emailKind === 'disposable'
        ? 'Disqualify: disposable email address; ask for a business email before any follow-up.'
        : 'Disqualify: a student is not a buyer; keep out of sales queues.';
  }
}
