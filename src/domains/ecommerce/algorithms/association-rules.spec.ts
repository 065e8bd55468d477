import { describe, expect, it } from 'vitest';
import { type Basket, mineRules, recommendProducts } from './association-rules.js';

const basket = (orderRef: string, customerRef: string | null, ...skus: string[]): Basket => ({ orderRef, customerRef, skus });

// 5 orders: A in 4, B in 4, C in 2, D in 1; pairs AB 3, AC 2, BC 1, BD 1.
const BASKETS = [
  basket('o1', 'c1', 'A', 'B'),
  basket('o2', 'c2', 'A', 'B', 'C'),
  basket('o3', 'c3', 'A', 'C'),
  basket('o4', 'c1', 'B', 'D'),
  basket('o5', 'c4', 'A', 'B'),
];
const OPTIONS = { minSupport: 0.3, minConfidence: 0.6, topN: 5, maxCustomers: 100 };

describe('product recommendations (association rules)', () => {
  it('computes support, confidence and lift of every rule (hand-checked)', () => {
    const { rules } = mineRules(BASKETS, 0, 0);
    const rule = (a: string, b: string) => rules.find((r) => r.antecedent === a && r.consequent === b);
    // A→B: support 3/5 = 0.6; confidence 3/4 = 0.75; lift 0.75 / (4/5) = 0.9375
    expect(rule('A', 'B')).toEqual({ antecedent: 'A', consequent: 'B', pair_count: 3, support: 0.6, confidence: 0.75, lift: 0.9375 });
    // C→A: support 2/5 = 0.4; confidence 2/2 = 1; lift 1 / 0.8 = 1.25
    expect(rule('C', 'A')).toEqual({ antecedent: 'C', consequent: 'A', pair_count: 2, support: 0.4, confidence: 1, lift: 1.25 });
    // A→C: confidence 2/4 = 0.5; lift 0.5 / (2/5) = 1.25
    expect(rule('A', 'C')).toMatchObject({ confidence: 0.5, lift: 1.25 });
    // B→D: support 1/5 = 0.2; confidence 1/4 = 0.25; lift 0.25 / 0.2 = 1.25; D→B: confidence 1, lift 1 / 0.8 = 1.25
    expect(rule('B', 'D')).toMatchObject({ support: 0.2, confidence: 0.25, lift: 1.25 });
    expect(rule('D', 'B')).toMatchObject({ support: 0.2, confidence: 1, lift: 1.25 });
    // B→C: confidence 1/4 = 0.25; lift 0.25 / 0.4 = 0.625
    expect(rule('B', 'C')).toMatchObject({ confidence: 0.25, lift: 0.625 });
    expect(rules).toHaveLength(8);
  });

  it('keeps rules above min_support and min_confidence, per product and per customer', () => {
    const result = recommendProducts(BASKETS, OPTIONS);
    // support ≥ 0.3 keeps AB (0.6) and AC (0.4); confidence ≥ 0.6 keeps A→B, B→A (0.75) and C→A (1), drops A→C (0.5).
    expect(result.rules.map((r) => `${r.antecedent}→${r.consequent}`)).toEqual(['A→B', 'B→A', 'C→A']);
    expect(result).toMatchObject({ status: 'ok', basket_count: 5, multi_item_baskets: 5 });
    expect(result.by_product).toEqual([
      { sku: 'A', order_count: 4, support: 0.8, recommendations: [{ sku: 'B', support: 0.6, confidence: 0.75, lift: 0.9375 }] },
      { sku: 'B', order_count: 4, support: 0.8, recommendations: [{ sku: 'A', support: 0.6, confidence: 0.75, lift: 0.9375 }] },
      { sku: 'C', order_count: 2, support: 0.4, recommendations: [{ sku: 'A', support: 0.4, confidence: 1, lift: 1.25 }] },
    ]);
    // c3 bought A and C: A→B recommends B; C→A is excluded because c3 already has A.
    expect(result.by_customer.find((c) => c.customer_ref === 'c3')).toEqual({
      customer_ref: 'c3',
      purchased: ['A', 'C'],
      recommendations: [{ sku: 'B', confidence: 0.75, lift: 0.9375, because_of: ['A'] }],
    });
    expect(result.by_customer.find((c) => c.customer_ref === 'c1')?.recommendations).toEqual([]);
  });

  it('ranks a customer’s candidates by the best rule and names every antecedent', () => {
    const result = recommendProducts(BASKETS, { ...OPTIONS, minSupport: 0, minConfidence: 0, customerRef: 'c4', topN: 2 });
    // c4 bought A, B. Candidates: C (A→C 0.5, B→C 0.25 → best 0.5), D (B→D 0.25).
    expect(result.by_customer).toEqual([
      {
        customer_ref: 'c4',
        purchased: ['A', 'B'],
        recommendations: [
          { sku: 'C', confidence: 0.5, lift: 1.25, because_of: ['A', 'B'] },
          { sku: 'D', confidence: 0.25, lift: 1.25, because_of: ['B'] },
        ],
      },
    ]);
  });

  it('orders a product’s recommendations by lift and cuts them at top_n', () => {
    const result = recommendProducts(BASKETS, { ...OPTIONS, minSupport: 0, minConfidence: 0, sku: 'B', topN: 2 });
    // B→D lift 1.25, B→A 0.9375, B→C 0.625 → top 2: D, A.
    expect(result.by_product).toEqual([
      {
        sku: 'B',
        order_count: 4,
        support: 0.8,
        recommendations: [
          { sku: 'D', support: 0.2, confidence: 0.25, lift: 1.25 },
          { sku: 'A', support: 0.6, confidence: 0.75, lift: 0.9375 },
        ],
      },
    ]);
  });

  it('answers not enough data for too few orders or no multi-product order', () => {
    expect(recommendProducts([], OPTIONS)).toMatchObject({ status: 'not_enough_data', basket_count: 0, rules: [] });
    const single = recommendProducts([basket('1', 'c', 'A'), basket('2', 'c', 'B'), basket('3', 'd', 'A', 'A')], OPTIONS);
    expect(single).toMatchObject({ status: 'not_enough_data', basket_count: 3, multi_item_baskets: 0 });
    expect(single.message).toBe(
      'Not enough data: 3 order(s), 0 with two or more products; at least 3 orders and one with two products are needed',
    );
  });

  it('says when no rule reaches the thresholds', () => {
    const result = recommendProducts(BASKETS, { ...OPTIONS, minSupport: 0.9 });
    expect(result).toMatchObject({ status: 'ok', rules: [], by_product: [] });
    expect(result.message).toContain('lower them');
  });
});
