import type { Faker } from '@faker-js/faker';
import type { InvoiceEntity, InvoiceStatus } from '../domains/billing/entities/invoice.entity.js';
import type { PaymentEntity } from '../domains/billing/entities/payment.entity.js';
import type { SubscriptionChangeEntity, SubscriptionChangeReason } from '../domains/billing/entities/subscription-change.entity.js';
import type { SubscriptionEntity, SubscriptionStatus } from '../domains/billing/entities/subscription.entity.js';
import type { Archetype, DemoCustomer } from './demo-crm.js';
import { DEMO_TENANT } from './demo.constants.js';
import { type DemoClock, demoRef, demoUuid } from './demo-ids.js';

const DAY_MS = 86_400_000;
/** Days of invoices and payments (the same window as the orders). */
const BILLING_DAYS = 90;
const BILLING_CYCLE_DAYS = 30;

/** The price list: list MRR per plan and the seats it includes (null: unlimited). */
export const DEMO_PLANS = [
  { plan: 'starter', mrr: 49, seats: 5 },
  { plan: 'growth', mrr: 199, seats: 20 },
  { plan: 'scale', mrr: 599, seats: 100 },
  { plan: 'enterprise', mrr: 1490, seats: null },
] as const;

/** How many customers of each behaviour subscribe (120 in all), and to which plan tiers (indexes into DEMO_PLANS). */
const SUBSCRIBERS: Record<Archetype, { count: number; tiers: readonly number[]; failureRate: number }> = {
  champion: { count: 30, tiers: [2, 3], failureRate: 0.02 },
  loyal: { count: 40, tiers: [1, 2], failureRate: 0.03 },
  promising: { count: 20, tiers: [0, 1], failureRate: 0.05 },
  at_risk: { count: 25, tiers: [0, 1], failureRate: 0.3 },
  hibernating: { count: 5, tiers: [0], failureRate: 0.4 },
};

/** Processor failure codes, as often as they tend to occur (dunning plans differ by code). */
const FAILURE_CODES = [
  { value: 'insufficient_funds', weight: 35 },
  { value: 'card_declined', weight: 20 },
  { value: 'expired_card', weight: 20 },
  { value: 'do_not_honor', weight: 10 },
  { value: 'processing_error', weight: 10 },
  { value: 'incorrect_cvc', weight: 5 },
];

export interface DemoBilling {
  subscriptions: SubscriptionEntity[];
  changes: SubscriptionChangeEntity[];
  invoices: InvoiceEntity[];
  payments: PaymentEntity[];
}

const cents = (value: number): number => Math.round(value * 100) / 100;
const net = (mrr: number, discountPct: number): number => cents(mrr * (1 - discountPct / 100));

interface Draft {
  sub: SubscriptionEntity;
  failureRate: number;
  /** Billed MRR from each instant on (the subscription's MRR history). */
  history: { at: Date; mrr: number; reason: SubscriptionChangeReason }[];
}

/** The subscription of one customer: plan by behaviour, seats around the plan's limit, some discounts, trials, pauses and cancellations. */
function draftSubscription(
  faker: Faker,
  clock: DemoClock,
  customer: DemoCustomer,
  n: number,
  failureRate: number,
  tiers: readonly number[],
): Draft {
  const tier = faker.helpers.arrayElement(tiers);
  const plan = DEMO_PLANS[tier];
  const limit = plan.seats ?? 250;
  // Most use 30–100 % of their seats; some outgrew the plan (upgrade candidates), some use a fifth (downgrade candidates).
  const usage = faker.helpers.weightedArrayElement([
    { value: faker.number.float({ min: 0.3, max: 1 }), weight: 75 },
    { value: faker.number.float({ min: 1.1, max: 1.6 }), weight: 12 },
    { value: faker.number.float({ min: 0.05, max: 0.2 }), weight: 13 },
  ]);
  const discounted = faker.datatype.boolean({ probability: 0.2 });
  const discountPct = discounted ? faker.helpers.arrayElement([10, 15, 20, 25]) : 0;
  const trial = customer.archetype === 'promising' && n % 4 === 0;
  const startedAt = trial
    ? clock.ago(faker.number.int({ min: 1, max: 13 }), faker.number.int({ min: 1, max: 1439 }))
    : (customer.row.createdAt ?? clock.ago(365));
  const sub: SubscriptionEntity = {
    id: demoUuid('subscription', n),
    tenantId: DEMO_TENANT,
    externalId: demoRef('sub', n),
    customerRef: customer.row.externalId ?? customer.row.id,
    plan: plan.plan,
    mrr: plan.mrr,
    seats: Math.max(1, Math.round(limit * usage)),
    discountPct,
    discountEndsAt: discounted && faker.datatype.boolean() ? clock.ahead(faker.number.int({ min: 30, max: 180 })) : null,
    status: trial ? 'trialing' : 'active',
    startedAt,
    cancelledAt: null,
    createdAt: startedAt,
    updatedAt: startedAt,
  };
  const history: Draft['history'] = [{ at: startedAt, mrr: trial ? 0 : net(plan.mrr, discountPct), reason: 'created' }];
  const ended = endOf(faker, clock, customer.archetype, n);
  // A plan change in the last 90 days (at least five days after the start): an upgrade started one plan lower, a downgrade one higher.
  const changeable = !trial && ended === null && clock.daysBefore(startedAt) > 15;
  const changedAt = (): Date => clock.ago(faker.number.int({ min: 10, max: Math.min(80, clock.daysBefore(startedAt) - 5) }));
  if (changeable && tier > 0 && faker.datatype.boolean({ probability: 0.12 })) {
    history[0].mrr = net(DEMO_PLANS[tier - 1].mrr, discountPct);
    history.push({ at: changedAt(), mrr: net(plan.mrr, discountPct), reason: 'updated' });
  } else if (changeable && tier < DEMO_PLANS.length - 1 && faker.datatype.boolean({ probability: 0.06 })) {
    history[0].mrr = net(DEMO_PLANS[tier + 1].mrr, discountPct);
    history.push({ at: changedAt(), mrr: net(plan.mrr, discountPct), reason: 'updated' });
  }
  if (ended !== null && !trial) {
    sub.status = ended.status;
    if (ended.status === 'cancelled') sub.cancelledAt = ended.at;
    history.push({ at: ended.at, mrr: 0, reason: ended.status === 'cancelled' ? 'cancelled' : 'updated' });
  }
  sub.updatedAt = history[history.length - 1].at;
  return { sub, failureRate, history };
}

/** Hibernating customers cancel or pause, some customers at risk cancel; within the last 80 days. */
function endOf(faker: Faker, clock: DemoClock, archetype: Archetype, n: number): { at: Date; status: SubscriptionStatus } | null {
  const at = clock.ago(faker.number.int({ min: 5, max: 80 }), faker.number.int({ min: 1, max: 1439 }));
  if (archetype === 'hibernating') return { at, status: n % 5 < 3 ? 'cancelled' : 'paused' };
  if (archetype === 'at_risk' && n % 4 === 1) return { at, status: 'cancelled' };
  return null;
}

/** Billed MRR at an instant, from the history. */
function mrrAt(history: Draft['history'], at: Date): number {
  let mrr = 0;
  for (const change of history) if (change.at <= at) mrr = change.mrr;
  return mrr;
}

/**
 * Invoice dates of a subscription in the billing window: every 30 days from its start. (Cycles of days, not calendar
 * months, keep the data the same whatever day it is loaded on: only its dates move.)
 */
function invoiceDates(clock: DemoClock, startedAt: Date): Date[] {
  const from = clock.ago(BILLING_DAYS).getTime();
  const dates: Date[] = [];
  for (let at = startedAt.getTime(); at < clock.end.getTime(); at += BILLING_CYCLE_DAYS * DAY_MS) if (at >= from) dates.push(new Date(at));
  return dates;
}

/**
 * 120 subscriptions with their MRR history, monthly invoices over the last 90 days and their payment attempts.
 * Customers at risk fail payments far more often; a failed invoice is retried, and either recovered, still open
 * (what dunning works on; the subscription is then past due) or, when old, written off.
 */
export function demoBilling(faker: Faker, clock: DemoClock, customers: DemoCustomer[]): DemoBilling {
  const drafts: Draft[] = [];
  for (const [archetype, plan] of Object.entries(SUBSCRIBERS) as [Archetype, (typeof SUBSCRIBERS)[Archetype]][]) {
    const members = customers.filter((c) => c.archetype === archetype).slice(0, plan.count);
    for (const customer of members) drafts.push(draftSubscription(faker, clock, customer, drafts.length + 1, plan.failureRate, plan.tiers));
  }
  const billing: DemoBilling = { subscriptions: [], changes: [], invoices: [], payments: [] };
  for (const { sub, failureRate, history } of drafts) {
    billing.subscriptions.push(sub);
    for (const change of history) {
      const before = billing.changes.filter((c) => c.subscriptionId === sub.id).at(-1)?.mrrAfter ?? 0;
      if (change.reason !== 'created' && before === change.mrr) continue;
      billing.changes.push({
        id: demoUuid('subscription-change', billing.changes.length + 1),
        tenantId: DEMO_TENANT,
        subscriptionId: sub.id,
        customerRef: sub.customerRef,
        effectiveAt: change.at,
        mrrBefore: change.reason === 'created' ? 0 : before,
        mrrAfter: change.mrr,
        reason: change.reason,
        createdAt: change.at,
      });
    }
    let lastOpenFailed = false;
    for (const issuedAt of invoiceDates(clock, sub.startedAt)) {
      const amount = mrrAt(history, issuedAt);
      if (amount <= 0) continue;
      lastOpenFailed = invoice(faker, clock, billing, sub, issuedAt, amount, failureRate);
    }
    if (lastOpenFailed && sub.status === 'active') sub.status = 'past_due';
  }
  return billing;
}

/** One invoice and its payment attempts; answers whether it is left open after failed attempts. */
function invoice(
  faker: Faker,
  clock: DemoClock,
  billing: DemoBilling,
  sub: SubscriptionEntity,
  issuedAt: Date,
  amount: number,
  failureRate: number,
): boolean {
  const id = demoUuid('invoice', billing.invoices.length + 1);
  const age = clock.daysBefore(issuedAt);
  const pay = (status: PaymentEntity['status'], at: Date, failureCode: string | null): void => {
    billing.payments.push({
      id: demoUuid('payment', billing.payments.length + 1),
      tenantId: DEMO_TENANT,
      externalId: demoRef('pay', billing.payments.length + 1, 5),
      invoiceId: id,
      amount,
      status,
      failureCode,
      attemptedAt: at,
      createdAt: at,
      updatedAt: at,
    });
  };
  let status: InvoiceStatus = 'open';
  if (age >= 1) {
    if (faker.datatype.boolean({ probability: failureRate })) {
      // Retries on days 0, 3 and 6 after issue, as far as the data reaches.
      const attempts = [0, 3, 6].filter((day) => day < age).slice(0, faker.number.int({ min: 1, max: 3 }));
      for (const day of attempts)
        pay('failed', new Date(issuedAt.getTime() + day * DAY_MS), faker.helpers.weightedArrayElement(FAILURE_CODES));
      const recovered = age > 10 && faker.datatype.boolean({ probability: 0.4 });
      if (recovered) {
        pay('succeeded', new Date(issuedAt.getTime() + 9 * DAY_MS), null);
        status = 'paid';
      } else if (age > 60) {
        status = 'uncollectible';
      }
    } else {
      pay('succeeded', new Date(issuedAt.getTime() + faker.number.int({ min: 0, max: 60 }) * 60_000), null);
      status = 'paid';
    }
  }
  billing.invoices.push({
    id,
    tenantId: DEMO_TENANT,
    externalId: demoRef('inv', billing.invoices.length + 1, 5),
    subscriptionId: sub.id,
    customerRef: sub.customerRef,
    amount,
    issuedAt,
    dueAt: new Date(issuedAt.getTime() + 14 * DAY_MS),
    status,
    createdAt: issuedAt,
    updatedAt: issuedAt,
  });
  return status === 'open' && billing.payments.at(-1)?.status === 'failed';
}
