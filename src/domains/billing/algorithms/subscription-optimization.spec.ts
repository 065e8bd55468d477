import { describe, expect, it } from 'vitest';
import { optimizeSubscriptions, type SubscriptionRecord } from './subscription-optimization.js';

const PLANS = [
  { plan: 'starter', monthlyPrice: 49, seatLimit: 5 },
  { plan: 'growth', monthlyPrice: 199, seatLimit: 20 },
  { plan: 'enterprise', monthlyPrice: 999, seatLimit: null },
];

const sub = (ref: string, overrides: Partial<SubscriptionRecord>): SubscriptionRecord => ({
  subscriptionRef: ref,
  customerRef: `c${ref.slice(1)}`,
  plan: 'growth',
  mrr: 199,
  seats: 10,
  discountPct: 0,
  discountEndsAt: null,
  status: 'active',
  ...overrides,
});

const SUBSCRIPTIONS = [
  sub('s1', { plan: 'starter', mrr: 49, seats: 8 }),
  sub('s2', { seats: 3 }),
  sub('s3', { seats: 19 }),
  sub('s4', { plan: 'enterprise', mrr: 999, seats: 50, discountPct: 10, discountEndsAt: new Date('2025-12-31T00:00:00Z') }),
  sub('s5', { seats: 12, discountPct: 30 }),
  sub('s6', { plan: 'pro', mrr: 300, seats: 4, discountPct: 10, discountEndsAt: new Date('2025-01-31T00:00:00Z') }),
  sub('s7', { plan: 'starter', mrr: 49, seats: 9, status: 'cancelled', discountPct: 50 }),
];

const OPTIONS = { plans: PLANS, maxDiscountPct: 20, asOf: new Date('2025-03-01T00:00:00Z'), nearLimit: 0.9 };

describe('subscription optimization', () => {
  it('finds plan-fit candidates with their MRR impact (hand-checked)', () => {
    const { plan_fit: fit, subscriptions_analysed: analysed, status } = optimizeSubscriptions(SUBSCRIPTIONS, OPTIONS);
    expect(status).toBe('ok');
    expect(analysed).toBe(6); // s7 is cancelled
    // s1: 8 seats > starter's 5 → growth, 199 − 49 = +150; s2: 3 seats fit starter → 49 − 199 = −150;
    // s3: 19 / 20 = 0.95 ≥ 0.9 → near the limit; s4 fits enterprise; s5 fits growth (12 / 20 = 0.6); s6's plan is unknown.
    expect(fit).toMatchObject({
      evaluated: true,
      upgrades: 1,
      downgrades: 1,
      near_limit: 1,
      unknown_plan: 1,
      upgrade_mrr: 150,
      downgrade_mrr: -150,
    });
    expect(fit.entries.map((e) => [e.subscription_ref, e.verdict, e.suggested_plan, e.mrr_impact, e.utilisation])).toEqual([
      ['s1', 'upgrade', 'growth', 150, 1.6],
      ['s2', 'downgrade', 'starter', -150, 0.15],
      ['s3', 'near_limit', null, 0, 0.95],
      ['s6', 'unknown_plan', null, 0, null],
    ]);
  });

  it('measures discount leakage against the policy (hand-checked)', () => {
    const { discount_leakage: leakage } = optimizeSubscriptions(SUBSCRIPTIONS, OPTIONS);
    // s4: 999 × 10% = 99.90 (within policy, promo runs to 2025-12-31) → recoverable 0
    // s5: 199 × 30% = 59.70; above the 20% policy by 10 points → 199 × 10% = 19.90 recoverable
    // s6: 300 × 10% = 30.00; promo ended 2025-01-31, still applied on 2025-03-01 → 30.00 recoverable
    // total 99.90 + 59.70 + 30.00 = 189.60; recoverable 19.90 + 30.00 = 49.90
    expect(leakage).toMatchObject({
      policy_max_discount_pct: 20,
      discounted_subscriptions: 3,
      total_discount_mrr: 189.6,
      above_policy: 1,
      above_policy_excess_mrr: 19.9,
      expired_promos: 1,
      expired_promo_mrr: 30,
      recoverable_mrr: 49.9,
    });
    expect(leakage.entries.map((e) => [e.subscription_ref, e.discount_mrr, e.flags, e.recoverable_mrr])).toEqual([
      ['s6', 30, ['expired_promo'], 30],
      ['s5', 59.7, ['above_policy'], 19.9],
      ['s4', 99.9, [], 0],
    ]);
  });

  it('suggests no plan when seats exceed every limit and skips plan fit without plans', () => {
    const capped = optimizeSubscriptions([sub('s1', { plan: 'starter', mrr: 49, seats: 30 })], {
      ...OPTIONS,
      plans: PLANS.slice(0, 2),
    });
    expect(capped.plan_fit.entries[0]).toMatchObject({ verdict: 'upgrade', suggested_plan: null, mrr_impact: 0 });
    const noPlans = optimizeSubscriptions(SUBSCRIPTIONS, { ...OPTIONS, plans: undefined });
    expect(noPlans.plan_fit).toMatchObject({ evaluated: false, entries: [], note: expect.stringContaining('give plans') });
    expect(noPlans.discount_leakage.recoverable_mrr).toBe(49.9);
  });

  it('answers not enough data without billable subscriptions', () => {
    expect(optimizeSubscriptions([], OPTIONS)).toMatchObject({
      status: 'not_enough_data',
      message: 'Not enough data: no active or past-due subscriptions (0 subscription(s) in total)',
      subscriptions_analysed: 0,
    });
    expect(optimizeSubscriptions([sub('s1', { status: 'trialing' })], OPTIONS).status).toBe('not_enough_data');
  });
});
