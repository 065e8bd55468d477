import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateEcommerceTables1764029200000 } from '../migrations/1764029200000-CreateEcommerceTables.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const SHOP_A = 'shop-a';
const SHOP_B = 'shop-b';

type Body = Record<string, any>;

describe('e-commerce domain through /execute (deterministic mode)', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());
  const execute = (tenant: string, type: string, parameters: Body = {}, extra: Body = {}) =>
    http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', tenant)
      .send({ type, description: `Run ${type}`, parameters, ...extra });
  /** Runs a task that must complete and answers its result. */
  const ok = async (tenant: string, type: string, parameters: Body = {}, extra: Body = {}): Promise<Body> => {
    const response = await execute(tenant, type, parameters, extra).expect(200);
    expect(response.body.error).toBeNull();
    expect(response.body).toMatchObject({ status: 'completed', metrics: { ai_mode: 'deterministic', llm_calls: 0 } });
    return response.body.result as Body;
  };
  /** Runs a task that must fail in its handler and answers its error. */
  const fails = async (tenant: string, type: string, parameters: Body): Promise<string> => {
    const response = await execute(tenant, type, parameters).expect(200);
    expect(response.body).toMatchObject({ status: 'failed', result: null });
    return response.body.error as string;
  };
  const invalid = async (type: string, parameters: Body) => {
    const response = await execute(SHOP_A, type, parameters).expect(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    return response.body.errors as { field: string; message: string }[];
  };

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('answers not enough data for a tenant without products or orders', async () => {
    const inventory = await ok('shop-empty', 'ecommerce_inventory_optimization');
    expect(inventory).toMatchObject({
      status: 'not_enough_data',
      source: 'stored',
      message: 'Not enough data: there are no products to analyse',
      products: [],
      narrative: null,
    });
    const recommendations = await ok('shop-empty', 'ecommerce_product_recommendations');
    expect(recommendations).toMatchObject({ status: 'not_enough_data', source: 'stored', basket_count: 0, rules: [] });
    expect(await ok('shop-empty', 'get_product_list')).toEqual({ count: 0, total: 0, limit: 50, offset: 0, products: [] });
    expect(await ok('shop-empty', 'get_order_list', { limit: 5 })).toEqual({ count: 0, total: 0, limit: 5, offset: 0, orders: [] });
  });

  it('creates, reads, updates and deletes products, with the inventory ledger', async () => {
    const created = await ok(SHOP_A, 'create_product', { sku: 'MUG-1', name: 'Mug', price: 12.5, cost: 4, stock_on_hand: 100 });
    expect(created).toMatchObject({
      sku: 'MUG-1',
      name: 'Mug',
      price: 12.5,
      cost: 4,
      stock_on_hand: 100,
      lead_time_days: 7,
      ordering_cost: 0,
      holding_cost_rate: 0.25,
      active: true,
      external_id: null,
    });
    const read = await ok(SHOP_A, 'get_product', { sku: 'MUG-1' });
    expect(read.product_id).toBe(created.product_id);
    expect(read.recent_movements).toMatchObject([{ quantity_change: 100, reason: 'receipt', stock_after: 100, note: 'opening stock' }]);

    const updated = await ok(SHOP_A, 'update_product', { product_id: created.product_id, price: 14, lead_time_days: 3 });
    expect(updated).toMatchObject({ price: 14, lead_time_days: 3, cost: 4, stock_on_hand: 100 });

    const received = await ok(SHOP_A, 'adjust_inventory', { product_id: created.product_id, quantity_change: 20, reason: 'receipt' });
    expect(received).toMatchObject({ stock_on_hand: 120, movement: { quantity_change: 20, reason: 'receipt', stock_after: 120 } });
    expect(await fails(SHOP_A, 'adjust_inventory', { product_id: created.product_id, quantity_change: -500, reason: 'damage' })).toBe(
      'Not enough stock of MUG-1: 120 on hand, 500 needed; nothing was changed.',
    );
    expect((await ok(SHOP_A, 'get_product', { product_id: created.product_id })).stock_on_hand).toBe(120);

    expect(await fails(SHOP_A, 'create_product', { sku: 'MUG-1', name: 'Another mug', price: 1 })).toBe(
      'A product with SKU MUG-1 already exists for this tenant.',
    );
    const list = await ok(SHOP_A, 'get_product_list', { search: 'mug' });
    expect(list).toMatchObject({ count: 1, total: 1, products: [{ sku: 'MUG-1' }] });

    const spare = await ok(SHOP_A, 'create_product', { sku: 'SPARE', name: 'Spare part', price: 1 });
    expect(await ok(SHOP_A, 'delete_product', { product_id: spare.product_id })).toEqual({
      deleted: true,
      product_id: spare.product_id,
      sku: 'SPARE',
    });
    expect(await fails(SHOP_A, 'get_product', { product_id: spare.product_id })).toBe(`No product ${spare.product_id} for this tenant.`);
  });

  it('creates an order with its lines in one transaction and keeps stock consistent', async () => {
    const tea = await ok(SHOP_A, 'create_product', { sku: 'TEA-1', name: 'Tea', price: 6, stock_on_hand: 10 });
    const pot = await ok(SHOP_A, 'create_product', { sku: 'POT-1', name: 'Teapot', price: 30, stock_on_hand: 2 });
    const order = await ok(SHOP_A, 'create_order', {
      customer_ref: 'cust-1',
      ordered_at: '2025-03-01T10:00:00Z',
      items: [
        { sku: 'TEA-1', quantity: 3 },
        { product_id: pot.product_id, quantity: 1, unit_price: 25 },
      ],
    });
    // 3 × 6 + 1 × 25 = 43
    expect(order).toMatchObject({
      customer_ref: 'cust-1',
      ordered_at: '2025-03-01T10:00:00.000Z',
      status: 'paid',
      total: 43,
      items: [
        { sku: 'TEA-1', product_id: tea.product_id, quantity: 3, unit_price: 6, line_total: 18 },
        { sku: 'POT-1', product_id: pot.product_id, quantity: 1, unit_price: 25, line_total: 25 },
      ],
    });
    expect((await ok(SHOP_A, 'get_product', { sku: 'TEA-1' })).stock_on_hand).toBe(7);
    expect((await ok(SHOP_A, 'get_product', { sku: 'POT-1' })).stock_on_hand).toBe(1);

    // The second line lacks stock: the order, its lines and the first line's stock change are all rolled back.
    expect(
      await fails(SHOP_A, 'create_order', {
        customer_ref: 'cust-2',
        items: [
          { sku: 'TEA-1', quantity: 1 },
          { sku: 'POT-1', quantity: 5 },
        ],
      }),
    ).toBe('Not enough stock of POT-1: 1 on hand, 5 needed; nothing was changed.');
    expect(await fails(SHOP_A, 'create_order', { customer_ref: 'cust-2', items: [{ sku: 'NOPE', quantity: 1 }] })).toBe(
      'items[0]: no product with SKU NOPE for this tenant; nothing was written.',
    );
    expect((await ok(SHOP_A, 'get_order_list', { customer_ref: 'cust-2' })).total).toBe(0);
    expect((await ok(SHOP_A, 'get_product', { sku: 'TEA-1' })).stock_on_hand).toBe(7);

    expect(await ok(SHOP_A, 'get_order', { order_id: order.order_id })).toEqual(order);
    const listed = await ok(SHOP_A, 'get_order_list', { customer_ref: 'cust-1', from: '2025-03-01T00:00:00Z', to: '2025-03-02T00:00:00Z' });
    expect(listed).toMatchObject({ count: 1, total: 1, orders: [{ order_id: order.order_id, total: 43 }] });
    expect(listed.orders[0].items).toBeUndefined();

    // Cancelling returns the sold units; cancelled is final.
    expect(await ok(SHOP_A, 'update_order_status', { order_id: order.order_id, status: 'cancelled' })).toMatchObject({
      status: 'cancelled',
    });
    expect((await ok(SHOP_A, 'get_product', { sku: 'TEA-1' })).stock_on_hand).toBe(10);
    expect((await ok(SHOP_A, 'get_product', { sku: 'POT-1' })).recent_movements[0]).toMatchObject({
      quantity_change: 1,
      reason: 'return',
      stock_after: 2,
      order_id: order.order_id,
    });
    expect(await fails(SHOP_A, 'update_order_status', { order_id: order.order_id, status: 'paid' })).toBe(
      `Order ${order.order_id} is cancelled, which is final; it cannot become paid.`,
    );

    expect(await fails(SHOP_A, 'delete_product', { sku: 'TEA-1' })).toBe(
      'Product TEA-1 is on 1 order line(s) and cannot be deleted; update it with active: false instead.',
    );
    expect(await ok(SHOP_A, 'delete_order', { order_id: order.order_id })).toEqual({ deleted: true, order_id: order.order_id });
    expect(await fails(SHOP_A, 'get_order', { order_id: order.order_id })).toBe(`No order ${order.order_id} for this tenant.`);
    expect(await ok(SHOP_A, 'delete_product', { sku: 'TEA-1' })).toMatchObject({ deleted: true });
  });

  it('refuses bad parameters with 422 and the field', async () => {
    expect(await invalid('create_product', { sku: 'X', name: 'X', price: -1 })).toEqual([
      { field: 'parameters.price', message: 'price must not be less than 0' },
    ]);
    expect(await invalid('create_product', { sku: 'bad sku!', name: 'X', price: 1 })).toEqual([
      { field: 'parameters.sku', message: 'sku must be 1–100 characters: letters, digits, . _ - / (starting with a letter or digit)' },
    ]);
    expect(await invalid('get_product', { product_id: '6f1c1f0e-4bb8-4f6e-9d51-2f1c63a9b7a1', sku: 'X' })).toEqual([
      { field: 'parameters', message: 'give exactly one of product_id and sku' },
    ]);
    expect(await invalid('get_product', { product_id: 'not-a-uuid' })).toEqual([
      { field: 'parameters.product_id', message: 'product_id must be a UUID' },
    ]);
    expect(await invalid('update_product', { product_id: '6f1c1f0e-4bb8-4f6e-9d51-2f1c63a9b7a1' })).toEqual([
      { field: 'parameters', message: 'give at least one field to change' },
    ]);
    expect(await invalid('update_product', { product_id: '6f1c1f0e-4bb8-4f6e-9d51-2f1c63a9b7a1', stock_on_hand: 5 })).toEqual([
      { field: 'parameters.stock_on_hand', message: 'is not an allowed field' },
    ]);
    expect(
      await invalid('adjust_inventory', { product_id: '6f1c1f0e-4bb8-4f6e-9d51-2f1c63a9b7a1', quantity_change: 0, reason: 'sale' }),
    ).toEqual([
      { field: 'parameters.quantity_change', message: 'quantity_change should not be equal to 0' },
      { field: 'parameters.reason', message: 'reason must be one of the following values: receipt, adjustment, return, damage' },
    ]);
    expect(await invalid('create_order', { customer_ref: 'c', items: [{ quantity: 1 }, { sku: 'A', quantity: 0 }] })).toEqual([
      { field: 'parameters.items[1].quantity', message: 'quantity must not be less than 1' },
    ]);
    expect(await invalid('create_order', { customer_ref: 'c', items: [{ quantity: 1 }] })).toEqual([
      { field: 'parameters.items[0]', message: 'give exactly one of product_id and sku' },
    ]);
    expect(await invalid('create_order', { customer_ref: 'c', items: [] })).toEqual([
      { field: 'parameters.items', message: 'items must contain at least 1 elements' },
    ]);
    expect(await invalid('ecommerce_inventory_optimization', { service_level: 1 })).toEqual([
      { field: 'parameters.service_level', message: 'service_level must not be greater than 0.9999' },
    ]);
    expect(await invalid('ecommerce_inventory_optimization', { products: [] })).toEqual([
      { field: 'parameters.orders', message: 'give products and orders together, or neither to use the stored data' },
    ]);
    expect(await invalid('ecommerce_inventory_optimization', { as_of: '2025-02-30' })).toEqual([
      { field: 'parameters.as_of', message: 'as_of must be a valid ISO 8601 date string' },
    ]);
    expect(await invalid('ecommerce_product_recommendations', { min_support: 2, top_n: 0 })).toEqual([
      { field: 'parameters.min_support', message: 'min_support must not be greater than 1' },
      { field: 'parameters.top_n', message: 'top_n must not be less than 1' },
    ]);
  });

  it('refuses sync URLs the outbound guard rejects, and a sync without any URL', async () => {
    expect(await invalid('sync_products', { source_url: 'http://127.0.0.1:9/products' })).toEqual([
      {
        field: 'parameters.source_url',
        message: '127.0.0.1 is a loopback/private/link-local address (set OUTBOUND_ALLOW_PRIVATE=true to allow)',
      },
    ]);
    expect(await invalid('sync_ecommerce_orders', { source_url: 'file:///etc/passwd' })).toEqual([
      { field: 'parameters.source_url', message: 'scheme file: is not allowed (http or https only)' },
    ]);
    expect(await invalid('sync_ecommerce_orders', {})).toEqual([
      { field: 'parameters.source_url', message: 'is required when ECOMMERCE_ORDERS_URL is not configured' },
    ]);
  });

  it("keeps tenants apart: tenant B can neither read nor change tenant A's rows", async () => {
    const product = await ok(SHOP_A, 'create_product', { sku: 'ISO-1', name: 'Isolated', price: 10, stock_on_hand: 5 });
    const order = await ok(SHOP_A, 'create_order', { customer_ref: 'a-cust', items: [{ sku: 'ISO-1', quantity: 1 }] });
    const noProduct = `No product ${product.product_id} for this tenant.`;
    const noOrder = `No order ${order.order_id} for this tenant.`;
    expect(await fails(SHOP_B, 'get_product', { product_id: product.product_id })).toBe(noProduct);
    expect(await fails(SHOP_B, 'get_product', { sku: 'ISO-1' })).toBe('No product with SKU ISO-1 for this tenant.');
    expect(await fails(SHOP_B, 'update_product', { product_id: product.product_id, price: 1 })).toBe(noProduct);
    expect(await fails(SHOP_B, 'adjust_inventory', { product_id: product.product_id, quantity_change: -4, reason: 'damage' })).toBe(
      noProduct,
    );
    expect(await fails(SHOP_B, 'delete_product', { product_id: product.product_id })).toBe(noProduct);
    expect(await fails(SHOP_B, 'get_order', { order_id: order.order_id })).toBe(noOrder);
    expect(await fails(SHOP_B, 'update_order_status', { order_id: order.order_id, status: 'cancelled' })).toBe(noOrder);
    expect(await fails(SHOP_B, 'delete_order', { order_id: order.order_id })).toBe(noOrder);
    expect(await fails(SHOP_B, 'create_order', { customer_ref: 'b', items: [{ product_id: product.product_id, quantity: 1 }] })).toBe(
      `items[0]: no product ${product.product_id} for this tenant; nothing was written.`,
    );
    expect((await ok(SHOP_B, 'get_product_list')).total).toBe(0);
    expect((await ok(SHOP_B, 'get_order_list')).total).toBe(0);
    // The same SKU is free in another tenant.
    expect(await ok(SHOP_B, 'create_product', { sku: 'ISO-1', name: 'B copy', price: 99 })).toMatchObject({ sku: 'ISO-1', price: 99 });

    const after = await ok(SHOP_A, 'get_product', { product_id: product.product_id });
    expect(after).toMatchObject({ price: 10, stock_on_hand: 4 });
    expect(await ok(SHOP_A, 'get_order', { order_id: order.order_id })).toMatchObject({ status: 'paid', total: 10 });
  });

  it('optimizes inventory from the stored order history (hand-checked) and as multi-agent work', async () => {
    const tenant = 'shop-inventory';
    await ok(tenant, 'create_product', {
      sku: 'A',
      name: 'Product A',
      price: 25,
      cost: 10,
      stock_on_hand: 15,
      lead_time_days: 4,
      ordering_cost: 50,
      holding_cost_rate: 0.2,
    });
    await ok(tenant, 'create_product', {
      sku: 'B',
      name: 'Product B',
      price: 9,
      cost: 4,
      stock_on_hand: 200,
      lead_time_days: 5,
      ordering_cost: 10,
      holding_cost_rate: 0.25,
    });
    await ok(tenant, 'create_product', { sku: 'C', name: 'Product C', price: 5, stock_on_hand: 3 });
    // Daily units 2025-03-01 … 03-10: A [6,0,6,0,3,3,3,3,3,3], B 2 every day; C on two days only.
    const a = [6, 0, 6, 0, 3, 3, 3, 3, 3, 3];
    for (let day = 1; day <= 10; day += 1) {
      const items = [{ sku: 'B', quantity: 2 }, ...(a[day - 1] > 0 ? [{ sku: 'A', quantity: a[day - 1] }] : [])];
      if (day === 2 || day === 8) items.push({ sku: 'C', quantity: 1 });
      await ok(tenant, 'create_order', {
        customer_ref: `c${day}`,
        ordered_at: `2025-03-${String(day).padStart(2, '0')}T12:00:00Z`,
        items,
        update_stock: false,
      });
    }
    // Outside the window, and a cancelled order inside it: neither is demand.
    await ok(tenant, 'create_order', {
      customer_ref: 'old',
      ordered_at: '2025-02-28T12:00:00Z',
      items: [{ sku: 'A', quantity: 50 }],
      update_stock: false,
    });
    await ok(tenant, 'create_order', {
      customer_ref: 'gone',
      ordered_at: '2025-03-05T12:00:00Z',
      status: 'cancelled',
      items: [{ sku: 'A', quantity: 50 }],
    });

    const parameters = { as_of: '2025-03-10', window_days: 10, service_level: 0.95 };
    const result = await ok(tenant, 'ecommerce_inventory_optimization', parameters);
    // A: μ 3, σ 2 (squared deviations 36 / 9), L 4 → SS 1.644854 × 2 × √4 = 6.58, ROP 12 + 6.58 = 18.58,
    //    EOQ √(2 × 1095 × 50 / (0.2 × 10)) = 233.99, cover 15 / 3 = 5, risk 1 − Φ(0.75) = 0.2266, order 234.
    // B: μ 2, σ 0, L 5 → ROP 10; EOQ √(2 × 730 × 10 / 1) = 120.83; 200 > 130.83 → 69 excess units.
    expect(result).toMatchObject({
      status: 'ok',
      source: 'stored',
      as_of: '2025-03-10',
      window: { from: '2025-03-01', to: '2025-03-10', days: 10 },
      z: 1.644854,
      summary: { products: 3, analysed: 2, not_enough_data: 1, reorder_now: 1, excess_stock: 1, units_to_order: 234, high_risk: 1 },
      narrative: null,
    });
    expect(
      result.products.map((p: Body) => [
        p.sku,
        p.status,
        p.safety_stock,
        p.reorder_point,
        p.eoq,
        p.days_of_cover,
        p.stockout_risk,
        p.action,
        p.order_quantity,
      ]),
    ).toEqual([
      ['A', 'ok', 6.58, 18.58, 233.99, 5, 0.2266, 'reorder_now', 234],
      ['B', 'ok', 0, 10, 120.83, 100, 0, 'excess_stock', 0],
      ['C', 'not_enough_data', null, null, null, null, null, null, null],
    ]);
    expect(result.products[0].demand).toEqual({ window_days: 10, total_units: 30, demand_days: 8, mean_daily: 3, std_daily: 2 });

    const multi = await execute(tenant, 'ecommerce_inventory_optimization', parameters, { preferred_strategy: 'multi_agent' }).expect(200);
    expect(multi.body).toMatchObject({ status: 'completed', strategy_used: 'multi_agent', metrics: { ai_mode: 'deterministic' } });
    expect(multi.body.agents_used).toEqual(
      expect.arrayContaining(['ecommerce_supervisor', 'ecommerce_inventory_specialist', 'ecommerce_price_worker']),
    );
    expect(multi.body.result.summary).toEqual(result.summary);
  });

  it('optimizes inventory from posted products and orders', async () => {
    const orders = [6, 0, 6, 0, 3, 3, 3, 3, 3, 3].flatMap((quantity, i) =>
      quantity > 0 ? [{ ordered_at: `2025-03-${String(i + 1).padStart(2, '0')}T08:00:00Z`, items: [{ sku: 'A', quantity }] }] : [],
    );
    const result = await ok('shop-posted', 'ecommerce_inventory_optimization', {
      products: [{ sku: 'A', stock_on_hand: 15, lead_time_days: 4, unit_cost: 10, ordering_cost: 50, holding_cost_rate: 0.2 }],
      orders,
      window_days: 10,
    });
    // as_of defaults to the last posted order's day (2025-03-10); same numbers as the stored case.
    expect(result).toMatchObject({ source: 'posted', as_of: '2025-03-10', status: 'ok' });
    expect(result.products[0]).toMatchObject({ safety_stock: 6.58, reorder_point: 18.58, eoq: 233.99, stockout_risk: 0.2266 });
  });

  it('recommends products from stored baskets (hand-checked) and from posted orders', async () => {
    const tenant = 'shop-baskets';
    for (const sku of ['A', 'B', 'C', 'D']) await ok(tenant, 'create_product', { sku, name: `Product ${sku}`, price: 10 });
    const baskets: [string, string[]][] = [
      ['c1', ['A', 'B']],
      ['c2', ['A', 'B', 'C']],
      ['c3', ['A', 'C']],
      ['c1', ['B', 'D']],
      ['c4', ['A', 'B']],
    ];
    for (const [customer, skus] of baskets) {
      await ok(tenant, 'create_order', { customer_ref: customer, items: skus.map((sku) => ({ sku, quantity: 1 })), update_stock: false });
    }
    const parameters = { min_support: 0.3, min_confidence: 0.6 };
    const result = await ok(tenant, 'ecommerce_product_recommendations', parameters);
    // 5 baskets; A→B: support 3/5 = 0.6, confidence 3/4 = 0.75, lift 0.75 / 0.8 = 0.9375; C→A: 0.4, 2/2 = 1, 1 / 0.8 = 1.25;
    // A→C (confidence 0.5) and every pair with support 0.2 fall below the thresholds.
    expect(result).toMatchObject({ status: 'ok', source: 'stored', basket_count: 5, multi_item_baskets: 5 });
    expect(result.rules).toEqual([
      { antecedent: 'A', consequent: 'B', pair_count: 3, support: 0.6, confidence: 0.75, lift: 0.9375 },
      { antecedent: 'B', consequent: 'A', pair_count: 3, support: 0.6, confidence: 0.75, lift: 0.9375 },
      { antecedent: 'C', consequent: 'A', pair_count: 2, support: 0.4, confidence: 1, lift: 1.25 },
    ]);
    const c3 = result.by_customer.find((c: Body) => c.customer_ref === 'c3');
    expect(c3).toEqual({
      customer_ref: 'c3',
      purchased: ['A', 'C'],
      recommendations: [{ sku: 'B', confidence: 0.75, lift: 0.9375, because_of: ['A'] }],
    });

    const one = await ok(tenant, 'ecommerce_product_recommendations', { min_support: 0, min_confidence: 0, customer_ref: 'c4', top_n: 2 });
    expect(one.by_customer).toEqual([
      {
        customer_ref: 'c4',
        purchased: ['A', 'B'],
        recommendations: [
          { sku: 'C', confidence: 0.5, lift: 1.25, because_of: ['A', 'B'] },
          { sku: 'D', confidence: 0.25, lift: 1.25, because_of: ['B'] },
        ],
      },
    ]);

    const posted = await ok('shop-posted', 'ecommerce_product_recommendations', {
      ...parameters,
      orders: baskets.map(([customer, skus], i) => ({
        order_id: `o${i + 1}`,
        customer_ref: customer,
        ordered_at: '2025-03-01T00:00:00Z',
        items: skus.map((sku) => ({ sku, quantity: 1 })),
      })),
    });
    expect(posted).toMatchObject({ source: 'posted', basket_count: 5 });
    expect(posted.rules).toEqual(result.rules);
  });

  it('lists every e-commerce task type in the catalogue and gives the specialists their tools', async () => {
    const catalogue = await http().get('/api/crew/catalogue').expect(200);
    const entries: Body[] = catalogue.body.domains.ecommerce;
    expect(entries.map((e) => e.type).sort()).toEqual([
      'adjust_inventory',
      'create_order',
      'create_product',
      'delete_order',
      'delete_product',
      'ecommerce_inventory_optimization',
      'ecommerce_product_recommendations',
      'get_order',
      'get_order_list',
      'get_product',
      'get_product_list',
      'sync_ecommerce_orders',
      'sync_products',
      'update_order_status',
      'update_product',
    ]);
    const byType = Object.fromEntries(entries.map((e) => [e.type, e]));
    expect(byType.get_product_list).toMatchObject({ default_strategy: 'direct_db', requires_ai: false });
    expect(byType.sync_products).toMatchObject({ default_strategy: 'direct_api', requires_ai: false });
    expect(byType.ecommerce_inventory_optimization).toMatchObject({
      default_strategy: 'single_agent',
      requires_ai: true,
      parameters_schema: { properties: { service_level: { type: 'number', minimum: 0.5, maximum: 0.9999 } } },
      result_schema: { required: expect.arrayContaining(['status', 'products', 'summary']) },
    });
    expect(byType.create_product.parameters_schema.required).toEqual(['sku', 'name', 'price']);

    const agents = await http().get('/api/crew/agents').expect(200);
    const all: Body[] = [];
    const walk = (node: Body) => {
      all.push(node);
      (node.subordinates as Body[]).forEach(walk);
    };
    (agents.body.hierarchy as Body[]).forEach(walk);
    const ecommerce = all.filter((agent) => agent.id.startsWith('ecommerce_'));
    expect(ecommerce.map((agent) => agent.id).sort()).toEqual([
      'ecommerce_inventory_specialist',
      'ecommerce_order_worker',
      'ecommerce_price_worker',
      'ecommerce_product_specialist',
      'ecommerce_supervisor',
    ]);
    const tools = Object.fromEntries(ecommerce.map((agent) => [agent.id, agent.tools]));
    expect(tools.ecommerce_inventory_specialist).toEqual(['ecommerce_inventory_optimization']);
    expect(tools.ecommerce_product_specialist).toEqual(['ecommerce_product_recommendations']);
  });

  it('migration down() drops the e-commerce tables and up() recreates them', async () => {
    const runner = testApp.app.get(DataSource).createQueryRunner();
    const tables = async () => {
      const rows = (await runner.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ANY($1) ORDER BY 1`,
        [['inventory_movements', 'order_items', 'orders', 'products']],
      )) as { table_name: string }[];
      return rows.map((row) => row.table_name);
    };
    const migration = new CreateEcommerceTables1764029200000();
    try {
      await migration.down(runner);
      expect(await tables()).toEqual([]);
      await migration.up(runner);
      expect(await tables()).toEqual(['inventory_movements', 'order_items', 'orders', 'products']);
    } finally {
      await runner.release();
    }
  });
});
