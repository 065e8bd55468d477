import { describe, expect, it } from 'vitest';
import type { Strategy } from '../../tasks/task.types.js';
import { checkBudget, estimate, type BudgetCheck, type Estimate, type EstimateOptions, type HistorySample } from './estimates.js';

function sample(overrides: Partial<HistorySample> = {}): HistorySample {
  return { taskType: 'lead_scoring', strategy: 'single_agent', durationS: 10, costUsd: 0.001, ...overrides };
}

describe('estimate: static table', () => {
  it.each<[Strategy, Estimate]>([
    ['direct_db', { estimatedCost: 0, estimatedTime: 0.05, source: 'static', samples: 0 }],
    ['direct_api', { estimatedCost: 0, estimatedTime: 0.5, source: 'static', samples: 0 }],
    // 6,000 × $0.15 + 1,500 × $0.60 per 1M tokens
    ['single_agent', { estimatedCost: 0.0018, estimatedTime: 20, source: 'static', samples: 0 }],
    ['multi_agent', { estimatedCost: 0.006, estimatedTime: 45, source: 'static', samples: 0 }],
    ['crew_workflow', { estimatedCost: 0.0147, estimatedTime: 90, source: 'static', samples: 0 }],
  ])('%s at the default price', (strategy, expected) => {
    expect(estimate(strategy)).toEqual(expected);
  });

  it.each<[Strategy, number]>([
    ['direct_db', 0],
    ['single_agent', 0.024], // 6,000 × $2.50 + 1,500 × $6.00
    ['multi_agent', 0.08],
    ['crew_workflow', 0.197],
  ])('%s at a price passed in costs $%d', (strategy, cost) => {
    expect(estimate(strategy, { price: { input: 2.5, output: 6 } }).estimatedCost).toBe(cost);
  });
});

describe('estimate: history', () => {
  it.each<[string, EstimateOptions, Estimate]>([
    [
      'median of an odd number of samples',
      {
        taskType: 'lead_scoring',
        history: [
          sample({ durationS: 12, costUsd: 0.002 }),
          sample({ durationS: 300, costUsd: 0.9 }),
          sample({ durationS: 8, costUsd: 0.001 }),
        ],
      },
      { estimatedCost: 0.002, estimatedTime: 12, source: 'history', samples: 3 },
    ],
    [
      'median of an even number of samples',
      {
        taskType: 'lead_scoring',
        history: [
          sample({ durationS: 10, costUsd: 0.001 }),
          sample({ durationS: 14, costUsd: 0.003 }),
          sample({ durationS: 11.5, costUsd: 0.002 }),
          sample({ durationS: 40, costUsd: 0.01 }),
        ],
      },
      { estimatedCost: 0.0025, estimatedTime: 12.75, source: 'history', samples: 4 },
    ],
    [
      'two samples are too few: static',
      { taskType: 'lead_scoring', history: [sample(), sample()] },
      { estimatedCost: 0.0018, estimatedTime: 20, source: 'static', samples: 2 },
    ],
    [
      'other task types and strategies do not count',
      {
        taskType: 'lead_scoring',
        history: [sample(), sample(), sample({ taskType: 'customer_segmentation' }), sample({ strategy: 'multi_agent' })],
      },
      { estimatedCost: 0.0018, estimatedTime: 20, source: 'static', samples: 2 },
    ],
    [
      'without a task type every type of the strategy counts',
      { history: [sample(), sample({ taskType: 'customer_segmentation', durationS: 30 }), sample({ taskType: 'x', durationS: 20 })] },
      { estimatedCost: 0.001, estimatedTime: 20, source: 'history', samples: 3 },
    ],
    [
      'broken samples are ignored',
      {
        taskType: 'lead_scoring',
        history: [sample(), sample(), sample({ durationS: Number.NaN }), sample({ costUsd: -1 })],
      },
      { estimatedCost: 0.0018, estimatedTime: 20, source: 'static', samples: 2 },
    ],
  ])('%s', (_name, options, expected) => {
    expect(estimate('single_agent', options)).toEqual(expected);
  });
});

describe('checkBudget', () => {
  it.each<[string, number, number | undefined, BudgetCheck]>([
    ['no budget set', 0.5, undefined, { allowed: true, remaining: null, reason: 'The tenant has no budget limit.' }],
    [
      'fits',
      0.0147,
      2,
      { allowed: true, remaining: 2, reason: 'The estimated $0.0147 fits the remaining budget of $2 ($1.9853 left after it).' },
    ],
    [
      'exactly the remaining budget fits',
      0.25,
      0.25,
      { allowed: true, remaining: 0.25, reason: 'The estimated $0.25 fits the remaining budget of $0.25 ($0 left after it).' },
    ],
    ['exceeds', 0.0147, 0.01, { allowed: false, remaining: 0.01, reason: 'The estimated $0.0147 exceeds the remaining budget of $0.01.' }],
    ['exhausted budget', 0.0018, 0, { allowed: false, remaining: 0, reason: 'The estimated $0.0018 exceeds the remaining budget of $0.' }],
    [
      'overspent budget',
      0.0018,
      -0.5,
      { allowed: false, remaining: -0.5, reason: 'The estimated $0.0018 exceeds the remaining budget of -$0.5.' },
    ],
    [
      'free task on an overspent budget',
      0,
      -0.5,
      { allowed: true, remaining: -0.5, reason: 'The task is estimated to cost nothing, so the budget does not limit it.' },
    ],
  ])('%s', (_name, cost, remaining, expected) => {
    expect(checkBudget(cost, remaining)).toEqual(expected);
  });

  it.each([-0.01, Number.NaN, Number.POSITIVE_INFINITY])('rejects an estimated cost of %d', (cost) => {
    expect(() => checkBudget(cost, 1)).toThrow(new RangeError(`estimatedCost must be a number ≥ 0, got ${cost}`));
  });

  it('rejects a remaining budget that is not a finite number', () => {
    expect(() => checkBudget(0.1, Number.NaN)).toThrow(new RangeError('remainingBudget must be a finite number, got NaN'));
  });
});
