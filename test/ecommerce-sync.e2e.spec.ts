import type { ServerResponse } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LoopbackServer } from './support/loopback-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type Body = Record<string, any>;

const json = (response: ServerResponse, status: number, body: unknown) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));

const PRODUCTS = [
  { id: 'p-1', sku: 'MUG', name: 'Mug', price: 12, cost: 4, stock_on_hand: 40, lead_time_days: 5 },
  { id: 'p-2', sku: 'TEA', name: 'Tea', price: 6, stock_on_hand: 0, extra_upstream_field: 'ignored' },
];
const ORDERS = [
  {
    id: 'o-1',
    customer_ref: 'cust-1',
    ordered_at: '2025-03-01T10:00:00Z',
    status: 'paid',
    items: [
      { sku: 'MUG', quantity: 2, unit_price: 12 },
      { sku: 'TEA', quantity: 1, unit_price: 6 },
    ],
  },
  {
    id: 'o-2',
    customer_ref: 'cust-2',
    ordered_at: '2025-03-02T10:00:00Z',
    status: 'shipped',
    items: [{ sku: 'TEA', quantity: 3, unit_price: 5.5 }],
  },
];

describe('e-commerce syncs against a loopback upstream', () => {
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
  const failure = async (tenant: string, type: string, parameters: Body = {}) => {
    const response = await execute(tenant, type, parameters);
    expect(response.body).toMatchObject({ status: 'failed', result: null, strategy_used: 'direct_api' });
    return (response.body.error as string).replace(/^Every strategy failed \(direct_api\): direct_api: /, '');
  };
  const products = () => `${upstream.url}/products`;
  const orders = () => `${upstream.url}/orders`;

  beforeAll(async () => {
    upstream = await new LoopbackServer().start();
    // The configured fallbacks of the e-commerce section.
    testApp = await createTestApp({
      OUTBOUND_ALLOW_PRIVATE: 'true',
      ECOMMERCE_ORDERS_URL: `${upstream.url}/orders`,
      ECOMMERCE_SYNC_TOKEN: 'shop-token',
    });
  });
  afterAll(async () => {
    await testApp?.dispose();
    await upstream?.close();
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    upstream.respond((req, res) => json(res, 200, req.url === '/products' ? { products: PRODUCTS } : { orders: ORDERS }));
  });

  it('imports products and orders idempotently, with the configured URL and token', async () => {
    const tenant = 'sync-happy';
    expect(await result(tenant, 'sync_products', { source_url: products() })).toEqual({
      status: 'completed',
      source_url: products(),
      attempts: 1,
      received: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
    });
    // No source_url: ECOMMERCE_ORDERS_URL, with ECOMMERCE_SYNC_TOKEN as the bearer token.
    expect(await result(tenant, 'sync_ecommerce_orders')).toMatchObject({ source_url: orders(), received: 2, created: 2, updated: 0 });
    expect(upstream.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ['GET', '/products', 'Bearer shop-token'],
      ['GET', '/orders', 'Bearer shop-token'],
    ]);

    // Running again changes nothing.
    expect(await result(tenant, 'sync_products', { source_url: products() })).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await result(tenant, 'sync_ecommerce_orders')).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    const list = await result(tenant, 'get_order_list');
    expect(list.total).toBe(2);
    const first = list.orders.find((o: Body) => o.external_id === 'o-1');
    // 2 × 12 + 1 × 6 = 30
    expect(await result(tenant, 'get_order', { order_id: first.order_id })).toMatchObject({
      customer_ref: 'cust-1',
      total: 30,
      items: [
        { sku: 'MUG', quantity: 2, unit_price: 12 },
        { sku: 'TEA', quantity: 1, unit_price: 6 },
      ],
    });
    const mug = await result(tenant, 'get_product', { sku: 'MUG' });
    expect(mug).toMatchObject({ external_id: 'p-1', price: 12, cost: 4, stock_on_hand: 40, lead_time_days: 5 });
    expect(mug.recent_movements).toMatchObject([{ quantity_change: 40, reason: 'receipt', stock_after: 40 }]);

    // A changed upstream record is updated; stock changes go through the ledger.
    upstream.respond((req, res) =>
      json(res, 200, {
        products: [{ ...PRODUCTS[0], price: 13, stock_on_hand: 35 }, PRODUCTS[1]],
      }),
    );
    expect(await result(tenant, 'sync_products', { source_url: products() })).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect((await result(tenant, 'get_product', { sku: 'MUG' })).recent_movements[0]).toMatchObject({
      quantity_change: -5,
      reason: 'adjustment',
      stock_after: 35,
    });
    upstream.respond((req, res) => json(res, 200, { orders: [{ ...ORDERS[0], items: [{ sku: 'MUG', quantity: 1, unit_price: 12 }] }] }));
    expect(await result(tenant, 'sync_ecommerce_orders')).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    expect(await result(tenant, 'get_order', { order_id: first.order_id })).toMatchObject({
      total: 12,
      items: [{ sku: 'MUG', quantity: 1 }],
    });

    // The same upstream ids in another tenant are that tenant's own rows.
    upstream.respond((req, res) => json(res, 200, { products: PRODUCTS }));
    expect(await result('sync-other', 'sync_products', { source_url: products() })).toMatchObject({ created: 2 });
    expect((await result(tenant, 'get_product_list')).total).toBe(2);
  });

  it('accepts an empty upstream list', async () => {
    upstream.respond((req, res) => json(res, 200, req.url === '/products' ? { products: [] } : { orders: [] }));
    expect(await result('sync-empty', 'sync_products', { source_url: products() })).toMatchObject({
      received: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
    });
    expect(await result('sync-empty', 'sync_ecommerce_orders', { source_url: orders() })).toMatchObject({ received: 0, created: 0 });
  });

  it('retries a 500 and succeeds on the next attempt', async () => {
    let calls = 0;
    upstream.respond((req, res) => {
      calls += 1;
      if (calls === 1) json(res, 500, { error: 'boom' });
      else json(res, 200, { products: PRODUCTS });
    });
    expect(await result('sync-retry', 'sync_products', { source_url: products() })).toMatchObject({ attempts: 2, created: 2 });
  });

  it('fails clearly on a persistent 500, writing nothing', async () => {
    upstream.respond((req, res) => json(res, 500, { error: 'boom' }));
    expect(await failure('sync-500', 'sync_products', { source_url: products(), max_retries: 2 })).toBe(
      `Upstream ${products()} answered HTTP 500 (3 attempt(s)); nothing was imported`,
    );
    expect(upstream.requests).toHaveLength(3);
    expect((await result('sync-500', 'get_product_list')).total).toBe(0);
  });

  it('fails clearly on a timeout, writing nothing', async () => {
    upstream.respond(() => 'hang');
    expect(await failure('sync-timeout', 'sync_ecommerce_orders', { source_url: orders(), timeout_ms: 300, max_retries: 1 })).toBe(
      `Upstream ${orders()} did not answer within 300 ms (2 attempt(s)); nothing was imported`,
    );
    expect(upstream.requests).toHaveLength(2);
    expect((await result('sync-timeout', 'get_order_list')).total).toBe(0);
  });

  it('does not retry a 404', async () => {
    upstream.respond((req, res) => json(res, 404, { error: 'no such shop' }));
    expect(await failure('sync-404', 'sync_products', { source_url: products() })).toBe(
      `Upstream ${products()} answered HTTP 404; nothing was imported`,
    );
    expect(upstream.requests).toHaveLength(1);
  });

  it('refuses a malformed body as a whole, writing nothing', async () => {
    const tenant = 'sync-malformed';
    upstream.respond((req, res) => json(res, 200, '{"products": [ {"id": "p-1",'));
    expect(await failure(tenant, 'sync_products', { source_url: products() })).toBe(
      `Upstream ${products()} answered a body that is not JSON; nothing was imported`,
    );
    upstream.respond((req, res) => json(res, 200, { items: [] }));
    expect(await failure(tenant, 'sync_products', { source_url: products() })).toBe(
      `Upstream ${products()} answered a malformed payload: products: expected a JSON object with a "products" array; nothing was imported`,
    );
    // The first product is valid; the second is not: neither is written.
    upstream.respond((req, res) => json(res, 200, { products: [PRODUCTS[0], { ...PRODUCTS[1], price: -3, sku: 'bad sku' }] }));
    expect(await failure(tenant, 'sync_products', { source_url: products() })).toBe(
      `Upstream ${products()} answered a malformed payload: products[1].sku: sku must be 1–100 characters: letters, digits, . _ - / (starting with a letter or digit); products[1].price: price must not be less than 0; nothing was imported`,
    );
    upstream.respond((req, res) => json(res, 200, { products: [PRODUCTS[0], { ...PRODUCTS[1], id: 'p-1' }] }));
    expect(await failure(tenant, 'sync_products', { source_url: products() })).toBe(
      `Upstream ${products()} answered a malformed payload: products[1].id: duplicates id "p-1"; nothing was imported`,
    );
    expect((await result(tenant, 'get_product_list')).total).toBe(0);

    // Orders naming a SKU the tenant does not have: refused before anything is written.
    upstream.respond((req, res) => json(res, 200, req.url === '/products' ? { products: [PRODUCTS[0]] } : { orders: ORDERS }));
    await result(tenant, 'sync_products', { source_url: products() });
    expect(await failure(tenant, 'sync_ecommerce_orders', { source_url: orders() })).toBe(
      `Upstream ${orders()} answered a malformed payload: orders[0].items[1].sku: TEA is not a product of this tenant (sync products first); orders[1].items[0].sku: TEA is not a product of this tenant (sync products first); nothing was imported`,
    );
    expect((await result(tenant, 'get_order_list')).total).toBe(0);
  });

  it('rolls back rows already written when a later record is refused inside the transaction', async () => {
    const tenant = 'sync-rollback';
    await result(tenant, 'create_product', { sku: 'TEA', name: 'Local tea', price: 5, external_id: 'p-9' });
    // p-1 (MUG) is inserted first; p-2 claims TEA, which belongs to upstream product p-9 → the whole sync is undone.
    expect(await failure(tenant, 'sync_products', { source_url: products() })).toBe(
      `Upstream ${products()} answered a malformed payload: products[1].sku: TEA already belongs to upstream product p-9; nothing was imported`,
    );
    const list = await result(tenant, 'get_product_list');
    expect(list.products.map((p: Body) => [p.sku, p.external_id, p.name])).toEqual([['TEA', 'p-9', 'Local tea']]);
  });
});
