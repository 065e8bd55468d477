export interface PlanTier {
  plan: string;
  monthlyPrice: number;
  /** Seats the plan allows; null = unlimited. */
  seatLimit: number | null;
}

export interface SubscriptionRecord {
  subscriptionRef: string;
  customerRef: string;
  plan: string;
  /** List MRR before discount. */
  mrr: number;
  seats: number;
  discountPct: number;
  discountEndsAt: Date | null;
  status: string;
}

export interface OptimizationOptions {
  plans: PlanTier[] | undefined;
  maxDiscountPct: number;
  asOf: Date;
  /** Seat use at or above this share of the plan limit is reported as near the limit. */
  nearLimit: number;
}

export type FitVerdict = 'upgrade' | 'downgrade' | 'near_limit' | 'fit' | 'unknown_plan';

export interface PlanFitEntry {
  subscription_ref: string;
  customer_ref: string;
  plan: string;
  seats: number;
  seat_limit: number | null;
  utilisation: number | null;
  verdict: FitVerdict;
  suggested_plan: string | null;
  /** List MRR change if moved to the suggested plan. */
  mrr_impact: number;
  reason: string;
}

export type LeakageFlag = 'above_policy' | 'expired_promo';

export interface LeakageEntry {
  subscription_ref: string;
  customer_ref: string;
  plan: string;
  mrr: number;
  discount_pct: number;
  discount_ends_at: string | null;
  /** mrr × discount. */
  discount_mrr: number;
  flags: LeakageFlag[];
  /** MRR recoverable: the whole discount of an expired promo, otherwise the part above policy. */
  recoverable_mrr: number;
}

export interface OptimizationResult {
  status: 'ok' | 'not_enough_data';
  message: string;
  as_of: string;
  subscriptions_analysed: number;
  plan_fit: {
    evaluated: boolean;
    note?: string;
    upgrades: number;
    downgrades: number;
    near_limit: number;
    unknown_plan: number;
    upgrade_mrr: number;
    downgrade_mrr: number;
    entries: PlanFitEntry[];
  };
  discount_leakage: {
    policy_max_discount_pct: number;
    discounted_subscriptions: number;
    total_discount_mrr: number;
    above_policy: number;
    above_policy_excess_mrr: number;
    expired_promos: number;
    expired_promo_mrr: number;
    recoverable_mrr: number;
    entries: LeakageEntry[];
  };
}

/** Subscriptions that bring revenue (trials, paused and cancelled ones do not). */
export const BILLABLE_STATUSES = new Set(['active', 'past_due']);

const cents = (value: number): number => Math.round(value * 100) / 100;

const fits = (plan: PlanTier, seats: number): boolean => plan.seatLimit === null || seats <= plan.seatLimit;

function planFit(sub: SubscriptionRecord, plans: PlanTier[], nearLimit: number): PlanFitEntry {
  const base = { subscription_ref: sub.subscriptionRef, customer_ref: sub.customerRef, plan: sub.plan, seats: sub.seats };
  const current = plans.find((p) => p.plan === sub.plan);
  if (!current) {
    return {
      ...base,
      seat_limit: null,
      utilisation: null,
      verdict: 'unknown_plan',
      suggested_plan: null,
      mrr_impact: 0,
      reason: `plan "${sub.plan}" is not in the given plans`,
    };
  }
  const utilisation =
    current.seatLimit === null || current.seatLimit === 0 ? null : Math.round((sub.seats / current.seatLimit) * 1e4) / 1e4;
  const cheapestFitting = [...plans]
    .filter((p) => fits(p, sub.seats))
    .sort((a, b) => a.monthlyPrice - b.monthlyPrice || a.plan.localeCompare(b.plan))[0] as PlanTier | undefined;
  const entry = { ...base, seat_limit: current.seatLimit, utilisation };
  if (!fits(current, sub.seats)) {
    return {
      ...entry,
      verdict: 'upgrade',
      suggested_plan: cheapestFitting?.plan ?? null,
      mrr_impact: cheapestFitting ? cents(cheapestFitting.monthlyPrice - sub.mrr) : 0,
      reason: cheapestFitting
        ? `${sub.seats} seats exceed the ${current.seatLimit} of ${current.plan}; ${cheapestFitting.plan} is the cheapest plan that fits`
        : `${sub.seats} seats exceed every plan's limit`,
    };
  }
  if (cheapestFitting && cheapestFitting.monthlyPrice < current.monthlyPrice) {
    return {
      ...entry,
      verdict: 'downgrade',
      suggested_plan: cheapestFitting.plan,
      mrr_impact: cents(cheapestFitting.monthlyPrice - sub.mrr),
      reason: `${sub.seats} seats fit ${cheapestFitting.plan} at ${cheapestFitting.monthlyPrice}/month: overpaying customers churn`,
    };
  }
  if (utilisation !== null && utilisation >= nearLimit) {
    return {
      ...entry,
      verdict: 'near_limit',
      suggested_plan: null,
      mrr_impact: 0,
      reason: `${sub.seats} of ${current.seatLimit} seats used: an upgrade conversation is due`,
    };
  }
  return { ...entry, verdict: 'fit', suggested_plan: null, mrr_impact: 0, reason: 'the plan fits the seats used' };
}

function leakage(sub: SubscriptionRecord, maxDiscountPct: number, asOf: Date): LeakageEntry {
  const discountMrr = cents((sub.mrr * sub.discountPct) / 100);
  const flags: LeakageFlag[] = [];
  if (sub.discountPct > maxDiscountPct) flags.push('above_policy');
  const expired = sub.discountEndsAt !== null && sub.discountEndsAt.getTime() <= asOf.getTime();
  if (expired) flags.push('expired_promo');
  const recoverable = expired
    ? discountMrr
    : sub.discountPct > maxDiscountPct
      ? cents((sub.mrr * (sub.discountPct - maxDiscountPct)) / 100)
      : 0;
  return {
    subscription_ref: sub.subscriptionRef,
    customer_ref: sub.customerRef,
    plan: sub.plan,
    mrr: sub.mrr,
    discount_pct: sub.discountPct,
    discount_ends_at: sub.discountEndsAt ? sub.discountEndsAt.toISOString() : null,
    discount_mrr: discountMrr,
    flags,
    recoverable_mrr: recoverable,
  };
}

const sum = (values: number[]): number => cents(values.reduce((total, v) => total + v, 0));

/**
 * Plan fit of each billable subscription (seats used against the plan's seat limit: upgrade to the
 * cheapest plan that fits, downgrade when a cheaper plan fits, near the limit) and discount leakage
 * (discount MRR given away, discounts above policy, promotions past their end date still applied).
 */
export function optimizeSubscriptions(subscriptions: SubscriptionRecord[], options: OptimizationOptions): OptimizationResult {
  const billable = subscriptions
    .filter((s) => BILLABLE_STATUSES.has(s.status))
    .sort((a, b) => a.customerRef.localeCompare(b.customerRef) || a.subscriptionRef.localeCompare(b.subscriptionRef));
  const fit = options.plans ? billable.map((s) => planFit(s, options.plans as PlanTier[], options.nearLimit)) : [];
  const discounts = billable.filter((s) => s.discountPct > 0).map((s) => leakage(s, options.maxDiscountPct, options.asOf));
  const status = billable.length > 0 ? 'ok' : 'not_enough_data';
  const upgrades = fit.filter((e) => e.verdict === 'upgrade');
  const downgrades = fit.filter((e) => e.verdict === 'downgrade');
  const abovePolicy = discounts.filter((d) => d.flags.includes('above_policy'));
  const expired = discounts.filter((d) => d.flags.includes('expired_promo'));
  return {
    status,
    message:
      status === 'ok'
        ? `${billable.length} billable subscription(s) analysed`
        : `Not enough data: no active or past-due subscriptions (${subscriptions.length} subscription(s) in total)`,
    as_of: options.asOf.toISOString(),
    subscriptions_analysed: billable.length,
    plan_fit: {
      evaluated: options.plans !== undefined,
      ...(options.plans ? {} : { note: 'give plans [{plan, monthly_price, seat_limit}] to check plan fit' }),
      upgrades: upgrades.length,
      downgrades: downgrades.length,
      near_limit: fit.filter((e) => e.verdict === 'near_limit').length,
      unknown_plan: fit.filter((e) => e.verdict === 'unknown_plan').length,
      upgrade_mrr: sum(upgrades.map((e) => e.mrr_impact)),
      downgrade_mrr: sum(downgrades.map((e) => e.mrr_impact)),
      entries: fit.filter((e) => e.verdict !== 'fit'),
    },
    discount_leakage: {
      policy_max_discount_pct: options.maxDiscountPct,
      discounted_subscriptions: discounts.length,
      total_discount_mrr: sum(discounts.map((d) => d.discount_mrr)),
      above_policy: abovePolicy.length,
      above_policy_excess_mrr: sum(abovePolicy.map((d) => (d.mrr * (d.discount_pct - options.maxDiscountPct)) / 100)),
      expired_promos: expired.length,
      expired_promo_mrr: sum(expired.map((d) => d.discount_mrr)),
      recoverable_mrr: sum(discounts.map((d) => d.recoverable_mrr)),
      entries: discounts.sort((a, b) => b.recoverable_mrr - a.recoverable_mrr || b.discount_mrr - a.discount_mrr),
    },
  };
}
