import { describe, expect, it } from 'vitest';
import { CrmValidationError } from './field-errors.js';
import { closeProbabilities, expectedWins, optimizePipeline, winsUplift } from './pipeline-optimization.js';
import { validatePipelineOptimizationRequest, type PipelineData } from './pipeline-optimization-validation.js';

function pipeline(overrides: Partial<PipelineData> = {}): { pipeline_data: PipelineData } {
  return {
    pipeline_data: {
      stages: { lead: 200, qualified: 80, proposal: 40, negotiation: 20 },
      conversion_rates: { lead: 0.4, qualified: 0.5, proposal: 0.5, negotiation: 0.5 },
      average_deal_size: 25_000,
      sales_cycle_length: 45,
      ...overrides,
    },
  };
}

describe('optimizePipeline — worked example (200/80/40/20, rates 0.4/0.5/0.5/0.5, D 25,000, L 45)', () => {
  const result = optimizePipeline(pipeline());

  it('expects 40 wins, 1,000,000 revenue and ≈ 22,222 a day', () => {
    expect(result.summary).toEqual({
      open_deals: 340,
      pipeline_value: 8_500_000,
      weighted_value: 1_000_000,
      expected_wins: 40,
      expected_revenue: 1_000_000,
      velocity_per_day: 22_222.22,
      velocity_per_month: 666_666.67,
    });
  });

  it('+10-point uplifts are 62,500 / 100,000 / 150,000 / 200,000', () => {
    expect(result.scenarios.slice(0, 4).map((scenario) => scenario.revenue_uplift)).toEqual([62_500, 100_000, 150_000, 200_000]);
    expect(result.scenarios[0]).toEqual({
      name: '+10 points on lead → qualified',
      stage: 'lead',
      rate_from: 0.4,
      rate_to: 0.5,
      expected_wins: 42.5,
      expected_revenue: 1_062_500,
      revenue_uplift: 62_500,
      velocity_per_day: 23_611.11,
    });
  });

  it('the first step is the bottleneck, the last the highest leverage', () => {
    expect(result.bottleneck).toEqual({ stage: 'lead', next_stage: 'qualified', rate: 0.4, deals_lost: 120 });
    expect(result.highest_leverage).toEqual({
      stage: 'negotiation',
      next_stage: 'won',
      rate: 0.5,
      improved_rate: 0.6,
      revenue_uplift: 200_000,
      wins_uplift: 8,
    });
    expect(result.bottleneck.stage).not.toBe(result.highest_leverage.stage);
  });

  it('reports each stage with its rate, drop-off, deals lost and close probability', () => {
    expect(
      result.stages.map((stage) => [stage.name, stage.rate, stage.rate_source, stage.drop_off, stage.deals_lost, stage.p_close]),
    ).toEqual([
      ['lead', 0.4, 'given', 0.6, 120, 0.05],
      ['qualified', 0.5, 'given', 0.5, 40, 0.125],
      ['proposal', 0.5, 'given', 0.5, 20, 0.25],
      ['negotiation', 0.5, 'given', 0.5, 10, 0.5],
    ]);
    expect(result.stages[0].stalled).toBeNull();
  });

  it('recommends the leverage step first, then the bottleneck, then cycle time', () => {
    expect(result.recommendations.map((recommendation) => recommendation.type)).toEqual(['highest_leverage', 'bottleneck', 'cycle_time']);
    expect(result.recommendations[0].message).toBe(
      'Raise negotiation → won from 50% to 60%: +200,000 expected revenue, the largest gain of any single step.',
    );
    expect(result.recommendations[1].message).toBe('lead → qualified converts only 40% and loses 120 deals; +10 points there adds 62,500.');
    expect(result.scenarios[4]).toMatchObject({ name: 'sales cycle 10% shorter', revenue_uplift: 0, velocity_per_day: 24_691.36 });
  });

  it('warns that object key order is the stage order, and carries the markers', () => {
    expect(result.warnings).toEqual(['stages given as an object: its key order is taken as the stage order']);
    expect(result.model_version).toBe('crm-pipeline-optimization/1.0.0');
    expect(result.ai_explanation).toBeNull();
  });
});

describe('optimizePipeline — input forms', () => {
  const arrayStages = [
    { name: 'Lead', count: 200 },
    { name: 'Qualified', count: 80 },
    { name: 'Proposal', count: 40 },
    { name: 'Negotiation', count: 20 },
  ];

  it('accepts an ordered array and adjacent-pair keys, with no order warning', () => {
    const result = optimizePipeline(
      pipeline({
        stages: arrayStages,
        conversion_rates: { lead_to_qualified: 0.4, 'Qualified -> Proposal': 0.5, 'proposal→negotiation': 0.5, negotiation_to_won: 0.5 },
      }),
    );
    expect(result.summary.expected_revenue).toBe(1_000_000);
    expect(result.warnings).toEqual([]);
  });

  it('accepts rates as an array in stage order', () => {
    expect(optimizePipeline(pipeline({ stages: arrayStages, conversion_rates: [0.4, 0.5, 0.5, 0.5] })).summary.expected_wins).toBe(40);
  });

  it('reads rates between 1 and 100 as percentages, with a warning', () => {
    const result = optimizePipeline(pipeline({ conversion_rates: { lead: 40, qualified: 50, proposal: 50, negotiation: 50 } }));
    expect(result.summary.expected_wins).toBe(40);
    expect(result.warnings).toContain('conversion rates are all between 1 and 100; read as percentages');
  });

  it('implies missing rates from the counts, using closed_won for the last step, and leaves closed_lost out', () => {
    const result = optimizePipeline(
      pipeline({
        stages: { lead: 200, qualified: 80, proposal: 40, negotiation: 20, closed_won: 10, closed_lost: 55 },
        conversion_rates: { proposal: 0.5 },
      }),
    );
    expect(result.stages.map((stage) => [stage.name, stage.rate, stage.rate_source, stage.next_stage])).toEqual([
      ['lead', 0.4, 'implied', 'qualified'],
      ['qualified', 0.5, 'implied', 'proposal'],
      ['proposal', 0.5, 'given', 'negotiation'],
      ['negotiation', 0.5, 'implied', 'closed_won'],
    ]);
    expect(result.summary.open_deals).toBe(340);
    expect(result.warnings).toContain('closed_lost is not part of the open pipeline and was left out');
    expect(result.recommendations.find((recommendation) => recommendation.type === 'data_quality')?.message).toBe(
      "Rates for lead, qualified, negotiation are implied from today's stage counts; measured conversion rates would make this analysis sharper.",
    );
  });

  it('caps an implied rate above 1, with a warning', () => {
    const result = optimizePipeline(pipeline({ stages: { a: 10, b: 20 }, conversion_rates: { b: 0.5 } }));
    expect(result.stages[0].rate).toBe(1);
    expect(result.warnings).toContain('implied rate for a is 2 (the next stage holds more deals); capped at 1');
  });

  it('recomputes the funnel for a zero rate instead of scaling it', () => {
    const counts = [100, 50];
    const rates = [0, 0.5];
    expect(winsUplift(counts, rates, 0)).toBeCloseTo(100 * 0.1 * 0.5, 12);
    const result = optimizePipeline(pipeline({ stages: { a: 100, b: 40 }, conversion_rates: { a: 0, b: 0.5 } }));
    // a: 100 × 0.1 × 0.5 = 5 more wins; b: 40 × 0.5 × 0.2 = 4 more wins.
    expect(result.scenarios.slice(0, 2).map((scenario) => scenario.revenue_uplift)).toEqual([125_000, 100_000]);
    expect(result.highest_leverage.stage).toBe('a');
    expect(result.bottleneck).toEqual({ stage: 'a', next_stage: 'b', rate: 0, deals_lost: 100 });
    expect(result.recommendations.map((recommendation) => recommendation.type)).toEqual(['highest_leverage', 'cycle_time']);
  });

  it('a rate of 1 cannot be raised', () => {
    expect(winsUplift([10], [1], 0)).toBe(0);
  });

  it('marks stages whose deals stall beyond 1.5 × cycle ÷ stages', () => {
    // 4 open stages, L 45: stalled above 16.875 days.
    const result = optimizePipeline(
      pipeline({
        stages: [
          { name: 'lead', count: 200, days_in_stage: 5 },
          { name: 'qualified', count: 80, days_in_stage: 16.875 },
          { name: 'proposal', count: 40, days_in_stage: 30 },
          { name: 'negotiation', count: 20 },
        ],
      }),
    );
    expect(result.stages.map((stage) => stage.stalled)).toEqual([false, false, true, null]);
    expect(result.recommendations.find((recommendation) => recommendation.type === 'stalled_stage')).toEqual({
      type: 'stalled_stage',
      stage: 'proposal',
      message: 'Deals average 30 days in proposal, above the 16.9-day pace of a 45-day cycle; review and unblock them.',
    });
  });

  it('p_i multiplies the rates from stage i on', () => {
    expect(closeProbabilities([0.4, 0.5, 0.5, 0.5])).toEqual([0.05, 0.125, 0.25, 0.5]);
    expect(expectedWins([200, 80, 40, 20], [0.4, 0.5, 0.5, 0.5])).toBe(40);
  });
});

describe('validatePipelineOptimizationRequest', () => {
  it('accepts the worked example', () => {
    expect(validatePipelineOptimizationRequest(pipeline())).toEqual([]);
  });

  it.each([
    ['a non-object body', 'x', 'body', 'must be an object'],
    ['missing pipeline_data', {}, 'pipeline_data', 'is required'],
    ['pipeline_data not an object', { pipeline_data: [] }, 'pipeline_data', 'must be an object'],
    ['missing stages', pipeline({ stages: undefined }), 'pipeline_data.stages', 'is required'],
    [
      'stages a string',
      pipeline({ stages: 'lead' as unknown as PipelineData['stages'] }),
      'pipeline_data.stages',
      'must be an array of {name, count} or an object of stage → count',
    ],
    ['no stages', pipeline({ stages: [] }), 'pipeline_data.stages', 'must not be empty'],
    [
      'a stage entry not an object',
      pipeline({ stages: [3] as unknown as PipelineData['stages'] }),
      'pipeline_data.stages[0]',
      'must be an object with name and count',
    ],
    [
      'a stage without a name',
      pipeline({ stages: [{ count: 3 }] as unknown as PipelineData['stages'] }),
      'pipeline_data.stages[0].name',
      'is required',
    ],
    ['a negative count', pipeline({ stages: { lead: -1, won: 1 } }), 'pipeline_data.stages.lead', 'must be at least 0'],
    [
      'a text count',
      pipeline({ stages: [{ name: 'lead', count: '5' }] as unknown as PipelineData['stages'] }),
      'pipeline_data.stages[0].count',
      'must be a finite number',
    ],
    [
      'a duplicate stage',
      pipeline({
        stages: [
          { name: 'Lead', count: 1 },
          { name: 'lead', count: 1 },
        ],
      }),
      'pipeline_data.stages[1].name',
      'duplicates stage "Lead"',
    ],
    [
      'only closed stages',
      pipeline({ stages: { closed_won: 3, closed_lost: 2 } }),
      'pipeline_data.stages',
      'must contain at least one open stage besides closed_won/closed_lost',
    ],
    [
      'negative days in stage',
      pipeline({ stages: [{ name: 'lead', count: 5, days_in_stage: -1 }], conversion_rates: [0.5] }),
      'pipeline_data.stages[0].days_in_stage',
      'must be at least 0',
    ],
    ['a zero deal size', pipeline({ average_deal_size: 0 }), 'pipeline_data.average_deal_size', 'must be greater than 0'],
    [
      'a missing deal size',
      pipeline({ average_deal_size: undefined as unknown as number }),
      'pipeline_data.average_deal_size',
      'is required',
    ],
    ['a negative cycle', pipeline({ sales_cycle_length: -5 }), 'pipeline_data.sales_cycle_length', 'must be greater than 0'],
    [
      'rates a string',
      pipeline({ conversion_rates: 'high' as unknown as number[] }),
      'pipeline_data.conversion_rates',
      'must be an object of rates or an array in stage order',
    ],
    [
      'a rate naming no stage',
      pipeline({ conversion_rates: { lead: 0.4, qualified: 0.5, proposal: 0.5, negotiation: 0.5, demo: 0.3 } }),
      'pipeline_data.conversion_rates.demo',
      'does not name an open stage or a pair of adjacent stages (such as "lead_to_qualified")',
    ],
    [
      'a rate for non-adjacent stages',
      pipeline({ conversion_rates: { lead_to_proposal: 0.2, qualified: 0.5, proposal: 0.5, negotiation: 0.5 } }),
      'pipeline_data.conversion_rates.lead_to_proposal',
      'does not name an open stage or a pair of adjacent stages (such as "lead_to_qualified")',
    ],
    [
      'the same stage twice',
      pipeline({ conversion_rates: { lead: 0.4, lead_to_qualified: 0.4, qualified: 0.5, proposal: 0.5, negotiation: 0.5 } }),
      'pipeline_data.conversion_rates.lead_to_qualified',
      'gives the rate of stage "lead" a second time',
    ],
    [
      'a rate above 1 among fractions',
      pipeline({ conversion_rates: { lead: 40, qualified: 0.5, proposal: 0.5, negotiation: 0.5 } }),
      'pipeline_data.conversion_rates.lead',
      'must be between 0 and 1 (or give every rate as a percentage above 1 and at most 100)',
    ],
    [
      'a negative rate',
      pipeline({ conversion_rates: { lead: -0.1, qualified: 0.5, proposal: 0.5, negotiation: 0.5 } }),
      'pipeline_data.conversion_rates.lead',
      'must be at least 0',
    ],
    [
      'a text rate in an array',
      pipeline({ conversion_rates: [0.4, '0.5', 0.5, 0.5] as unknown as number[] }),
      'pipeline_data.conversion_rates[1]',
      'must be a finite number',
    ],
    [
      'too many rates',
      pipeline({ conversion_rates: [0.4, 0.5, 0.5, 0.5, 0.5] }),
      'pipeline_data.conversion_rates',
      'must have at most 4 rates (one per open stage)',
    ],
    [
      'no last rate and no closed_won',
      pipeline({ conversion_rates: { lead: 0.4, qualified: 0.5, proposal: 0.5 } }),
      'pipeline_data.conversion_rates.negotiation',
      'is required: the rate from the last open stage "negotiation" to won cannot be implied without a closed_won count',
    ],
    [
      'an empty stage with no rate',
      pipeline({ stages: { lead: 0, qualified: 5 }, conversion_rates: { qualified: 0.5 } }),
      'pipeline_data.conversion_rates.lead',
      'is required: stage "lead" has no deals to imply a rate from',
    ],
  ])('%s → %s: %s', (_name, body, field, message) => {
    expect(validatePipelineOptimizationRequest(body)).toEqual([{ field, message }]);
  });

  it('optimizePipeline throws the same errors', () => {
    try {
      optimizePipeline(pipeline({ average_deal_size: -1 }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CrmValidationError);
      expect((error as CrmValidationError).errors).toEqual([
        { field: 'pipeline_data.average_deal_size', message: 'must be greater than 0' },
      ]);
    }
  });
});
