/**
 * The `analyze_customer_churn` operation: a transparent, hand-set logistic churn-risk model.
 *
 *   log-odds z = β0 + Σ contributions,  churn_probability = 1 / (1 + e^(−z)),  β0 = logit(0.15)
 *
 * A customer with no signals (or only typical ones) sits at the 15% base rate. Contributions, in log-odds:
 *   inactivity        +0.5 per 30 days since the last activity beyond 30 (−0.5 when active today), days capped at 180
 *   engagement level  +0.03 per point below 50 of engagement_score (−1.5 at 100, +1.5 at 0)
 *   engagement trend  −0.04 per point of change (a 25-point fall adds +1.0), capped at ±50 points
 *   support tickets   +0.25 per ticket, capped at 8 tickets
 *   payment failures  +0.9 per failed payment, capped at 3
 *   tenure            −0.25 per year as a customer, capped at 3 years (long-standing customers churn less)
 *   prior churn_risk  half the distance, in log-odds, from the base rate to the supplied probability (clamped to 1–99%)
 * A missing signal contributes 0. The weights are fixed (not fitted), so every score can be explained term by
 * term: the top drivers of each customer are its largest contributions. Revenue at risk = ltv × probability.
 */
import { assertValid } from './field-errors.js';
import { validateChurnAnalysisRequest, type ChurnAnalysisRequest, type ChurnCustomer } from './churn-analysis-validation.js';
import { clamp, logit, roundTo, sigmoid } from './stats.js';

export const CHURN_MODEL_VERSION = 'crm-churn-risk/1.0.0';
export const BASE_RATE = 0.15;
export const HIGH_RISK = 0.6;
export const MEDIUM_RISK = 0.3;
const DAY_MS = 86_400_000;

export type ChurnSignal =
  'inactivity' | 'engagement_level' | 'engagement_trend' | 'support_tickets' | 'payment_failures' | 'tenure' | 'prior_churn_risk';

export interface ChurnCoefficient {
  signal: ChurnSignal;
  field: string;
  weight: number;
  description: string;
}

export const CHURN_COEFFICIENTS: readonly ChurnCoefficient[] = [
  {
    signal: 'inactivity',
    field: 'days_since_last_activity',
    weight: 0.5,
    description: 'per 30 days inactive beyond 30 (days capped at 180)',
  },
  { signal: 'engagement_level', field: 'engagement_score', weight: 0.03, description: 'per point below 50' },
  { signal: 'engagement_trend', field: 'engagement_trend', weight: -0.04, description: 'per point of change (capped at ±50)' },
  { signal: 'support_tickets', field: 'support_tickets', weight: 0.25, description: 'per ticket (capped at 8)' },
  { signal: 'payment_failures', field: 'payment_failures', weight: 0.9, description: 'per failed payment (capped at 3)' },
  { signal: 'tenure', field: 'tenure_days', weight: -0.25, description: 'per year as a customer (capped at 3)' },
  { signal: 'prior_churn_risk', field: 'churn_risk', weight: 0.5, description: 'share of the log-odds gap to the supplied churn_risk' },
];

export type RiskBand = 'high' | 'medium' | 'low';

export interface ChurnDriver {
  signal: ChurnSignal;
  value: number;
  contribution: number;
  effect: 'raises' | 'lowers';
}

export interface ChurnCustomerResult {
  rank: number;
  customer_id: string | number;
  churn_probability: number;
  risk_band: RiskBand;
  ltv: number | null;
  revenue_at_risk: number | null;
  drivers: ChurnDriver[];
  missing_signals: string[];
  recommended_action: string;
}

export interface ChurnAnalysisResult {
  customers: ChurnCustomerResult[];
  summary: {
    customers: number;
    high_risk: number;
    medium_risk: number;
    low_risk: number;
    average_probability: number;
    total_ltv: number;
    revenue_at_risk: number;
    top_drivers: { signal: ChurnSignal; customers: number }[];
  };
  model: { intercept: number; base_rate: number; coefficients: readonly ChurnCoefficient[]; bands: { high: number; medium: number } };
  warnings: string[];
  model_version: string;
  ai_explanation: string | null;
}

export interface ChurnAnalysisOptions {
  /** Reference time for `last_activity_at`; defaults to the current time. */
  now?: Date;
}

const INTERCEPT = logit(BASE_RATE);

/** Log-odds contributions of one customer's signals; missing signals are absent from the map. */
export function churnContributions(customer: ChurnCustomer, now: Date): Map<ChurnSignal, { value: number; contribution: number }> {
  const terms = new Map<ChurnSignal, { value: number; contribution: number }>();
  const days = inactivityDays(customer, now);
  if (days !== undefined) terms.set('inactivity', { value: days, contribution: (0.5 * (Math.min(days, 180) - 30)) / 30 });
  if (isNumber(customer.engagement_score)) {
    terms.set('engagement_level', { value: customer.engagement_score, contribution: 0.03 * (50 - customer.engagement_score) });
  }
  if (isNumber(customer.engagement_trend)) {
    terms.set('engagement_trend', { value: customer.engagement_trend, contribution: -0.04 * clamp(customer.engagement_trend, -50, 50) });
  }
  if (isNumber(customer.support_tickets)) {
    terms.set('support_tickets', { value: customer.support_tickets, contribution: 0.25 * Math.min(customer.support_tickets, 8) });
  }
  if (isNumber(customer.payment_failures)) {
    terms.set('payment_failures', { value: customer.payment_failures, contribution: 0.9 * Math.min(customer.payment_failures, 3) });
  }
  if (isNumber(customer.tenure_days)) {
    terms.set('tenure', { value: customer.tenure_days, contribution: -0.25 * Math.min(customer.tenure_days / 365, 3) });
  }
  if (isNumber(customer.churn_risk)) {
    terms.set('prior_churn_risk', {
      value: customer.churn_risk,
      contribution: 0.5 * (logit(clamp(customer.churn_risk, 0.01, 0.99)) - INTERCEPT),
    });
  }
  return terms;
}

export function churnProbability(customer: ChurnCustomer, now: Date = new Date()): number {
  let z = INTERCEPT;
  for (const term of churnContributions(customer, now).values()) z += term.contribution;
  return sigmoid(z);
}

/** Scores and ranks customers by churn risk; throws CrmValidationError on input that breaks a rule. */
export function analyzeChurn(request: ChurnAnalysisRequest, options: ChurnAnalysisOptions = {}): ChurnAnalysisResult {
  assertValid(validateChurnAnalysisRequest(request));
  const now = options.now ?? new Date();
  const rows = request.customer_data;
  const seen = new Set<ChurnSignal>();
  const topDriverCounts = new Map<ChurnSignal, number>();
  const scored = rows.map((customer, index) => {
    const terms = churnContributions(customer, now);
    let z = INTERCEPT;
    for (const [signal, term] of terms) {
      z += term.contribution;
      seen.add(signal);
    }
    const probability = sigmoid(z);
    const ltv = isNumber(customer.ltv) ? customer.ltv : null;
    const drivers = [...terms.entries()]
      .filter(([, term]) => term.contribution !== 0)
      .sort((a, b) => Math.abs(b[1].contribution) - Math.abs(a[1].contribution))
      .slice(0, 3)
      .map(([signal, term]): ChurnDriver => ({
        signal,
        value: roundTo(term.value, 4),
        contribution: roundTo(term.contribution, 3),
        effect: term.contribution > 0 ? 'raises' : 'lowers',
      }));
    const firstRaise = drivers.find((driver) => driver.effect === 'raises');
    if (firstRaise) topDriverCounts.set(firstRaise.signal, (topDriverCounts.get(firstRaise.signal) ?? 0) + 1);
    return {
      index,
      customer,
      probability,
      ltv,
      drivers,
      missing: CHURN_COEFFICIENTS.filter((c) => !terms.has(c.signal)).map((c) => c.field),
    };
  });
  scored.sort((a, b) => b.probability - a.probability || (b.ltv ?? 0) * b.probability - (a.ltv ?? 0) * a.probability || a.index - b.index);

  const fieldNames = (c: ChurnCoefficient): string =>
    c.signal === 'inactivity' ? 'days_since_last_activity or last_activity_at' : c.field;
  const warnings = CHURN_COEFFICIENTS.filter((c) => !seen.has(c.signal)).map(
    (c) => `no customer has ${fieldNames(c)}; that signal is neutral`,
  );
  if (!rows.some((row) => isNumber(row.ltv))) warnings.push('no customer has ltv; revenue at risk cannot be computed');

  const bands = { high: 0, medium: 0, low: 0 };
  let probabilitySum = 0;
  let totalLtv = 0;
  let revenueAtRisk = 0;
  const ranked = scored.map((entry, position): ChurnCustomerResult => {
    const band = bandOf(entry.probability);
    bands[band]++;
    probabilitySum += entry.probability;
    totalLtv += entry.ltv ?? 0;
    revenueAtRisk += (entry.ltv ?? 0) * entry.probability;
    return {
      rank: position + 1,
      customer_id: entry.customer.customer_id,
      churn_probability: roundTo(entry.probability, 4),
      risk_band: band,
      ltv: entry.ltv,
      revenue_at_risk: entry.ltv === null ? null : roundTo(entry.ltv * entry.probability, 2),
      drivers: entry.drivers,
      missing_signals: entry.missing,
      recommended_action: actionFor(band, entry.drivers),
    };
  });
  return {
    customers: request.top_n === undefined ? ranked : ranked.slice(0, request.top_n),
    summary: {
      customers: rows.length,
      high_risk: bands.high,
      medium_risk: bands.medium,
      low_risk: bands.low,
      average_probability: roundTo(probabilitySum / rows.length, 4),
      total_ltv: roundTo(totalLtv, 2),
      revenue_at_risk: roundTo(revenueAtRisk, 2),
      top_drivers: [...topDriverCounts.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([signal, customers]) => ({ signal, customers })),
    },
    model: {
      intercept: roundTo(INTERCEPT, 6),
      base_rate: BASE_RATE,
      coefficients: CHURN_COEFFICIENTS,
      bands: { high: HIGH_RISK, medium: MEDIUM_RISK },
    },
    warnings,
    model_version: CHURN_MODEL_VERSION,
    ai_explanation: null,
  };
}

export function bandOf(probability: number): RiskBand {
  if (probability >= HIGH_RISK) return 'high';
  if (probability >= MEDIUM_RISK) return 'medium';
  return 'low';
}

const ACTIONS: Record<ChurnSignal, string> = {
  inactivity: 'Re-engage: a personal check-in and a reason to come back',
  engagement_level: 'Schedule a success review to rebuild usage',
  engagement_trend: 'Find out what changed: usage is falling; offer training or a success review',
  support_tickets: 'Escalate open support issues and follow up personally',
  payment_failures: 'Fix billing: contact about failed payments and update the payment method',
  tenure: 'Onboard thoroughly: new customers churn more',
  prior_churn_risk: 'Review the account with its owner: flagged at risk upstream',
};

function actionFor(band: RiskBand, drivers: ChurnDriver[]): string {
  if (band === 'low') return 'No action needed; keep monitoring';
  const main = drivers.find((driver) => driver.effect === 'raises');
  const action = main ? ACTIONS[main.signal] : 'Review the account';
  return band === 'high' ? `${action} (high risk: act this week)` : action;
}

function inactivityDays(customer: ChurnCustomer, now: Date): number | undefined {
  if (isNumber(customer.days_since_last_activity)) return customer.days_since_last_activity;
  if (typeof customer.last_activity_at !== 'string') return undefined;
  return Math.max(0, (now.getTime() - Date.parse(customer.last_activity_at)) / DAY_MS);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
