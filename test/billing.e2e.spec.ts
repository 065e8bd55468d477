import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBillingTables1764029300000 } from '../migrations/1764029300000-CreateBillingTables.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const BILL_A = 'bill-a';
const PLANS = [
  { plan: 'starter', monthly_price: 49, seat_limit: 5 },
  { plan: 'growth', monthly_price: 199, seat_limit: 20 },
  { plan: 'enterprise', monthly_price: 999, seat_limit: null },
];

type Body = Record<string, any>;

describe('billing domain through /execute (deterministic mode)', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());
  const execute = (tenant: string, type: string, parameters: Body = {}, extra: Body = {}) =>
    http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', tenant)
      .send({ type, description: `Run ${type}`, parameters, ...extra });
  const ok = async (tenant: string, type: string, parameters: Body = {}, extra: Body = {}): Promise<Body> => {
    const response = await execute(tenant, type, parameters, extra).expect(200);
    expect(response.body.error).toBeNull();
    expect(response.body).toMatchObject({ status: 'completed', metrics: { ai_mode: 'deterministic', llm_calls: 0 } });
    return response.body.result as Body;
  };
  const fails = async (tenant: string, type: string, parameters: Body): Promise<string> => {
    const response = await execute(tenant, type, parameters).expect(200);
    expect(response.body).toMatchObject({ status: 'failed', result: null });
    return response.body.error as string;
  };
  const invalid = async (type: string, parameters: Body) => {
    const response = await execute(BILL_A, type, parameters).expect(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    return response.body.errors as { field: string; message: string }[];
  };
  const subscribe = (tenant: string, parameters: Body) => ok(tenant, 'create_subscription', parameters);
  const change = (tenant: string, subscription: Body, parameters: Body) =>
    ok(tenant, 'update_subscription', { subscription_id: subscription.subscription_id, ...parameters });

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('answers not enough data for a tenant without billing data', async () => {
    const period = { period_start: '2025-02-01T00:00:00Z', period_end: '2025-03-01T00:00:00Z' };
    expect(await ok('bill-empty', 'billing_revenue_analysis', period)).toMatchObject({
      status: 'not_enough_data',
      source: 'stored',
      mrr_start: 0,
      mrr_end: 0,
      net_revenue_retention: null,
      message:
        'Not enough data: no recurring revenue before 2025-02-01T00:00:00.000Z or before 2025-03-01T00:00:00.000Z (0 MRR change(s) recorded)',
      narrative: null,
    });
    expect(await ok('bill-empty', 'billing_revenue_analysis')).toMatchObject({ status: 'not_enough_data' });
    expect(await ok('bill-empty', 'billing_subscription_optimization', { plans: PLANS })).toMatchObject({
      status: 'not_enough_data',
      message: 'Not enough data: no active or past-due subscriptions (0 subscription(s) in total)',
    });
    expect(await ok('bill-empty', 'billing_dunning_plan')).toMatchObject({
      status: 'not_enough_data',
      message: 'Not enough data: no unpaid invoice with a failed payment (0 invoice(s) checked)',
      invoices: [],
    });
    expect(await ok('bill-empty', 'get_subscription_list')).toEqual({ count: 0, total: 0, limit: 50, offset: 0, subscriptions: [] });
    expect((await ok('bill-empty', 'get_invoice_list')).total).toBe(0);
    expect((await ok('bill-empty', 'get_payment_list')).total).toBe(0);
  });

  it('manages subscriptions with their MRR history', async () => {
    const sub = await subscribe(BILL_A, {
      customer_ref: 'acme',
      plan: 'growth',
      mrr: 100,
      seats: 3,
      discount_pct: 10,
      started_at: '2025-01-10T00:00:00Z',
    });
    // net = 100 × (1 − 10%) = 90
    expect(sub).toMatchObject({
      customer_ref: 'acme',
      plan: 'growth',
      mrr: 100,
      net_mrr: 90,
      seats: 3,
      discount_pct: 10,
      status: 'active',
    });
    const upgraded = await change(BILL_A, sub, { mrr: 150, effective_at: '2025-02-15T00:00:00Z' });
    expect(upgraded).toMatchObject({ mrr: 150, net_mrr: 135 });
    const seatsOnly = await change(BILL_A, sub, { seats: 4 });
    expect(seatsOnly).toMatchObject({ seats: 4, net_mrr: 135 });
    const cancelled = await change(BILL_A, sub, { status: 'cancelled', effective_at: '2025-03-20T00:00:00Z' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelled_at: '2025-03-20T00:00:00.000Z', net_mrr: 0 });
    const read = await ok(BILL_A, 'get_subscription', { subscription_id: sub.subscription_id });
    // A seat change alone does not move MRR, so it is not in the history.
    expect(read.mrr_history).toEqual([
      { effective_at: '2025-01-10T00:00:00.000Z', mrr_before: 0, mrr_after: 90, reason: 'created' },
      { effective_at: '2025-02-15T00:00:00.000Z', mrr_before: 90, mrr_after: 135, reason: 'updated' },
      { effective_at: '2025-03-20T00:00:00.000Z', mrr_before: 135, mrr_after: 0, reason: 'cancelled' },
    ]);
    expect(await fails(BILL_A, 'update_subscription', { subscription_id: sub.subscription_id, mrr: 1 })).toBe(
      `Subscription ${sub.subscription_id} is cancelled, which is final; create a new subscription instead.`,
    );
    expect((await ok(BILL_A, 'get_subscription_list', { customer_ref: 'acme', status: 'cancelled' })).total).toBe(1);

    const trial = await subscribe(BILL_A, { customer_ref: 'trial-co', plan: 'starter', mrr: 49, status: 'trialing' });
    expect(trial.net_mrr).toBe(0);
    expect(await ok(BILL_A, 'delete_subscription', { subscription_id: trial.subscription_id })).toEqual({
      deleted: true,
      subscription_id: trial.subscription_id,
    });
    expect(await fails(BILL_A, 'get_subscription', { subscription_id: trial.subscription_id })).toBe(
      `No subscription ${trial.subscription_id} for this tenant.`,
    );
  });

  it('issues invoices and records payments, marking invoices paid', async () => {
    const sub = await subscribe(BILL_A, { customer_ref: 'globex', plan: 'starter', mrr: 50, discount_pct: 20 });
    const invoice = await ok(BILL_A, 'create_invoice', { subscription_id: sub.subscription_id, issued_at: '2025-03-01T00:00:00Z' });
    // The amount defaults to the billed MRR: 50 × 0.8 = 40.
    expect(invoice).toMatchObject({ customer_ref: 'globex', amount: 40, status: 'open', amount_paid: 0, amount_due: 40 });

    const failed = await ok(BILL_A, 'record_payment', {
      invoice_id: invoice.invoice_id,
      amount: 40,
      status: 'failed',
      failure_code: 'insufficient_funds',
      attempted_at: '2025-03-01T09:00:00Z',
    });
    expect(failed).toMatchObject({
      payment: { amount: 40, status: 'failed', failure_code: 'insufficient_funds' },
      invoice: { status: 'open', amount_due: 40 },
    });
    const partial = await ok(BILL_A, 'record_payment', { invoice_id: invoice.invoice_id, amount: 15, status: 'succeeded' });
    expect(partial.invoice).toMatchObject({ status: 'open', amount_paid: 15, amount_due: 25 });
    const rest = await ok(BILL_A, 'record_payment', { invoice_id: invoice.invoice_id, amount: 25, status: 'succeeded' });
    expect(rest.invoice).toMatchObject({ status: 'paid', amount_paid: 40, amount_due: 0 });
    expect(await fails(BILL_A, 'record_payment', { invoice_id: invoice.invoice_id, amount: 1, status: 'succeeded' })).toBe(
      `Invoice ${invoice.invoice_id} is paid; payments are recorded on open invoices only.`,
    );
    const read = await ok(BILL_A, 'get_invoice', { invoice_id: invoice.invoice_id });
    expect(read.payments.map((p: Body) => [p.amount, p.status, p.failure_code])).toEqual([
      [40, 'failed', 'insufficient_funds'],
      [15, 'succeeded', null],
      [25, 'succeeded', null],
    ]);
    expect((await ok(BILL_A, 'get_payment_list', { invoice_id: invoice.invoice_id, status: 'succeeded' })).total).toBe(2);
    expect(await fails(BILL_A, 'delete_subscription', { subscription_id: sub.subscription_id })).toBe(
      `Subscription ${sub.subscription_id} has 1 invoice(s) and cannot be deleted; update it with status cancelled instead.`,
    );

    const other = await ok(BILL_A, 'create_invoice', { subscription_id: sub.subscription_id, amount: 12.5 });
    expect(await ok(BILL_A, 'update_invoice_status', { invoice_id: other.invoice_id, status: 'void' })).toMatchObject({ status: 'void' });
    expect(await fails(BILL_A, 'update_invoice_status', { invoice_id: other.invoice_id, status: 'open' })).toBe(
      `Invoice ${other.invoice_id} is void, which is final.`,
    );
    expect((await ok(BILL_A, 'get_invoice_list', { customer_ref: 'globex' })).total).toBe(2);
  });

  it('refuses bad parameters with 422 and the field', async () => {
    const id = '6f1c1f0e-4bb8-4f6e-9d51-2f1c63a9b7a1';
    expect(await invalid('create_subscription', { customer_ref: 'x', plan: 'p', mrr: 10, discount_pct: 120 })).toEqual([
      { field: 'parameters.discount_pct', message: 'discount_pct must not be greater than 100' },
    ]);
    expect(await invalid('create_subscription', { customer_ref: 'x', plan: 'p', mrr: 10, status: 'cancelled' })).toEqual([
      { field: 'parameters.status', message: 'status must be one of the following values: trialing, active' },
    ]);
    expect(await invalid('update_subscription', { subscription_id: id, effective_at: '2025-01-01T00:00:00Z' })).toEqual([
      { field: 'parameters', message: 'give at least one field to change' },
    ]);
    expect(await invalid('record_payment', { invoice_id: id, amount: 5, status: 'succeeded', failure_code: 'card_expired' })).toEqual([
      { field: 'parameters.failure_code', message: 'is only for failed payments' },
    ]);
    expect(await invalid('record_payment', { invoice_id: id, amount: 0, status: 'failed' })).toEqual([
      { field: 'parameters.amount', message: 'amount must not be less than 0.01' },
    ]);
    expect(await invalid('billing_revenue_analysis', { period_start: '2025-02-01T00:00:00Z' })).toEqual([
      { field: 'parameters.period_end', message: 'give period_start and period_end together (or neither for last month)' },
    ]);
    expect(await invalid('billing_revenue_analysis', { period_start: '2025-03-01T00:00:00Z', period_end: '2025-02-01T00:00:00Z' })).toEqual(
      [{ field: 'parameters.period_end', message: 'must be after period_start' }],
    );
    expect(
      await invalid('billing_subscription_optimization', {
        plans: [
          { plan: 'a', monthly_price: 1, seat_limit: 2 },
          { plan: 'a', monthly_price: 2, seat_limit: null },
        ],
      }),
    ).toEqual([{ field: 'parameters.plans[1].plan', message: 'duplicates plan a' }]);
    expect(await invalid('billing_subscription_optimization', { plans: [{ plan: 'a', monthly_price: 1 }] })).toEqual([
      { field: 'parameters.plans[0].seat_limit', message: 'seat_limit must not be greater than 1000000' },
      { field: 'parameters.plans[0].seat_limit', message: 'seat_limit must not be less than 0' },
      { field: 'parameters.plans[0].seat_limit', message: 'seat_limit must be an integer number' },
    ]);
    expect(await invalid('billing_dunning_plan', { as_of: 'yesterday' })).toEqual([
      { field: 'parameters.as_of', message: 'as_of must be a valid ISO 8601 date string' },
    ]);
    expect(await invalid('sync_payments', {})).toEqual([
      { field: 'parameters.source_url', message: 'is required when BILLING_PAYMENTS_URL is not configured' },
    ]);
  });

  it("keeps tenants apart: tenant B can neither read nor change tenant A's rows", async () => {
    const [ISO_A, ISO_B] = ['bill-iso-a', 'bill-iso-b'];
    const sub = await subscribe(ISO_A, { customer_ref: 'initech', plan: 'growth', mrr: 300, started_at: '2025-01-01T00:00:00Z' });
    const invoice = await ok(ISO_A, 'create_invoice', { subscription_id: sub.subscription_id });
    const noSubscription = `No subscription ${sub.subscription_id} for this tenant.`;
    const noInvoice = `No invoice ${invoice.invoice_id} for this tenant.`;
    expect(await fails(ISO_B, 'get_subscription', { subscription_id: sub.subscription_id })).toBe(noSubscription);
    expect(await fails(ISO_B, 'update_subscription', { subscription_id: sub.subscription_id, mrr: 1 })).toBe(noSubscription);
    expect(await fails(ISO_B, 'delete_subscription', { subscription_id: sub.subscription_id })).toBe(noSubscription);
    expect(await fails(ISO_B, 'create_invoice', { subscription_id: sub.subscription_id })).toBe(noSubscription);
    expect(await fails(ISO_B, 'get_invoice', { invoice_id: invoice.invoice_id })).toBe(noInvoice);
    expect(await fails(ISO_B, 'update_invoice_status', { invoice_id: invoice.invoice_id, status: 'void' })).toBe(noInvoice);
    expect(await fails(ISO_B, 'record_payment', { invoice_id: invoice.invoice_id, amount: 300, status: 'succeeded' })).toBe(noInvoice);
    expect((await ok(ISO_B, 'get_subscription_list')).total).toBe(0);
    expect((await ok(ISO_B, 'get_invoice_list')).total).toBe(0);
    expect((await ok(ISO_B, 'get_payment_list')).total).toBe(0);
    const period = { period_start: '2025-01-01T00:00:00Z', period_end: '2099-01-01T00:00:00Z' };
    expect((await ok(ISO_B, 'billing_revenue_analysis', period)).status).toBe('not_enough_data');
    expect(await ok(ISO_A, 'billing_revenue_analysis', period)).toMatchObject({ mrr_start: 0, mrr_end: 300, movements: { new: 300 } });

    expect(await ok(ISO_A, 'get_subscription', { subscription_id: sub.subscription_id })).toMatchObject({ mrr: 300, status: 'active' });
    expect(await ok(ISO_A, 'get_invoice', { invoice_id: invoice.invoice_id })).toMatchObject({ status: 'open', payments: [] });
  });

  it('analyses revenue from the stored subscription history (hand-checked) and from posted events', async () => {
    const t = 'bill-revenue';
    const at = (day: string) => `${day}T00:00:00Z`;
    const s1 = await subscribe(t, { customer_ref: 'c1', plan: 'p', mrr: 100, started_at: at('2025-01-10') });
    await change(t, s1, { mrr: 150, effective_at: at('2025-02-15') }); // expansion 50
    const s2 = await subscribe(t, { customer_ref: 'c2', plan: 'p', mrr: 200, started_at: at('2025-01-05') });
    await change(t, s2, { mrr: 120, effective_at: at('2025-02-20') }); // contraction 80
    const s3 = await subscribe(t, { customer_ref: 'c3', plan: 'p', mrr: 50, started_at: at('2025-01-01') });
    await change(t, s3, { status: 'cancelled', effective_at: at('2025-02-10') }); // churn 50
    await subscribe(t, { customer_ref: 'c4', plan: 'p', mrr: 80, started_at: at('2025-02-05') }); // new 80
    const s5 = await subscribe(t, { customer_ref: 'c5', plan: 'p', mrr: 60, started_at: at('2024-11-01') });
    await change(t, s5, { status: 'cancelled', effective_at: at('2024-12-01') });
    await subscribe(t, { customer_ref: 'c5', plan: 'p', mrr: 60, started_at: at('2025-02-12') }); // reactivation 60
    await subscribe(t, { customer_ref: 'c6', plan: 'p', mrr: 100, started_at: at('2025-01-01') });
    await subscribe(t, { customer_ref: 'c6', plan: 'addon', mrr: 40, started_at: at('2025-02-03') }); // expansion 40
    const s8 = await subscribe(t, { customer_ref: 'c7', plan: 'p', mrr: 30, started_at: at('2025-01-01') });
    await change(t, s8, { status: 'paused', effective_at: at('2025-02-10') });
    await change(t, s8, { status: 'active', effective_at: at('2025-02-25') }); // back within the period: no movement
    await subscribe(t, { customer_ref: 'c8', plan: 'p', mrr: 500, started_at: at('2025-03-01') }); // next period

    const period = { period_start: at('2025-02-01'), period_end: at('2025-03-01') };
    const result = await ok(t, 'billing_revenue_analysis', period);
    // start 100 + 200 + 50 + 100 + 30 = 480; end 150 + 120 + 80 + 60 + 140 + 30 = 580
    // 480 + 80 new + 60 reactivation + 90 expansion − 80 contraction − 50 churn = 580
    // NRR (480 + 90 − 80 − 50) / 480 = 0.9167; GRR (480 − 80 − 50) / 480 = 0.7292
    expect(result).toMatchObject({
      status: 'ok',
      source: 'stored',
      mrr_start: 480,
      mrr_end: 580,
      movements: { new: 80, expansion: 90, contraction: 80, churn: 50, reactivation: 60 },
      net_new_mrr: 100,
      net_revenue_retention: 0.9167,
      gross_revenue_retention: 0.7292,
      customers: { at_start: 5, at_end: 6, new: 1, churned: 1, reactivated: 1, expanded: 2, contracted: 1 },
      reconciles: true,
      narrative: null,
    });
    expect(result.by_customer.map((c: Body) => [c.customer_ref, c.movement, c.amount])).toEqual([
      ['c2', 'contraction', 80],
      ['c4', 'new', 80],
      ['c5', 'reactivation', 60],
      ['c1', 'expansion', 50],
      ['c3', 'churn', 50],
      ['c6', 'expansion', 40],
    ]);

    const crew = await execute(t, 'billing_revenue_analysis', period, { force_crew: true }).expect(200);
    expect(crew.body).toMatchObject({ status: 'completed', strategy_used: 'crew_workflow', metrics: { ai_mode: 'deterministic' } });
    expect(crew.body.agents_used).toEqual(
      expect.arrayContaining(['master_business_supervisor', 'billing_supervisor', 'billing_revenue_specialist']),
    );
    expect(crew.body.result.net_revenue_retention).toBe(0.9167);

    const posted = await ok('bill-posted', 'billing_revenue_analysis', {
      ...period,
      mrr_events: [
        { customer_ref: 'x', effective_at: at('2025-01-01'), mrr: 100 },
        { customer_ref: 'x', effective_at: at('2025-02-10'), mrr: 120 },
        { customer_ref: 'y', effective_at: at('2025-01-01'), mrr: 50 },
        { customer_ref: 'y', effective_at: at('2025-02-20'), mrr: 0 },
      ],
    });
    // start 150; expansion 20, churn 50 → end 120; NRR (150 + 20 − 50) / 150 = 0.8; GRR (150 − 50) / 150 = 0.6667
    expect(posted).toMatchObject({
      source: 'posted',
      mrr_start: 150,
      mrr_end: 120,
      net_revenue_retention: 0.8,
      gross_revenue_retention: 0.6667,
    });
  });

  it('finds plan-fit candidates and discount leakage in stored subscriptions (hand-checked)', async () => {
    const t = 'bill-optimize';
    const s1 = await subscribe(t, { customer_ref: 'c1', plan: 'starter', mrr: 49, seats: 8 });
    const s2 = await subscribe(t, { customer_ref: 'c2', plan: 'growth', mrr: 199, seats: 3 });
    await subscribe(t, { customer_ref: 'c3', plan: 'growth', mrr: 199, seats: 19 });
    await subscribe(t, {
      customer_ref: 'c4',
      plan: 'enterprise',
      mrr: 999,
      seats: 50,
      discount_pct: 10,
      discount_ends_at: '2025-12-31T00:00:00Z',
    });
    await subscribe(t, { customer_ref: 'c5', plan: 'growth', mrr: 199, seats: 12, discount_pct: 30 });
    await subscribe(t, { customer_ref: 'c6', plan: 'pro', mrr: 300, seats: 4, discount_pct: 10, discount_ends_at: '2025-01-31T00:00:00Z' });
    const s7 = await subscribe(t, { customer_ref: 'c7', plan: 'starter', mrr: 49, seats: 9, discount_pct: 50 });
    await change(t, s7, { status: 'cancelled' });

    const result = await ok(t, 'billing_subscription_optimization', { plans: PLANS, as_of: '2025-03-01T00:00:00Z' });
    // Plan fit: c1 8 seats > starter's 5 → growth (+199 − 49 = 150); c2 3 seats fit starter (49 − 199 = −150);
    // c3 19 / 20 = 0.95 → near the limit; c6's plan "pro" is unknown. Leakage: c4 999 × 10% = 99.90 (in policy),
    // c5 199 × 30% = 59.70 with 199 × 10% = 19.90 above the 20% policy, c6 300 × 10% = 30 on a promo that ended.
    expect(result).toMatchObject({
      status: 'ok',
      source: 'stored',
      subscriptions_analysed: 6,
      plan_fit: { evaluated: true, upgrades: 1, downgrades: 1, near_limit: 1, unknown_plan: 1, upgrade_mrr: 150, downgrade_mrr: -150 },
      discount_leakage: {
        discounted_subscriptions: 3,
        total_discount_mrr: 189.6,
        above_policy: 1,
        above_policy_excess_mrr: 19.9,
        expired_promos: 1,
        expired_promo_mrr: 30,
        recoverable_mrr: 49.9,
      },
    });
    expect(result.plan_fit.entries.map((e: Body) => [e.customer_ref, e.verdict, e.suggested_plan, e.mrr_impact])).toEqual([
      ['c1', 'upgrade', 'growth', 150],
      ['c2', 'downgrade', 'starter', -150],
      ['c3', 'near_limit', null, 0],
      ['c6', 'unknown_plan', null, 0],
    ]);
    expect(result.plan_fit.entries[0].subscription_ref).toBe(s1.subscription_id);
    expect(result.plan_fit.entries[1].subscription_ref).toBe(s2.subscription_id);

    const posted = await ok('bill-posted', 'billing_subscription_optimization', {
      max_discount_pct: 25,
      as_of: '2025-03-01T00:00:00Z',
      subscriptions: [{ customer_ref: 'z', plan: 'growth', mrr: 200, seats: 2, discount_pct: 40 }],
    });
    // No plans: only leakage. 200 × 40% = 80 discount; (40 − 25)% × 200 = 30 above policy.
    expect(posted).toMatchObject({
      source: 'posted',
      plan_fit: { evaluated: false, entries: [] },
      discount_leakage: { total_discount_mrr: 80, above_policy_excess_mrr: 30, recoverable_mrr: 30 },
    });
  });

  it('plans dunning for stored failed payments (hand-checked) and for posted invoices', async () => {
    const t = 'bill-dunning';
    const invoiceIds: Record<string, string> = {};
    const invoiceFor = async (name: string, customer: string, amount: number, attempts: [string, string, string?][]) => {
      const sub = await subscribe(t, { customer_ref: customer, plan: 'p', mrr: amount });
      const invoice = await ok(t, 'create_invoice', { subscription_id: sub.subscription_id, amount, issued_at: '2025-02-01T00:00:00Z' });
      invoiceIds[invoice.invoice_id] = name;
      for (const [attemptedAt, status, failureCode] of attempts) {
        const amountPaid = name === 'inv3' && status === 'succeeded' ? 50 : amount;
        await ok(t, 'record_payment', {
          invoice_id: invoice.invoice_id,
          amount: amountPaid,
          status,
          attempted_at: attemptedAt,
          ...(failureCode ? { failure_code: failureCode } : {}),
        });
      }
    };
    await invoiceFor('inv1', 'c1', 100, [['2025-03-04T08:00:00Z', 'failed', 'insufficient_funds']]);
    await invoiceFor('inv2', 'c2', 300, [['2025-03-01T09:00:00Z', 'failed', 'card_expired']]);
    await invoiceFor('inv3', 'c3', 200, [
      ['2025-02-19T00:00:00Z', 'succeeded'],
      ['2025-02-20T10:00:00Z', 'failed', 'processing_error'],
      ['2025-02-21T10:00:00Z', 'failed', 'processing_error'],
      ['2025-02-23T10:00:00Z', 'failed', 'processing_error'],
    ]);
    await invoiceFor('inv4', 'c4', 500, [['2025-03-03T10:00:00Z', 'failed', 'stolen_card']]);
    await invoiceFor(
      'inv5',
      'c5',
      80,
      ['01', '02', '04', '06', '08'].map((day) => [`2025-02-${day}T10:00:00Z`, 'failed', 'do_not_honor'] as [string, string, string]),
    );
    await invoiceFor('inv6', 'c6', 40, [
      ['2025-03-01T10:00:00Z', 'failed', 'insufficient_funds'],
      ['2025-03-02T10:00:00Z', 'succeeded'],
    ]);
    await invoiceFor('inv7', 'c7', 60, [['2025-03-02T10:00:00Z', 'failed', 'account_closed']]);

    const result = await ok(t, 'billing_dunning_plan', { as_of: '2025-03-04T12:00:00Z' });
    // Expected recovery: inv2 300 × 0.4 = 120; inv3 (200 − 50) × 0.7 = 105; inv1 100 × 0.5 = 50; inv5 (4 retries failed)
    // 80 × 0.1 = 8; inv7 60 × 0.1 = 6; inv4 (fraud) 0. inv6 is paid. At risk 1190, expected 289.
    expect(
      result.invoices.map((e: Body) => [e.recovery_rank, invoiceIds[e.invoice_ref], e.category, e.amount_at_risk, e.expected_recovery]),
    ).toEqual([
      [1, 'inv2', 'update_payment_method', 300, 120],
      [2, 'inv3', 'transient', 150, 105],
      [3, 'inv1', 'insufficient_funds', 100, 50],
      [4, 'inv5', 'transient', 80, 8],
      [5, 'inv7', 'hard_decline', 60, 6],
      [6, 'inv4', 'fraud', 500, 0],
    ]);
    expect(result).toMatchObject({
      status: 'ok',
      source: 'stored',
      summary: { invoices: 6, amount_at_risk: 1190, expected_recovery: 289, retries_scheduled: 6 },
    });
    const inv1 = result.invoices.find((e: Body) => invoiceIds[e.invoice_ref] === 'inv1');
    expect(inv1.schedule.filter((s: Body) => s.action === 'retry_payment').map((s: Body) => s.date)).toEqual([
      '2025-03-05',
      '2025-03-07',
      '2025-03-09',
      '2025-03-11',
    ]);
    const inv2 = result.invoices.find((e: Body) => invoiceIds[e.invoice_ref] === 'inv2');
    expect(inv2.schedule).toEqual([
      { day: 3, date: '2025-03-04', action: 'send_message', template: 'update_card_reminder' },
      { day: 7, date: '2025-03-08', action: 'send_message', template: 'final_notice' },
      { day: 8, date: '2025-03-09', action: 'suspend_service' },
    ]);

    const posted = await ok('bill-posted', 'billing_dunning_plan', {
      as_of: '2025-03-04T00:00:00Z',
      invoices: [
        {
          invoice_ref: 'in_1',
          customer_ref: 'cus_1',
          amount: 120,
          payments: [{ amount: 120, status: 'failed', failure_code: 'expired_card', attempted_at: '2025-03-04T06:00:00Z' }],
        },
      ],
    });
    expect(posted).toMatchObject({
      source: 'posted',
      invoices: [{ invoice_ref: 'in_1', category: 'update_payment_method', amount_at_risk: 120, expected_recovery: 48, retries_left: 0 }],
    });
  });

  it('lists every billing task type in the catalogue and gives the specialists their tools', async () => {
    const catalogue = await http().get('/api/crew/catalogue').expect(200);
    const entries: Body[] = catalogue.body.domains.billing;
    expect(entries.map((e) => e.type).sort()).toEqual([
      'billing_dunning_plan',
      'billing_revenue_analysis',
      'billing_subscription_optimization',
      'create_invoice',
      'create_subscription',
      'delete_subscription',
      'get_invoice',
      'get_invoice_list',
      'get_payment_list',
      'get_subscription',
      'get_subscription_list',
      'record_payment',
      'sync_payments',
      'update_invoice_status',
      'update_subscription',
    ]);
    const byType = Object.fromEntries(entries.map((e) => [e.type, e]));
    expect(byType.sync_payments).toMatchObject({ default_strategy: 'direct_api', requires_ai: false });
    expect(byType.record_payment).toMatchObject({ default_strategy: 'direct_db', requires_ai: false });
    expect(byType.billing_revenue_analysis).toMatchObject({
      default_strategy: 'single_agent',
      requires_ai: true,
      result_schema: { required: expect.arrayContaining(['mrr_start', 'mrr_end', 'movements', 'net_revenue_retention']) },
    });

    const agents = await http().get('/api/crew/agents').expect(200);
    const all: Body[] = [];
    const walk = (node: Body) => {
      all.push(node);
      (node.subordinates as Body[]).forEach(walk);
    };
    (agents.body.hierarchy as Body[]).forEach(walk);
    const tools = Object.fromEntries(all.filter((a) => a.id.startsWith('billing_')).map((a) => [a.id, a.tools]));
    expect(Object.keys(tools).sort()).toEqual([
      'billing_invoice_worker',
      'billing_payment_worker',
      'billing_revenue_specialist',
      'billing_subscription_specialist',
      'billing_supervisor',
    ]);
    expect(tools.billing_revenue_specialist).toEqual(['billing_revenue_analysis', 'billing_dunning_plan']);
    expect(tools.billing_subscription_specialist).toEqual(['billing_subscription_optimization']);
  });

  it('migration down() drops the billing tables and up() recreates them', async () => {
    const runner = testApp.app.get(DataSource).createQueryRunner();
    const tables = async () => {
      const rows = (await runner.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ANY($1) ORDER BY 1`,
        [['invoices', 'payments', 'subscription_changes', 'subscriptions']],
      )) as { table_name: string }[];
      return rows.map((row) => row.table_name);
    };
    const migration = new CreateBillingTables1764029300000();
    try {
      await migration.down(runner);
      expect(await tables()).toEqual([]);
      await migration.up(runner);
      expect(await tables()).toEqual(['invoices', 'payments', 'subscription_changes', 'subscriptions']);
    } finally {
      await runner.release();
    }
  });
});
