import { describe, expect, it } from 'vitest';
import { analyseRevenue, type MrrEvent } from './revenue-analysis.js';

const event = (customerRef: string, subscriptionRef: string, at: string, mrr: number): MrrEvent => ({
  customerRef,
  subscriptionRef,
  effectiveAt: new Date(`${at}T00:00:00Z`),
  mrr,
});

const START = new Date('2025-02-01T00:00:00Z');
const END = new Date('2025-03-01T00:00:00Z');

const EVENTS = [
  event('c1', 's1', '2025-01-10', 100),
  event('c1', 's1', '2025-02-15', 150), // expansion 50
  event('c2', 's2', '2025-01-05', 200),
  event('c2', 's2', '2025-02-20', 120), // contraction 80
  event('c3', 's3', '2025-01-01', 50),
  event('c3', 's3', '2025-02-10', 0), // churn 50
  event('c4', 's4', '2025-02-05', 80), // new 80
  event('c5', 's5', '2024-11-01', 60),
  event('c5', 's5', '2024-12-01', 0),
  event('c5', 's5', '2025-02-12', 60), // reactivation 60 (paid before the period)
  event('c6', 's6', '2025-01-01', 100),
  event('c6', 's7', '2025-02-03', 40), // a second subscription of c6: expansion 40 per customer
  event('c7', 's8', '2025-01-01', 30),
  event('c7', 's8', '2025-02-10', 0),
  event('c7', 's8', '2025-02-25', 30), // churned and back within the period: no net movement
  event('c8', 's9', '2025-03-01', 500), // at the period end: belongs to the next period
];

describe('revenue analysis (MRR bridge)', () => {
  it('computes MRR, movements and retention per customer (hand-checked)', () => {
    const result = analyseRevenue(EVENTS, START, END);
    // start: c1 100 + c2 200 + c3 50 + c6 100 + c7 30 = 480
    // end:   c1 150 + c2 120 + c4 80 + c5 60 + c6 140 + c7 30 = 580
    // 480 + new 80 + reactivation 60 + expansion (50 + 40) − contraction 80 − churn 50 = 580
    // NRR = (480 + 90 − 80 − 50) / 480 = 440 / 480 = 0.9167; GRR = (480 − 80 − 50) / 480 = 350 / 480 = 0.7292
    expect(result).toMatchObject({
      status: 'ok',
      period: { start: '2025-02-01T00:00:00.000Z', end: '2025-03-01T00:00:00.000Z' },
      mrr_start: 480,
      mrr_end: 580,
      movements: { new: 80, expansion: 90, contraction: 80, churn: 50, reactivation: 60 },
      net_new_mrr: 100,
      net_revenue_retention: 0.9167,
      gross_revenue_retention: 0.7292,
      customers: { at_start: 5, at_end: 6, new: 1, churned: 1, reactivated: 1, expanded: 2, contracted: 1 },
      reconciles: true,
    });
    // Largest movement first; equal amounts by customer.
    expect(result.by_customer).toEqual([
      { customer_ref: 'c2', mrr_start: 200, mrr_end: 120, movement: 'contraction', amount: 80 },
      { customer_ref: 'c4', mrr_start: 0, mrr_end: 80, movement: 'new', amount: 80 },
      { customer_ref: 'c5', mrr_start: 0, mrr_end: 60, movement: 'reactivation', amount: 60 },
      { customer_ref: 'c1', mrr_start: 100, mrr_end: 150, movement: 'expansion', amount: 50 },
      { customer_ref: 'c3', mrr_start: 50, mrr_end: 0, movement: 'churn', amount: 50 },
      { customer_ref: 'c6', mrr_start: 100, mrr_end: 140, movement: 'expansion', amount: 40 },
    ]);
  });

  it('has no retention without MRR at the start', () => {
    const result = analyseRevenue([event('c1', 's1', '2025-02-10', 99)], START, END);
    expect(result).toMatchObject({
      status: 'ok',
      mrr_start: 0,
      mrr_end: 99,
      movements: { new: 99 },
      net_revenue_retention: null,
      gross_revenue_retention: null,
      message: 'MRR 0 → 99: retention needs MRR at the period start',
    });
  });

  it('answers not enough data when there is no revenue in the period', () => {
    expect(analyseRevenue([], START, END)).toMatchObject({
      status: 'not_enough_data',
      mrr_start: 0,
      mrr_end: 0,
      net_revenue_retention: null,
      by_customer: [],
      message:
        'Not enough data: no recurring revenue before 2025-02-01T00:00:00.000Z or before 2025-03-01T00:00:00.000Z (0 MRR change(s) recorded)',
    });
    expect(analyseRevenue([event('c1', 's1', '2025-03-05', 10)], START, END).status).toBe('not_enough_data');
  });
});
