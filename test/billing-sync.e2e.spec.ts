import type { ServerResponse } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LoopbackServer } from './support/loopback-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type Body = Record<string, any>;

const json = (response: ServerResponse, status: number, body: unknown) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));

const INVOICE_1 = {
  id: 'in_1',
  customer_ref: 'cus_1',
  subscription_id: 'sub_1',
  amount: 120,
  issued_at: '2025-03-01T00:00:00Z',
  status: 'open',
};
const INVOICE_2 = {
  id: 'in_2',
  customer_ref: 'cus_2',
  subscription_id: 'sub_unknown',
  amount: 80,
  issued_at: '2025-03-01T00:00:00Z',
  status: 'paid',
};
const PAYMENTS = [
  {
    id: 'py_1',
    amount: 120,
    status: 'failed',
    failure_code: 'insufficient_funds',
    attempted_at: '2025-03-02T10:00:00Z',
    invoice: INVOICE_1,
  },
  {
    id: 'py_2',
    amount: 120,
    status: 'failed',
    failure_code: 'insufficient_funds',
    attempted_at: '2025-03-03T10:00:00Z',
    invoice: INVOICE_1,
  },
  { id: 'py_3', amount: 80, status: 'succeeded', attempted_at: '2025-03-02T11:00:00Z', invoice: INVOICE_2 },
];

describe('sync_payments against a loopback payment processor', () => {
  let testApp: TestApp;
  let upstream: LoopbackServer;
  const http = () => request(testApp.app.getHttpServer());
  const execute = (tenant: string, type: string, parameters: Body = {}) =>
    http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', tenant)
      .send({ type, description: `Run ${type}`, parameters })
      .expect(200);
  const result = async (tenant: string, type: string, parameters: Body = {}) => {
    const response = await execute(tenant, type, parameters);
    expect(response.body).toMatchObject({ status: 'completed', error: null });
    return response.body.result as Body;
  };
  /** The task's error without the fallback chain's prefix (a direct_api chain has only itself). */
  const failure = async (tenant: string, parameters: Body = {}) => {
    const response = await execute(tenant, 'sync_payments', parameters);
    expect(response.body).toMatchObject({ status: 'failed', result: null, strategy_used: 'direct_api' });
    return (response.body.error as string).replace(/^Every strategy failed \(direct_api\): direct_api: /, '');
  };
  const url = () => `${upstream.url}/payments`;
  const nothingWritten = async (tenant: string) => {
    expect((await result(tenant, 'get_invoice_list')).total).toBe(0);
    expect((await result(tenant, 'get_payment_list')).total).toBe(0);
  };

  beforeAll(async () => {
    upstream = await new LoopbackServer().start();
    testApp = await createTestApp({
      OUTBOUND_ALLOW_PRIVATE: 'true',
      BILLING_PAYMENTS_URL: `${upstream.url}/payments`,
      BILLING_SYNC_TOKEN: 'processor-token',
    });
  });
  afterAll(async () => {
    await testApp?.dispose();
    await upstream?.close();
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    upstream.respond((req, res) => json(res, 200, { payments: PAYMENTS }));
  });

  it('imports payments with their invoices idempotently and feeds the dunning plan', async () => {
    const tenant = 'pay-happy';
    await result(tenant, 'create_subscription', { customer_ref: 'cus_1', plan: 'growth', mrr: 120, external_id: 'sub_1' });
    // No source_url: BILLING_PAYMENTS_URL with BILLING_SYNC_TOKEN.
    expect(await result(tenant, 'sync_payments')).toEqual({
      status: 'completed',
      source_url: url(),
      attempts: 1,
      received: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      invoices: { created: 2, updated: 0, unchanged: 0 },
      unlinked_invoices: 1,
    });
    expect(upstream.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ['GET', '/payments', 'Bearer processor-token'],
    ]);
    expect(await result(tenant, 'sync_payments')).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 3,
      invoices: { created: 0, unchanged: 2 },
    });

    const invoices = await result(tenant, 'get_invoice_list');
    // Both were issued at the same instant: order them by upstream id.
    invoices.invoices.sort((a: Body, b: Body) => String(a.external_id).localeCompare(String(b.external_id)));
    expect(invoices.invoices.map((i: Body) => [i.external_id, i.customer_ref, i.amount, i.status, i.subscription_id !== null])).toEqual([
      ['in_1', 'cus_1', 120, 'open', true],
      ['in_2', 'cus_2', 80, 'paid', false],
    ]);
    const open = await result(tenant, 'get_invoice', { invoice_id: invoices.invoices[0].invoice_id });
    expect(open).toMatchObject({ amount_paid: 0, amount_due: 120 });
    expect(open.payments.map((p: Body) => [p.external_id, p.status, p.failure_code])).toEqual([
      ['py_1', 'failed', 'insufficient_funds'],
      ['py_2', 'failed', 'insufficient_funds'],
    ]);

    // The imported failures drive the dunning plan: first failure 03-02, one retry done (03-03) → days 3, 5, 7 remain.
    const plan = await result(tenant, 'billing_dunning_plan', { as_of: '2025-03-04T00:00:00Z' });
    expect(plan.invoices).toMatchObject([
      { invoice_ref: open.invoice_id, category: 'insufficient_funds', amount_at_risk: 120, failed_attempts: 2, retries_left: 3 },
    ]);
    expect(plan.invoices[0].schedule.filter((s: Body) => s.action === 'retry_payment').map((s: Body) => s.date)).toEqual([
      '2025-03-05',
      '2025-03-07',
      '2025-03-09',
    ]);

    // The invoice was paid upstream by a new payment: the invoice is updated, the payment created.
    const paidInvoice = { ...INVOICE_1, status: 'paid' };
    upstream.respond((req, res) =>
      json(res, 200, {
        payments: [
          ...PAYMENTS.slice(0, 2).map((payment) => ({ ...payment, invoice: paidInvoice })),
          PAYMENTS[2],
          { id: 'py_4', amount: 120, status: 'succeeded', attempted_at: '2025-03-05T10:00:00Z', invoice: paidInvoice },
        ],
      }),
    );
    expect(await result(tenant, 'sync_payments')).toMatchObject({
      created: 1,
      updated: 0,
      unchanged: 3,
      invoices: { updated: 1, unchanged: 1 },
    });
    expect((await result(tenant, 'billing_dunning_plan', { as_of: '2025-03-06T00:00:00Z' })).status).toBe('not_enough_data');

    // The same upstream ids in another tenant are that tenant's own rows.
    upstream.respond((req, res) => json(res, 200, { payments: PAYMENTS }));
    expect(await result('pay-other', 'sync_payments', { source_url: url() })).toMatchObject({
      created: 3,
      invoices: { created: 2 },
      unlinked_invoices: 2,
    });
    expect((await result(tenant, 'get_payment_list')).total).toBe(4);
  });

  it('retries a 500, then fails clearly when it persists, writing nothing', async () => {
    let calls = 0;
    upstream.respond((req, res) => {
      calls += 1;
      if (calls === 1) json(res, 503, { error: 'busy' });
      else json(res, 200, { payments: PAYMENTS });
    });
    expect(await result('pay-retry', 'sync_payments', { source_url: url() })).toMatchObject({ attempts: 2, created: 3 });

    upstream.requests.length = 0;
    upstream.respond((req, res) => json(res, 500, { error: 'boom' }));
    expect(await failure('pay-500', { source_url: url(), max_retries: 1 })).toBe(
      `Upstream ${url()} answered HTTP 500 (2 attempt(s)); nothing was imported`,
    );
    expect(upstream.requests).toHaveLength(2);
    await nothingWritten('pay-500');
  });

  it('fails clearly on a timeout, writing nothing', async () => {
    upstream.respond(() => 'hang');
    expect(await failure('pay-timeout', { source_url: url(), timeout_ms: 250, max_retries: 0 })).toBe(
      `Upstream ${url()} did not answer within 250 ms (1 attempt(s)); nothing was imported`,
    );
    await nothingWritten('pay-timeout');
  });

  it('refuses a malformed body as a whole, writing nothing', async () => {
    const tenant = 'pay-malformed';
    upstream.respond((req, res) => json(res, 200, 'payments: none'));
    expect(await failure(tenant, { source_url: url() })).toBe(`Upstream ${url()} answered a body that is not JSON; nothing was imported`);
    upstream.respond((req, res) => json(res, 200, [PAYMENTS[0]]));
    expect(await failure(tenant, { source_url: url() })).toBe(
      `Upstream ${url()} answered a malformed payload: payments: expected a JSON object with a "payments" array; nothing was imported`,
    );
    upstream.respond((req, res) =>
      json(res, 200, { payments: [PAYMENTS[0], { ...PAYMENTS[2], invoice: { ...INVOICE_2, amount: 'eighty' } }] }),
    );
    expect(await failure(tenant, { source_url: url() })).toBe(
      `Upstream ${url()} answered a malformed payload: payments[1].invoice.amount: amount must be a number conforming to the specified constraints; nothing was imported`,
    );
    upstream.respond((req, res) =>
      json(res, 200, {
        payments: [
          PAYMENTS[0],
          { ...PAYMENTS[1], invoice: { ...INVOICE_1, amount: 999 } },
          { ...PAYMENTS[2], failure_code: 'card_expired' },
        ],
      }),
    );
    expect(await failure(tenant, { source_url: url() })).toBe(
      `Upstream ${url()} answered a malformed payload: payments[1].invoice: differs from an earlier payment's invoice in_1; payments[2].failure_code: is only for failed payments; nothing was imported`,
    );
    await nothingWritten(tenant);
  });
});
