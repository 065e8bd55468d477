import { describe, expect, it } from 'vitest';
import { analyzeChurn, bandOf, churnProbability } from './churn-analysis.js';
import { validateChurnAnalysisRequest, type ChurnCustomer } from './churn-analysis-validation.js';
import { CrmValidationError } from './field-errors.js';
import { createSeededRandom, randomInt } from './seeded-random.js';
import { logit, sigmoid } from './stats.js';

const NOW = new Date('2026-06-30T00:00:00Z');
const BASE = logit(0.15);

describe('churnProbability', () => {
  it('sits at the 15% base rate with no signals, or at 30 days inactive and engagement 50', () => {
    expect(churnProbability({ customer_id: 1 }, NOW)).toBeCloseTo(0.15, 12);
    expect(churnProbability({ customer_id: 1, days_since_last_activity: 30, engagement_score: 50 }, NOW)).toBeCloseTo(0.15, 12);
  });

  it('adds each documented contribution in log-odds', () => {
    const customer: ChurnCustomer = {
      customer_id: 1,
      days_since_last_activity: 90, // +1.0
      engagement_score: 30, // +0.6
      engagement_trend: -25, // +1.0
      support_tickets: 2, // +0.5
      payment_failures: 1, // +0.9
      tenure_days: 730, // −0.5
    };
    expect(churnProbability(customer, NOW)).toBeCloseTo(sigmoid(BASE + 1 + 0.6 + 1 + 0.5 + 0.9 - 0.5), 12);
  });

  it('caps each signal', () => {
    const capped = churnProbability(
      { customer_id: 1, days_since_last_activity: 180, support_tickets: 8, payment_failures: 3, tenure_days: 3 * 365 },
      NOW,
    );
    const beyond = churnProbability(
      { customer_id: 1, days_since_last_activity: 900, support_tickets: 50, payment_failures: 9, tenure_days: 20 * 365 },
      NOW,
    );
    expect(beyond).toBe(capped);
  });

  it('a supplied churn_risk pulls halfway (in log-odds) from the base rate', () => {
    expect(churnProbability({ customer_id: 1, churn_risk: 0.9 }, NOW)).toBeCloseTo(sigmoid(BASE + 0.5 * (logit(0.9) - BASE)), 12);
    expect(churnProbability({ customer_id: 1, churn_risk: 0.15 }, NOW)).toBeCloseTo(0.15, 12);
  });

  it('reads last_activity_at against now', () => {
    expect(churnProbability({ customer_id: 1, last_activity_at: '2026-05-31T00:00:00Z' }, NOW)).toBeCloseTo(0.15, 12);
  });

  it('never falls when a risk signal gets worse (seeded property loop)', () => {
    const random = createSeededRandom(8);
    for (let trial = 0; trial < 300; trial++) {
      const customer: ChurnCustomer = {
        customer_id: trial,
        days_since_last_activity: randomInt(random, 200),
        engagement_score: randomInt(random, 101),
        engagement_trend: randomInt(random, 101) - 50,
        support_tickets: randomInt(random, 10),
        payment_failures: randomInt(random, 4),
        tenure_days: randomInt(random, 2000),
      };
      const base = churnProbability(customer, NOW);
      const worse: ChurnCustomer[] = [
        { ...customer, days_since_last_activity: (customer.days_since_last_activity ?? 0) + 10 },
        { ...customer, engagement_score: Math.max(0, (customer.engagement_score ?? 0) - 10) },
        { ...customer, engagement_trend: (customer.engagement_trend ?? 0) - 10 },
        { ...customer, support_tickets: (customer.support_tickets ?? 0) + 1 },
        { ...customer, payment_failures: (customer.payment_failures ?? 0) + 1 },
      ];
      for (const variant of worse) expect(churnProbability(variant, NOW)).toBeGreaterThanOrEqual(base);
    }
  });
});

describe('analyzeChurn', () => {
  const customers: ChurnCustomer[] = [
    { customer_id: 'steady', ltv: 10_000, days_since_last_activity: 2, engagement_score: 85, tenure_days: 900 },
    { customer_id: 'billing', ltv: 5_000, days_since_last_activity: 20, engagement_score: 50, payment_failures: 3 },
    { customer_id: 'fading', ltv: 20_000, days_since_last_activity: 120, engagement_score: 20, engagement_trend: -30, support_tickets: 4 },
  ];
  const result = analyzeChurn({ customer_data: customers }, { now: NOW });

  it('ranks by probability with bands, revenue at risk and top drivers', () => {
    expect(result.customers.map((customer) => [customer.rank, customer.customer_id, customer.risk_band])).toEqual([
      [1, 'fading', 'high'],
      [2, 'billing', 'high'],
      [3, 'steady', 'low'],
    ]);
    const fading = result.customers[0];
    // z = base + 1.5 (120 days) + 0.9 (engagement 20) + 1.2 (trend −30) + 1.0 (4 tickets) = base + 4.6
    expect(fading.churn_probability).toBe(Math.round(sigmoid(BASE + 4.6) * 10_000) / 10_000);
    expect(fading.revenue_at_risk).toBe(Math.round(20_000 * sigmoid(BASE + 4.6) * 100) / 100);
    expect(fading.drivers).toEqual([
      { signal: 'inactivity', value: 120, contribution: 1.5, effect: 'raises' },
      { signal: 'engagement_trend', value: -30, contribution: 1.2, effect: 'raises' },
      { signal: 'support_tickets', value: 4, contribution: 1, effect: 'raises' },
    ]);
    expect(fading.missing_signals).toEqual(['payment_failures', 'tenure_days', 'churn_risk']);
    expect(fading.recommended_action).toBe('Re-engage: a personal check-in and a reason to come back (high risk: act this week)');
    expect(result.customers[1].recommended_action).toMatch(/^Fix billing/);
    expect(result.customers[2].recommended_action).toBe('No action needed; keep monitoring');
    expect(result.customers[2].drivers.map((driver) => driver.effect)).toEqual(['lowers', 'lowers', 'lowers']);
  });

  it('summarises counts, value and the most common top driver', () => {
    const expectedAtRisk = result.customers.reduce((total, customer) => total + (customer.ltv ?? 0) * sigmoidOf(customer.customer_id), 0);
    expect(result.summary).toMatchObject({ customers: 3, high_risk: 2, medium_risk: 0, low_risk: 1, total_ltv: 35_000 });
    expect(result.summary.revenue_at_risk).toBeCloseTo(expectedAtRisk, 1);
    expect(result.summary.top_drivers).toEqual([
      { signal: 'inactivity', customers: 1 },
      { signal: 'payment_failures', customers: 1 },
    ]);
    expect(result.warnings).toEqual(['no customer has churn_risk; that signal is neutral']);
    expect(result.model.intercept).toBeCloseTo(BASE, 5);
    expect(result.model_version).toBe('crm-churn-risk/1.0.0');
    expect(result.ai_explanation).toBeNull();
  });

  function sigmoidOf(id: string | number): number {
    const customer = customers.find((candidate) => candidate.customer_id === id);
    return customer ? churnProbability(customer, NOW) : 0;
  }

  it('top_n trims the list but not the summary', () => {
    const trimmed = analyzeChurn({ customer_data: customers, top_n: 1 }, { now: NOW });
    expect(trimmed.customers.map((customer) => customer.customer_id)).toEqual(['fading']);
    expect(trimmed.summary.customers).toBe(3);
  });

  it('bands at 0.6 and 0.3', () => {
    expect([0.6, 0.5999, 0.3, 0.2999].map(bandOf)).toEqual(['high', 'medium', 'medium', 'low']);
  });
});

describe('validateChurnAnalysisRequest', () => {
  const row = { customer_id: 'c1', ltv: 100 };

  it.each([
    ['a non-object body', 3, 'body', 'must be an object'],
    ['missing customer_data', {}, 'customer_data', 'is required'],
    ['customer_data not an array', { customer_data: 'x' }, 'customer_data', 'must be an array'],
    ['empty customer_data', { customer_data: [] }, 'customer_data', 'must not be empty'],
    ['a row not an object', { customer_data: [1] }, 'customer_data[0]', 'must be an object'],
    ['a missing id', { customer_data: [{ ltv: 1 }] }, 'customer_data[0].customer_id', 'is required'],
    ['a duplicate id', { customer_data: [row, row] }, 'customer_data[1].customer_id', 'duplicates customer_data[0].customer_id "c1"'],
    ['a negative ltv', { customer_data: [{ ...row, ltv: -1 }] }, 'customer_data[0].ltv', 'must be at least 0'],
    [
      'engagement above 100',
      { customer_data: [{ ...row, engagement_score: 120 }] },
      'customer_data[0].engagement_score',
      'must be between 0 and 100',
    ],
    [
      'a trend below −100',
      { customer_data: [{ ...row, engagement_trend: -101 }] },
      'customer_data[0].engagement_trend',
      'must be between -100 and 100',
    ],
    ['negative tickets', { customer_data: [{ ...row, support_tickets: -1 }] }, 'customer_data[0].support_tickets', 'must be at least 0'],
    [
      'negative payment failures',
      { customer_data: [{ ...row, payment_failures: -2 }] },
      'customer_data[0].payment_failures',
      'must be at least 0',
    ],
    [
      'negative inactivity',
      { customer_data: [{ ...row, days_since_last_activity: -2 }] },
      'customer_data[0].days_since_last_activity',
      'must be at least 0',
    ],
    ['negative tenure', { customer_data: [{ ...row, tenure_days: -2 }] }, 'customer_data[0].tenure_days', 'must be at least 0'],
    ['churn_risk above 1', { customer_data: [{ ...row, churn_risk: 2 }] }, 'customer_data[0].churn_risk', 'must be between 0 and 1'],
    [
      'a bad activity date',
      { customer_data: [{ ...row, last_activity_at: 'soon' }] },
      'customer_data[0].last_activity_at',
      'must be an ISO 8601 date',
    ],
    ['top_n 0', { customer_data: [row], top_n: 0 }, 'top_n', 'must be at least 1'],
  ])('%s → %s: %s', (_name, body, field, message) => {
    expect(validateChurnAnalysisRequest(body)).toEqual([{ field, message }]);
  });

  it('analyzeChurn throws the same errors', () => {
    expect(() => analyzeChurn({ customer_data: [] })).toThrow(CrmValidationError);
  });
});
