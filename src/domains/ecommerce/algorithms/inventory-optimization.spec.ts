import { describe, expect, it } from 'vitest';
import {
  addDays,
  type DailySale,
  demandStatistics,
  economicOrderQuantity,
  type InventoryProduct,
  optimizeInventory,
  stockoutRisk,
} from './inventory-optimization.js';

const product = (overrides: Partial<InventoryProduct> & { sku: string }): InventoryProduct => ({
  productId: null,
  name: overrides.sku,
  stockOnHand: 0,
  leadTimeDays: 4,
  unitCost: 10,
  orderingCost: 50,
  holdingCostRate: 0.2,
  ...overrides,
});

/** Daily series starting 2025-03-01 as sales rows (zero days produce no row, as in an order table). */
function series(sku: string, quantities: number[]): DailySale[] {
  return quantities.map((quantity, i) => ({ sku, day: addDays('2025-03-01', i), quantity })).filter((s) => s.quantity > 0);
}

const OPTIONS = { asOf: '2025-03-10', windowDays: 10, serviceLevel: 0.95, minDemandDays: 3 };

describe('inventory optimization', () => {
  it('computes mean and sample standard deviation with zero days', () => {
    // [6,0,6,0,3,3,3,3,3,3]: mean 30/10 = 3; squared deviations 9+9+9+9 = 36; variance 36/9 = 4; σ = 2.
    expect(demandStatistics([6, 0, 6, 0, 3, 3, 3, 3, 3, 3])).toEqual({ mean: 3, std: 2 });
    expect(demandStatistics([5])).toEqual({ mean: 5, std: 0 });
    expect(demandStatistics([])).toEqual({ mean: 0, std: 0 });
  });

  it('computes EOQ and stock-out risk', () => {
    // √(2 · 1095 · 50 / 2) = √54750 = 233.9872
    expect(economicOrderQuantity(1095, 50, 2)).toBeCloseTo(233.9872, 4);
    expect(economicOrderQuantity(1095, 0, 2)).toBeUndefined();
    expect(economicOrderQuantity(1095, 50, 0)).toBeUndefined();
    // P(N(12, 4) > 15) = 1 − Φ(0.75) = 1 − 0.773373 = 0.226627
    expect(stockoutRisk(15, 12, 4)).toBeCloseTo(0.226627, 6);
    expect(stockoutRisk(9, 10, 0)).toBe(1);
    expect(stockoutRisk(10, 10, 0)).toBe(0);
  });

  it('gives safety stock, reorder point, EOQ, cover, risk and action per product (hand-checked)', () => {
    const sales = [
      ...series('A', [6, 0, 6, 0, 3, 3, 3, 3, 3, 3]),
      // Outside the 10-day window ending 2025-03-10: ignored.
      { sku: 'A', day: '2025-02-28', quantity: 100 },
      { sku: 'A', day: '2025-03-11', quantity: 100 },
      ...series('B', [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]),
      ...series('C', [0, 5, 0, 0, 0, 0, 0, 1, 0, 0]),
      { sku: 'Z', day: '2025-03-05', quantity: 1 },
    ];
    const result = optimizeInventory(
      [
        product({ sku: 'B', stockOnHand: 200, leadTimeDays: 5, unitCost: 4, orderingCost: 10, holdingCostRate: 0.25 }),
        product({ sku: 'A', stockOnHand: 15 }),
        product({ sku: 'C', stockOnHand: 3 }),
      ],
      sales,
      OPTIONS,
    );
    expect(result).toMatchObject({
      status: 'ok',
      as_of: '2025-03-10',
      window: { from: '2025-03-01', to: '2025-03-10', days: 10 },
      z: 1.644854,
      unknown_skus: ['Z'],
      summary: { products: 3, analysed: 2, not_enough_data: 1, reorder_now: 1, excess_stock: 1, units_to_order: 234, high_risk: 1 },
    });
    const [a, b, c] = result.products;
    // A: μ = 3, σ = 2, L = 4 → μL = 12, σ√L = 4, SS = 1.644854 · 4 = 6.58, ROP = 18.58;
    // D = 3 · 365 = 1095, S = 50, H = 0.2 · 10 = 2 → EOQ = √54750 = 233.99; cover 15 / 3 = 5 days;
    // risk = 1 − Φ((15 − 12) / 4) = 0.2266; stock 15 ≤ 18.58 → reorder max(233.99, 3.58) → 234.
    expect(a).toEqual({
      sku: 'A',
      product_id: null,
      name: 'A',
      status: 'ok',
      demand: { window_days: 10, total_units: 30, demand_days: 8, mean_daily: 3, std_daily: 2 },
      stock_on_hand: 15,
      lead_time_days: 4,
      lead_time_demand: 12,
      safety_stock: 6.58,
      reorder_point: 18.58,
      eoq: 233.99,
      days_of_cover: 5,
      stockout_risk: 0.2266,
      action: 'reorder_now',
      order_quantity: 234,
      excess_units: 0,
    });
    // B: μ = 2, σ = 0, L = 5 → SS 0, ROP 10; D = 730, S = 10, H = 0.25 · 4 = 1 → EOQ = √14600 = 120.83;
    // 200 > 10 + 120.83 → excess 200 − 130.83 = 69.17 → 69 units; cover 100 days; risk 0.
    expect(b).toMatchObject({
      sku: 'B',
      status: 'ok',
      safety_stock: 0,
      reorder_point: 10,
      eoq: 120.83,
      days_of_cover: 100,
      stockout_risk: 0,
      action: 'excess_stock',
      order_quantity: 0,
      excess_units: 69,
    });
    // C: sales on 2 days only (< 3) → not enough data, no numbers invented.
    expect(c).toMatchObject({
      sku: 'C',
      status: 'not_enough_data',
      reason: '2 day(s) with sales in the 10-day window; at least 3 needed',
      safety_stock: null,
      reorder_point: null,
      action: null,
    });
  });

  it('raises the safety stock with the service level', () => {
    const sales = series('A', [6, 0, 6, 0, 3, 3, 3, 3, 3, 3]);
    const at99 = optimizeInventory([product({ sku: 'A', stockOnHand: 30 })], sales, { ...OPTIONS, serviceLevel: 0.99 });
    // SS = 2.326348 · 4 = 9.31; ROP = 21.31; stock 30 > 21.31 and < 21.31 + 233.99 → ok.
    expect(at99.products[0]).toMatchObject({ safety_stock: 9.31, reorder_point: 21.31, action: 'ok', order_quantity: 0 });
  });

  it('explains a missing EOQ instead of inventing one', () => {
    const sales = series('A', [6, 0, 6, 0, 3, 3, 3, 3, 3, 3]);
    const result = optimizeInventory(
      [product({ sku: 'A', stockOnHand: 10, unitCost: null }), product({ sku: 'B', stockOnHand: 10, orderingCost: 0 })],
      [...sales, ...series('B', [6, 0, 6, 0, 3, 3, 3, 3, 3, 3])],
      OPTIONS,
    );
    expect(result.products[0]).toMatchObject({ eoq: null, eoq_note: expect.stringContaining('no unit cost'), order_quantity: 9 });
    expect(result.products[1]).toMatchObject({ eoq: null, eoq_note: expect.stringContaining('ordering_cost is 0') });
  });

  it('answers not enough data for no products or no sales', () => {
    expect(optimizeInventory([], [], OPTIONS)).toMatchObject({
      status: 'not_enough_data',
      message: 'Not enough data: there are no products to analyse',
      products: [],
    });
    const none = optimizeInventory([product({ sku: 'A', stockOnHand: 5 })], [], OPTIONS);
    expect(none.status).toBe('not_enough_data');
    expect(none.message).toBe('Not enough data: no product has at least 3 day(s) with sales in the 10 days ending 2025-03-10');
    expect(none.products[0]).toMatchObject({ status: 'not_enough_data', demand: { total_units: 0, mean_daily: 0 } });
  });
});
