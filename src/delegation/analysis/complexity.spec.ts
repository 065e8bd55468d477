import { describe, expect, it } from 'vitest';
import type { Complexity } from '../../tasks/task.types.js';
import { analyzeComplexity, matchWords, tokenize, volumeBucket, type ComplexityInput, type ComplexitySignal } from './complexity.js';

function input(overrides: Partial<ComplexityInput>): ComplexityInput {
  return { type: 'task', description: '', ...overrides };
}

function parameters(count: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`p${index}`, index]));
}

describe('tokenize', () => {
  it.each([
    ['get_customer_list', ['get', 'customer', 'list']],
    ['target_market_analysis', ['target', 'market', 'analysis']],
    ['Fetch the customer-list, please!', ['fetch', 'the', 'customer', 'list', 'please']],
    ['getCustomerList', ['get', 'customer', 'list']],
    ['sync_crm_contacts v2', ['sync', 'crm', 'contacts', 'v2']],
    ['__  --', []],
  ])('%j → %j', (text, tokens) => {
    expect(tokenize(text)).toEqual(tokens);
  });
});

describe('matchWords', () => {
  it.each([
    [['target', 'market'], []],
    [['budget', 'widget', 'gadget', 'forget'], []],
    [['targeting', 'getting', 'listed'], []],
    [
      ['get', 'list', 'get'],
      ['get', 'list'],
    ],
  ])('%j matches %j of the simple words', (tokens, matched) => {
    expect(matchWords(tokens, ['get', 'list'])).toEqual(matched);
  });
});

describe('volumeBucket', () => {
  it.each([
    [1, 1, '< 1K'],
    [999, 1, '< 1K'],
    [1_000, 2, '< 10K'],
    [9_999, 2, '< 10K'],
    [10_000, 3, '< 100K'],
    [99_999, 3, '< 100K'],
    [100_000, 4, '≥ 100K'],
    [5_000_000, 4, '≥ 100K'],
  ])('%i rows → level %i (%s)', (rows, level, label) => {
    expect(volumeBucket(rows)).toEqual({ level, label });
  });
});

describe('analyzeComplexity', () => {
  it.each<[string, Partial<ComplexityInput>, Complexity, number, ComplexitySignal[]]>([
    [
      'README get_customer_list at 500 rows',
      { type: 'get_customer_list', description: 'Fetch customer list', dataVolume: 500 },
      'simple',
      1,
      [
        { source: 'keywords', points: 1, detail: 'keywords get, list, fetch → simple' },
        { source: 'data_volume', points: 0, detail: 'data volume 500 (< 1K) agrees' },
      ],
    ],
    [
      'README analyze_customer_churn at 5,000 rows: the volume lowers complex to moderate',
      { type: 'analyze_customer_churn', description: 'Predict customer churn risk', dataVolume: 5_000 },
      'moderate',
      2,
      [
        { source: 'keywords', points: 3, detail: 'keywords analyze, predict → complex' },
        { source: 'data_volume', points: -1, detail: 'data volume 5,000 (< 10K) lowers it one level' },
      ],
    ],
    [
      'README comprehensive_crm_analysis without a volume',
      { type: 'comprehensive_crm_analysis', description: 'Full CRM performance analysis' },
      'expert',
      4,
      [{ source: 'keywords', points: 4, detail: 'keywords comprehensive → expert' }],
    ],
    [
      'customer_segmentation at 50,000 rows',
      { type: 'customer_segmentation', description: 'Segment customers by purchase behaviour', dataVolume: 50_000 },
      'complex',
      3,
      [
        { source: 'keywords', points: 3, detail: 'keywords segmentation, segment → complex' },
        { source: 'data_volume', points: 0, detail: 'data volume 50,000 (< 100K) agrees' },
      ],
    ],
    [
      'no keyword starts at simple; a big volume raises one level only',
      { type: 'sync_crm_contacts', description: 'Sync contacts from the CRM', dataVolume: 500_000 },
      'moderate',
      2,
      [
        { source: 'default', points: 1, detail: 'no catalogue entry or complexity keyword → simple' },
        { source: 'data_volume', points: 1, detail: 'data volume 500,000 (≥ 100K) raises it one level' },
      ],
    ],
    [
      'trap: target_market_analysis is an analysis, not a get',
      { type: 'target_market_analysis', description: 'Analyze the target market' },
      'complex',
      3,
      [{ source: 'keywords', points: 3, detail: 'keywords analysis, analyze → complex' }],
    ],
    [
      'trap: budget, widget, targeting, forget are no keywords',
      { type: 'widget_budget', description: 'Targeting the gadget budget; forget nothing' },
      'simple',
      1,
      [{ source: 'default', points: 1, detail: 'no catalogue entry or complexity keyword → simple' }],
    ],
    [
      'trap: scoreboard, processor, listings, integration are no keywords',
      { type: 'scoreboard_processor', description: 'listings for the integration' },
      'simple',
      1,
      [{ source: 'default', points: 1, detail: 'no catalogue entry or complexity keyword → simple' }],
    ],
    [
      'inflections: scoring is score, analyse is analyze',
      { type: 'lead_scoring', description: 'Analyse the leads' },
      'complex',
      3,
      [{ source: 'keywords', points: 3, detail: 'keywords scoring, analyse → complex' }],
    ],
    [
      'the highest keyword level wins',
      { type: 'get_churn_report', description: 'Create a forecast and orchestrate follow-ups' },
      'expert',
      4,
      [{ source: 'keywords', points: 4, detail: 'keywords orchestrate → expert' }],
    ],
    [
      'moderate keyword on a small volume is simple',
      { type: 'create_invoice', description: 'Create one invoice', dataVolume: 10 },
      'simple',
      1,
      [
        { source: 'keywords', points: 2, detail: 'keywords create → moderate' },
        { source: 'data_volume', points: -1, detail: 'data volume 10 (< 1K) lowers it one level' },
      ],
    ],
    [
      'catalogue default first: keywords are not scored',
      { type: 'comprehensive_orchestration', description: 'analyze everything', catalogueComplexity: 'moderate' },
      'moderate',
      2,
      [{ source: 'catalogue', points: 2, detail: 'catalogue default moderate' }],
    ],
    [
      'catalogue default is a floor for a small volume',
      { type: 'lead_scoring', description: 'Score leads', dataVolume: 20, catalogueComplexity: 'moderate' },
      'moderate',
      2,
      [
        { source: 'catalogue', points: 2, detail: 'catalogue default moderate' },
        { source: 'data_volume', points: 0, detail: 'data volume 20 (< 1K) cannot go below the catalogue default' },
      ],
    ],
    [
      'catalogue default raised by a big volume',
      { type: 'lead_scoring', description: 'Score leads', dataVolume: 40_000, catalogueComplexity: 'moderate' },
      'complex',
      3,
      [
        { source: 'catalogue', points: 2, detail: 'catalogue default moderate' },
        { source: 'data_volume', points: 1, detail: 'data volume 40,000 (< 100K) raises it one level' },
      ],
    ],
    [
      'eight parameters raise one level',
      { type: 'update_customer', description: 'Update a customer', parameters: parameters(8) },
      'complex',
      3,
      [
        { source: 'keywords', points: 2, detail: 'keywords update → moderate' },
        { source: 'parameters', points: 1, detail: '8 parameters raise it one level' },
      ],
    ],
    [
      'seven parameters are no signal',
      { type: 'update_customer', description: 'Update a customer', parameters: parameters(7) },
      'moderate',
      2,
      [{ source: 'keywords', points: 2, detail: 'keywords update → moderate' }],
    ],
    [
      'the score is capped at expert',
      { type: 'orchestrate_all', description: '', dataVolume: 1_000_000, parameters: parameters(9) },
      'expert',
      4,
      [
        { source: 'keywords', points: 4, detail: 'keywords orchestrate → expert' },
        { source: 'data_volume', points: 0, detail: 'data volume 1,000,000 (≥ 100K) agrees' },
        { source: 'parameters', points: 1, detail: '9 parameters raise it one level' },
      ],
    ],
  ])('%s', (_name, overrides, complexity, score, signals) => {
    const analysis = analyzeComplexity(input(overrides));
    expect(analysis.complexity).toBe(complexity);
    expect(analysis.score).toBe(score);
    expect(analysis.signals).toEqual(signals);
  });

  it.each([
    ['target_market_analysis', 'Analyze the target market for the widget budget'],
    ['targeting_widgets', 'Forget the gadgets and budget it'],
  ])('trap: %s finds no simple keyword', (type, description) => {
    expect(analyzeComplexity(input({ type, description })).keywords.simple).toEqual([]);
  });

  it('reports the keywords found at every level', () => {
    expect(
      analyzeComplexity(input({ type: 'get_churn_report', description: 'Create a forecast and orchestrate follow-ups' })).keywords,
    ).toEqual({
      simple: ['get'],
      moderate: ['create'],
      complex: ['forecast'],
      expert: ['orchestrate'],
    });
  });

  it('treats data volume 0 as not stated', () => {
    expect(analyzeComplexity(input({ type: 'analyze_sales', dataVolume: 0 })).signals).toEqual([
      { source: 'keywords', points: 3, detail: 'keywords analyze → complex' },
    ]);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects data volume %d', (dataVolume) => {
    expect(() => analyzeComplexity(input({ dataVolume }))).toThrow(new RangeError(`dataVolume must be a number ≥ 0, got ${dataVolume}`));
  });
});
