import { describe, expect, it } from 'vitest';
import { segmentCustomers } from './customer-segmentation.js';
import { validateSegmentationRequest, type CustomerRecord } from './customer-segmentation-validation.js';
import { CrmValidationError } from './field-errors.js';
import { createSeededRandom, shuffleInPlace } from './seeded-random.js';
import { adjustedRandIndex } from '../../../../test/support/crm/adjusted-rand-index.js';
import { makeCustomer, plantedCustomers } from '../../../../test/support/crm/crm-fixtures.js';

function segmentOf(result: ReturnType<typeof segmentCustomers>): Map<string | number, number> {
  return new Map(result.assignments.map((assignment) => [assignment.customer_id, assignment.segment_id]));
}

describe('behavioural segmentation on planted clusters', () => {
  const { customers, labels } = plantedCustomers(11);
  const result = segmentCustomers({ customer_data: customers, segmentation_type: 'behavioral', segment_count: 4 });

  it('recovers the planted clusters (adjusted Rand index ≥ 0.95)', () => {
    const predicted = result.assignments.map((assignment) => assignment.segment_id);
    expect(adjustedRandIndex(labels, predicted)).toBeGreaterThanOrEqual(0.95);
  });

  it('numbers segments by descending mean LTV and names them from their centres', () => {
    expect(result.segments.map((segment) => [segment.segment_id, segment.name, segment.size])).toEqual([
      [1, 'Champions', 300],
      [2, 'At Risk (high value)', 400],
      [3, 'Loyal', 500],
      [4, 'Hibernating', 600],
    ]);
    const means = result.segments.map((segment) => segment.profile.means.ltv ?? 0);
    expect(means).toEqual([...means].sort((a, b) => b - a));
  });

  it('gives the same ids on a second run and on shuffled input', () => {
    const again = segmentCustomers({ customer_data: customers, segment_count: 4 });
    expect(again.assignments).toEqual(result.assignments);
    const shuffled = shuffleInPlace([...customers], createSeededRandom(99));
    const fromShuffled = segmentOf(segmentCustomers({ customer_data: shuffled, segment_count: 4 }));
    expect(fromShuffled).toEqual(segmentOf(result));
  });

  it('reports quality: k, silhouette on the sample, inertia, seeds 0–9, features', () => {
    expect(result.quality.k_requested).toBe(4);
    expect(result.quality.k_used).toBe(4);
    expect(result.quality.suggested_k).toBe(4);
    expect(result.quality.silhouette).toBeGreaterThan(0.8);
    expect(result.quality.inertia).toBeGreaterThan(0);
    expect(result.quality.seeds).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(result.quality.features).toEqual(['ln_ltv', 'engagement_score', 'churn_risk']);
    expect(result.warnings).toEqual([]);
    expect(result.model_version).toBe('crm-customer-segmentation/1.0.0');
    expect(result.ai_summary).toBeNull();
  });

  it('chooses k = 4 by silhouette when segment_count is missing', () => {
    const auto = segmentCustomers({ customer_data: customers });
    expect(auto.quality.k_requested).toBeNull();
    expect(auto.quality.k_used).toBe(4);
    expect(auto.assignments).toEqual(result.assignments);
  });

  it('adds up sizes, shares, LTV and revenue at risk', () => {
    const totalLtv = customers.reduce((total, customer) => total + (customer.ltv ?? 0), 0);
    const atRisk = customers.reduce((total, customer) => total + (customer.ltv ?? 0) * (customer.churn_risk ?? 0), 0);
    expect(result.segments.reduce((total, segment) => total + segment.size, 0)).toBe(customers.length);
    expect(result.segments.reduce((total, segment) => total + segment.share, 0)).toBeCloseTo(1, 3);
    expect(result.segments.reduce((total, segment) => total + segment.total_ltv, 0)).toBeCloseTo(totalLtv, 0);
    expect(result.segments.reduce((total, segment) => total + (segment.revenue_at_risk ?? 0), 0)).toBeCloseTo(atRisk, 0);
    expect(result.segments[0].customer_ids).toHaveLength(300);
    expect(result.segments[0].recommended_actions[0]).toBe('Invite to referral and advocacy programmes');
  });
});

describe('behavioural segmentation details', () => {
  it('computes profile means and medians per segment', () => {
    const customer_data = [
      makeCustomer({ customer_id: 'a', ltv: 100_000, engagement_score: 90, churn_risk: 0.05 }),
      makeCustomer({ customer_id: 'b', ltv: 120_000, engagement_score: 95, churn_risk: 0.1 }),
      makeCustomer({ customer_id: 'c', ltv: 140_000, engagement_score: 92, churn_risk: 0.05 }),
      makeCustomer({ customer_id: 'd', ltv: 50, engagement_score: 5, churn_risk: 0.9 }),
      makeCustomer({ customer_id: 'e', ltv: 70, engagement_score: 10, churn_risk: 0.95 }),
    ];
    const result = segmentCustomers({ customer_data, segment_count: 2 });
    expect(result.segments[0].customer_ids).toEqual(['a', 'b', 'c']);
    expect(result.segments[0].profile).toEqual({
      means: { ltv: 120_000, engagement_score: 92.3333, churn_risk: 0.0667 },
      medians: { ltv: 120_000, engagement_score: 92, churn_risk: 0.05 },
    });
    expect(result.segments[1].total_ltv).toBe(120);
    expect(result.segments[1].revenue_at_risk).toBe(111.5);
    expect(result.segments[0].ltv_share).toBe(0.9997);
  });

  it('imputes missing values with the median and warns', () => {
    const customer_data = [
      makeCustomer({ customer_id: 'a', ltv: 100 }),
      makeCustomer({ customer_id: 'b', ltv: null }),
      makeCustomer({ customer_id: 'c', ltv: 300, engagement_score: undefined }),
    ];
    const result = segmentCustomers({ customer_data, segment_count: 1 });
    expect(result.warnings).toEqual([
      '1 customer(s) missing ltv; imputed with the median 200',
      '1 customer(s) missing engagement_score; imputed with the median 92',
      'engagement_score has the same value for every customer; not used for clustering',
      'churn_risk has the same value for every customer; not used for clustering',
    ]);
    expect(result.segments[0].total_ltv).toBe(600);
  });

  it('lowers k to the number of distinct customers, with a warning', () => {
    const customer_data = [1, 2, 3, 4].map((i) => makeCustomer({ customer_id: i, ltv: i % 2 === 0 ? 10 : 1000 }));
    const result = segmentCustomers({ customer_data, segment_count: 3 });
    expect(result.quality.k_used).toBe(2);
    expect(result.warnings).toContain('only 2 distinct customer profile(s); segment_count lowered from 3 to 2');
    expect(result.segments.map((segment) => segment.customer_ids)).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('puts everyone in one segment when nothing varies', () => {
    const customer_data = [makeCustomer({ customer_id: 'a' }), makeCustomer({ customer_id: 'b' })];
    const result = segmentCustomers({ customer_data });
    expect(result.quality).toMatchObject({ k_used: 1, suggested_k: null, silhouette: null, inertia: 0, seeds: [], features: [] });
    expect(result.segments[0].name).toBe('All Customers');
    expect(result.warnings).toContain('too few distinct customers to choose a segment count; all customers form one segment');
  });

  it('a single customer (the README body) with segment_count 1 forms one segment', () => {
    const result = segmentCustomers({ customer_data: [makeCustomer()], segmentation_type: 'behavioral', segment_count: 1 });
    expect(result.segments).toHaveLength(1);
    expect(result.segments[0]).toMatchObject({ segment_id: 1, size: 1, share: 1, total_ltv: 15_000, revenue_at_risk: 1500 });
    expect(result.assignments).toEqual([{ customer_id: 'cust_001', segment_id: 1 }]);
  });

  it('clusters on other numeric fields present on every row', () => {
    const customer_data = [0, 1, 2, 3, 4, 5].map((i) => ({ ...makeCustomer({ customer_id: i }), orders: i < 3 ? 1 : 50, region: 'eu' }));
    const result = segmentCustomers({ customer_data, segment_count: 2 });
    expect(result.quality.features).toEqual(['orders']);
    expect(result.segments[0].profile.means.orders).toBeDefined();
    expect(result.segments.map((segment) => segment.size)).toEqual([3, 3]);
  });

  it('suffixes duplicate names', () => {
    const random = createSeededRandom(4);
    const customer_data: CustomerRecord[] = Array.from({ length: 60 }, (_, i) =>
      makeCustomer({ customer_id: i, ltv: 1000 + Math.round(random() * 100), engagement_score: i < 30 ? 20 : 22, churn_risk: 0.5 }),
    );
    const result = segmentCustomers({ customer_data, segment_count: 3 });
    const names = result.segments.map((segment) => segment.name);
    expect(new Set(names).size).toBe(3);
    expect(names.some((name) => / \(2\)$/.test(name))).toBe(true);
  });
});

describe('rule-based segmentation types', () => {
  const ltvs = [500, 100, 900, 300, 700, 200, 800, 400, 600];
  const customer_data = ltvs.map((ltv, i) => makeCustomer({ customer_id: `c${i}`, ltv }));

  it('value_based: k tiers by LTV rank, highest first', () => {
    const result = segmentCustomers({ customer_data, segmentation_type: 'value_based', segment_count: 3 });
    expect(result.segments.map((segment) => [segment.name, segment.customer_ids])).toEqual([
      ['High Value', ['c2', 'c4', 'c6']],
      ['Mid Value', ['c0', 'c7', 'c8']],
      ['Low Value', ['c1', 'c3', 'c5']],
    ]);
    expect(result.quality).toEqual({
      k_requested: 3,
      k_used: 3,
      silhouette: null,
      inertia: null,
      suggested_k: null,
      seeds: [],
      features: [],
    });
  });

  it('value_based keeps equal LTVs in one tier and says when that leaves fewer tiers', () => {
    const tied = [100, 100, 100, 100, 5].map((ltv, i) => makeCustomer({ customer_id: i, ltv }));
    const result = segmentCustomers({ customer_data: tied, segmentation_type: 'value_based', segment_count: 3 });
    expect(result.segments.map((segment) => segment.customer_ids)).toEqual([[0, 1, 2, 3], [4]]);
    expect(result.warnings).toContain('only 2 distinct LTV tier(s) possible (customers share LTVs); segment_count lowered from 3');
  });

  it('rfm: quintile scores and named segments', () => {
    const rows = Array.from({ length: 10 }, (_, i) =>
      makeCustomer({ customer_id: `r${i}`, recency: i * 10, frequency: 10 - i, monetary: (10 - i) * 100 }),
    );
    const result = segmentCustomers({ customer_data: rows, segmentation_type: 'rfm' });
    expect(result.assignments.map((assignment) => assignment.rfm_score)).toEqual([
      '555',
      '555',
      '444',
      '444',
      '333',
      '333',
      '222',
      '222',
      '111',
      '111',
    ]);
    expect(result.segments.map((segment) => [segment.name, segment.size])).toEqual([
      ['Champions', 4],
      ['Loyal Customers', 2],
      ['Hibernating', 2],
      ['Lost', 2],
    ]);
  });

  it('rfm ignores segment_count with a warning', () => {
    const rows = [0, 1].map((i) => makeCustomer({ customer_id: i, recency: i, frequency: 1, monetary: 1 }));
    expect(segmentCustomers({ customer_data: rows, segmentation_type: 'rfm', segment_count: 2 }).warnings).toContain(
      'segment_count is ignored for rfm segmentation',
    );
  });

  it('lifecycle: New, Active, At Risk and Lapsed from tenure, recency and churn risk', () => {
    const rows = [
      makeCustomer({ customer_id: 'new', tenure: 20, recency: 3, churn_risk: 0.1 }),
      makeCustomer({ customer_id: 'active', tenure: 400, recency: 5, churn_risk: 0.1 }),
      makeCustomer({ customer_id: 'risky', tenure: 400, recency: 5, churn_risk: 0.7 }),
      makeCustomer({ customer_id: 'quiet', tenure: 400, recency: 45, churn_risk: 0.1 }),
      makeCustomer({ customer_id: 'gone', tenure: 400, recency: 120, churn_risk: 0.1 }),
    ];
    const result = segmentCustomers({ customer_data: rows, segmentation_type: 'lifecycle' });
    expect(result.segments.map((segment) => [segment.segment_id, segment.name, segment.customer_ids])).toEqual([
      [1, 'New', ['new']],
      [2, 'Active', ['active']],
      [3, 'At Risk', ['risky', 'quiet']],
      [4, 'Lapsed', ['gone']],
    ]);
  });
});

describe('validateSegmentationRequest', () => {
  const valid = { customer_data: [makeCustomer()], segmentation_type: 'behavioral', segment_count: 1 };

  it('accepts a valid body', () => {
    expect(validateSegmentationRequest(valid)).toEqual([]);
  });

  it.each([
    ['a non-object body', 'x', 'body', 'must be an object'],
    ['missing customer_data', { segment_count: 2 }, 'customer_data', 'is required'],
    ['customer_data not an array', { customer_data: {} }, 'customer_data', 'must be an array'],
    ['empty customer_data', { customer_data: [] }, 'customer_data', 'must not be empty'],
    ['a row that is not an object', { customer_data: [makeCustomer(), 5] }, 'customer_data[1]', 'must be an object'],
    ['a missing customer_id', { customer_data: [{ ltv: 1 }] }, 'customer_data[0].customer_id', 'is required'],
    [
      'an empty customer_id',
      { customer_data: [makeCustomer({ customer_id: ' ' })] },
      'customer_data[0].customer_id',
      'must be a non-empty string or a number',
    ],
    [
      'a duplicate customer_id',
      { customer_data: [makeCustomer(), makeCustomer({ customer_id: 'x' }), makeCustomer()] },
      'customer_data[2].customer_id',
      'duplicates customer_data[0].customer_id "cust_001"',
    ],
    [
      'a negative ltv',
      { customer_data: [makeCustomer(), makeCustomer({ customer_id: 2, ltv: -5 })] },
      'customer_data[1].ltv',
      'must be at least 0',
    ],
    [
      'a text ltv',
      { customer_data: [makeCustomer({ ltv: '10' as unknown as number })] },
      'customer_data[0].ltv',
      'must be a finite number',
    ],
    [
      'engagement above 100',
      { customer_data: [makeCustomer({ engagement_score: 101 })] },
      'customer_data[0].engagement_score',
      'must be between 0 and 100',
    ],
    [
      'churn_risk above 1',
      { customer_data: [makeCustomer({ churn_risk: 1.5 })] },
      'customer_data[0].churn_risk',
      'must be between 0 and 1',
    ],
    [
      'an unknown type',
      { ...valid, segmentation_type: 'psychographic' },
      'segmentation_type',
      'must be one of behavioral, value_based, rfm or lifecycle',
    ],
    ['segment_count 0', { ...valid, segment_count: 0 }, 'segment_count', 'must be between 1 and 10'],
    ['segment_count 11', { ...valid, segment_count: 11 }, 'segment_count', 'must be between 1 and 10'],
    ['a fractional segment_count', { ...valid, segment_count: 2.5 }, 'segment_count', 'must be an integer'],
    [
      'more segments than customers (the README body)',
      { ...valid, segment_count: 5 },
      'segment_count',
      'must not exceed the number of customers (1)',
    ],
    [
      'rfm without recency',
      { customer_data: [makeCustomer({ frequency: 1, monetary: 1 })], segmentation_type: 'rfm' },
      'customer_data[0].recency',
      'is required for rfm segmentation',
    ],
    [
      'lifecycle without tenure',
      { customer_data: [makeCustomer({ recency: 1 })], segmentation_type: 'lifecycle' },
      'customer_data[0].tenure',
      'is required for lifecycle segmentation',
    ],
    ['negative recency', { customer_data: [makeCustomer({ recency: -1 })] }, 'customer_data[0].recency', 'must be at least 0'],
    [
      'value_based with no LTV at all',
      { customer_data: [{ customer_id: 1 }, { customer_id: 2 }], segmentation_type: 'value_based' },
      'customer_data[0].ltv',
      'is required for value_based segmentation (no customer has one)',
    ],
  ])('%s → %s: %s', (_name, body, field, message) => {
    expect(validateSegmentationRequest(body)).toEqual([{ field, message }]);
  });

  it('caps the number of errors it reports at 50', () => {
    const rows = Array.from({ length: 80 }, (_, i) => makeCustomer({ customer_id: i, ltv: -1 }));
    const errors = validateSegmentationRequest({ customer_data: rows });
    expect(errors).toHaveLength(50);
    expect(errors[49]).toEqual({ field: 'customer_data[49].ltv', message: 'must be at least 0' });
  });

  it('segmentCustomers throws the same errors', () => {
    expect(() => segmentCustomers({ customer_data: [makeCustomer()], segment_count: 5 })).toThrow(CrmValidationError);
  });
});
