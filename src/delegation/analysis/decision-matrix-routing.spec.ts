import { describe, expect, it } from 'vitest';
import { decideStrategy, type DecisionInput, type RoutingOverride, type StrategyDecision } from './decision-matrix.js';

/* The decisions as the caller sees them, reasoning included: the README examples, caller choices and routing overrides. */

const churn: DecisionInput = {
  type: 'analyze_customer_churn',
  description: 'Predict customer churn risk',
  requiresAi: true,
  dataVolume: 5_000,
};
const customerList: DecisionInput = { type: 'get_customer_list', description: 'Fetch customer list', dataVolume: 500 };
const comprehensive: DecisionInput = {
  type: 'comprehensive_crm_analysis',
  description: 'Full CRM performance analysis',
  multiDomain: true,
  requiresAi: true,
};

const CUSTOMER_LIST_ANALYSIS =
  'Complexity simple (score 1): keywords get, list, fetch → simple; data volume 500 (< 1K) agrees. Category crud_operation (get, list, fetch).';
const CHURN_ANALYSIS =
  'Complexity moderate (score 2): keywords analyze, predict → complex; data volume 5,000 (< 10K) lowers it one level. Category data_analysis (analyze, churn, predict).';
const COMPREHENSIVE_ANALYSIS = 'Complexity expert (score 4): keywords comprehensive → expert. Category data_analysis (analysis).';

describe('decideStrategy: the reference README routing examples', () => {
  it.each<[string, DecisionInput, StrategyDecision]>([
    [
      'get_customer_list at 500 rows → direct_db',
      customerList,
      {
        strategy: 'direct_db',
        rule: 'crud_direct_db',
        complexity: 'simple',
        category: 'crud_operation',
        confidence: 0.9,
        risk: 'low',
        complexityScore: 1,
        signals: [
          { source: 'keywords', points: 1, detail: 'keywords get, list, fetch → simple' },
          { source: 'data_volume', points: 0, detail: 'data volume 500 (< 1K) agrees' },
        ],
        reasoning: `Rule crud_direct_db: a crud_operation of simple complexity without AI runs as a direct database query. ${CUSTOMER_LIST_ANALYSIS}`,
      },
    ],
    [
      'analyze_customer_churn, AI, 5,000 rows → single_agent',
      churn,
      {
        strategy: 'single_agent',
        rule: 'ai_moderate_single_agent',
        complexity: 'moderate',
        category: 'data_analysis',
        confidence: 0.75,
        risk: 'medium',
        complexityScore: 2,
        signals: [
          { source: 'keywords', points: 3, detail: 'keywords analyze, predict → complex' },
          { source: 'data_volume', points: -1, detail: 'data volume 5,000 (< 10K) lowers it one level' },
        ],
        reasoning: `Rule ai_moderate_single_agent: an AI task of moderate complexity under 10K rows runs on one specialist agent. ${CHURN_ANALYSIS}`,
      },
    ],
    [
      'comprehensive_crm_analysis, multi-domain + AI → crew_workflow',
      comprehensive,
      {
        strategy: 'crew_workflow',
        rule: 'multi_domain_crew',
        complexity: 'expert',
        category: 'data_analysis',
        confidence: 0.9,
        risk: 'high',
        complexityScore: 4,
        signals: [{ source: 'keywords', points: 4, detail: 'keywords comprehensive → expert' }],
        reasoning: `Rule multi_domain_crew: multi_domain is set, so the master supervisor coordinates the domains in a crew_workflow. ${COMPREHENSIVE_ANALYSIS}`,
      },
    ],
    [
      'sync_crm_contacts → direct_api',
      { type: 'sync_crm_contacts', description: 'Sync contacts from the CRM' },
      {
        strategy: 'direct_api',
        rule: 'integration_direct_api',
        complexity: 'simple',
        category: 'integration_task',
        confidence: 0.9,
        risk: 'low',
        complexityScore: 1,
        signals: [{ source: 'default', points: 1, detail: 'no catalogue entry or complexity keyword → simple' }],
        reasoning:
          'Rule integration_direct_api: an integration task (sync) without AI runs as a direct API call. Complexity simple (score 1): no catalogue entry or complexity keyword → simple. Category integration_task (sync).',
      },
    ],
    [
      'customer_segmentation at 50,000 rows with AI → multi_agent',
      { type: 'customer_segmentation', description: 'Segment customers by purchase behaviour', requiresAi: true, dataVolume: 50_000 },
      {
        strategy: 'multi_agent',
        rule: 'ai_complex_multi_agent',
        complexity: 'complex',
        category: 'data_analysis',
        confidence: 0.85,
        risk: 'medium',
        complexityScore: 3,
        signals: [
          { source: 'keywords', points: 3, detail: 'keywords segmentation, segment → complex' },
          { source: 'data_volume', points: 0, detail: 'data volume 50,000 (< 100K) agrees' },
        ],
        reasoning:
          'Rule ai_complex_multi_agent: an AI task of complex complexity runs on the domain supervisor with its specialists (multi_agent). Complexity complex (score 3): keywords segmentation, segment → complex; data volume 50,000 (< 100K) agrees. Category data_analysis (segmentation, segment).',
      },
    ],
  ])('%s', (_name, input, expected) => {
    expect(decideStrategy(input)).toEqual(expected);
  });
});

const crewToMulti: RoutingOverride = { fromStrategy: 'crew_workflow', toStrategy: 'multi_agent' };
const singleToMulti: RoutingOverride = { fromStrategy: 'single_agent', toStrategy: 'multi_agent' };

describe('decideStrategy: caller choices and routing overrides', () => {
  it.each<[string, DecisionInput, Pick<StrategyDecision, 'strategy' | 'rule' | 'confidence' | 'risk' | 'reasoning'>]>([
    [
      'force_crew → crew_workflow',
      { ...customerList, forceCrew: true },
      {
        strategy: 'crew_workflow',
        rule: 'force_crew',
        confidence: 0.95,
        risk: 'high',
        reasoning: `Rule force_crew: force_crew is set, so the task runs as a crew_workflow. The matrix alone would choose direct_db (rule crud_direct_db). ${CUSTOMER_LIST_ANALYSIS}`,
      },
    ],
    [
      'force_crew beats preferred_strategy',
      { ...customerList, forceCrew: true, preferredStrategy: 'single_agent' },
      {
        strategy: 'crew_workflow',
        rule: 'force_crew',
        confidence: 0.95,
        risk: 'high',
        reasoning: `Rule force_crew: force_crew is set, so the task runs as a crew_workflow. preferred_strategy single_agent was not applied: force_crew takes precedence. The matrix alone would choose direct_db (rule crud_direct_db). ${CUSTOMER_LIST_ANALYSIS}`,
      },
    ],
    [
      'force_crew on a type that cannot run as a crew is not applied',
      { ...customerList, forceCrew: true, supportedStrategies: ['direct_db'] },
      {
        strategy: 'direct_db',
        rule: 'crud_direct_db',
        confidence: 0.9,
        risk: 'low',
        reasoning: `Rule crud_direct_db: a crud_operation of simple complexity without AI runs as a direct database query. force_crew was not applied: get_customer_list cannot run as crew_workflow (it supports direct_db). ${CUSTOMER_LIST_ANALYSIS}`,
      },
    ],
    [
      'a valid preferred_strategy wins',
      { ...churn, preferredStrategy: 'multi_agent' },
      {
        strategy: 'multi_agent',
        rule: 'preferred_strategy',
        confidence: 0.95,
        risk: 'medium',
        reasoning: `Rule preferred_strategy: the caller's preferred_strategy multi_agent is applied. The matrix alone would choose single_agent (rule ai_moderate_single_agent). ${CHURN_ANALYSIS}`,
      },
    ],
    [
      'a preferred_strategy that agrees with the matrix adds no note',
      { ...churn, preferredStrategy: 'single_agent' },
      {
        strategy: 'single_agent',
        rule: 'preferred_strategy',
        confidence: 0.95,
        risk: 'low',
        reasoning: `Rule preferred_strategy: the caller's preferred_strategy single_agent is applied. ${CHURN_ANALYSIS}`,
      },
    ],
    [
      'a preferred_strategy below what an AI task needs is high risk',
      { ...churn, preferredStrategy: 'direct_db' },
      {
        strategy: 'direct_db',
        rule: 'preferred_strategy',
        confidence: 0.95,
        risk: 'high',
        reasoning: `Rule preferred_strategy: the caller's preferred_strategy direct_db is applied. The matrix alone would choose single_agent (rule ai_moderate_single_agent). ${CHURN_ANALYSIS}`,
      },
    ],
    [
      'a preferred_strategy the type cannot run is not applied',
      { ...churn, preferredStrategy: 'crew_workflow', supportedStrategies: ['single_agent', 'multi_agent'] },
      {
        strategy: 'single_agent',
        rule: 'ai_moderate_single_agent',
        confidence: 0.75,
        risk: 'medium',
        reasoning: `Rule ai_moderate_single_agent: an AI task of moderate complexity under 10K rows runs on one specialist agent. preferred_strategy crew_workflow was not applied: analyze_customer_churn cannot run as crew_workflow (it supports single_agent, multi_agent). ${CHURN_ANALYSIS}`,
      },
    ],
    [
      'an unknown preferred_strategy is not applied',
      { ...churn, preferredStrategy: 'quantum' },
      {
        strategy: 'single_agent',
        rule: 'ai_moderate_single_agent',
        confidence: 0.75,
        risk: 'medium',
        reasoning: `Rule ai_moderate_single_agent: an AI task of moderate complexity under 10K rows runs on one specialist agent. preferred_strategy quantum was not applied: it is not a strategy (one of direct_db, direct_api, single_agent, multi_agent, crew_workflow). ${CHURN_ANALYSIS}`,
      },
    ],
    [
      'a routing override replaces the matrix',
      { ...comprehensive, overrides: [crewToMulti] },
      {
        strategy: 'multi_agent',
        rule: 'routing_override',
        confidence: 0.85,
        risk: 'medium',
        reasoning: `Rule routing_override: the applied routing override crew_workflow → multi_agent (all task types) replaces the matrix's choice (rule multi_domain_crew). ${COMPREHENSIVE_ANALYSIS}`,
      },
    ],
    [
      'a type-specific override beats a global one',
      {
        ...churn,
        overrides: [singleToMulti, { taskType: 'analyze_customer_churn', fromStrategy: 'single_agent', toStrategy: 'crew_workflow' }],
      },
      {
        strategy: 'crew_workflow',
        rule: 'routing_override',
        confidence: 0.85,
        risk: 'high',
        reasoning: `Rule routing_override: the applied routing override single_agent → crew_workflow (analyze_customer_churn) replaces the matrix's choice (rule ai_moderate_single_agent). ${CHURN_ANALYSIS}`,
      },
    ],
    [
      "an override for another type or another strategy doesn't apply",
      {
        ...churn,
        overrides: [{ taskType: 'lead_scoring', fromStrategy: 'single_agent', toStrategy: 'multi_agent' }, crewToMulti],
      },
      {
        strategy: 'single_agent',
        rule: 'ai_moderate_single_agent',
        confidence: 0.75,
        risk: 'medium',
        reasoning: `Rule ai_moderate_single_agent: an AI task of moderate complexity under 10K rows runs on one specialist agent. ${CHURN_ANALYSIS}`,
      },
    ],
    [
      'preferred_strategy beats a routing override',
      { ...comprehensive, overrides: [crewToMulti], preferredStrategy: 'crew_workflow' },
      {
        strategy: 'crew_workflow',
        rule: 'preferred_strategy',
        confidence: 0.95,
        risk: 'high',
        reasoning: `Rule preferred_strategy: the caller's preferred_strategy crew_workflow is applied. The routing override crew_workflow → multi_agent (all task types) was not applied: an explicit caller choice wins. ${COMPREHENSIVE_ANALYSIS}`,
      },
    ],
    [
      'force_crew beats a routing override',
      { ...churn, overrides: [singleToMulti], forceCrew: true },
      {
        strategy: 'crew_workflow',
        rule: 'force_crew',
        confidence: 0.95,
        risk: 'high',
        reasoning: `Rule force_crew: force_crew is set, so the task runs as a crew_workflow. The routing override single_agent → multi_agent (all task types) was not applied: an explicit caller choice wins. The matrix alone would choose single_agent (rule ai_moderate_single_agent). ${CHURN_ANALYSIS}`,
      },
    ],
    [
      'an override to a strategy the type cannot run is not applied',
      { ...comprehensive, overrides: [crewToMulti], supportedStrategies: ['crew_workflow'] },
      {
        strategy: 'crew_workflow',
        rule: 'multi_domain_crew',
        confidence: 0.9,
        risk: 'high',
        reasoning: `Rule multi_domain_crew: multi_domain is set, so the master supervisor coordinates the domains in a crew_workflow. The routing override crew_workflow → multi_agent (all task types) was not applied: comprehensive_crm_analysis cannot run as multi_agent (it supports crew_workflow). ${COMPREHENSIVE_ANALYSIS}`,
      },
    ],
    [
      'a matrix answer the type cannot run becomes its catalogue default',
      {
        type: 'lead_scoring',
        description: 'Score inbound leads',
        dataVolume: 50_000,
        catalogue: { complexity: 'moderate', strategy: 'single_agent', requiresAi: true },
        supportedStrategies: ['single_agent'],
      },
      {
        strategy: 'single_agent',
        rule: 'catalogue_default',
        confidence: 0.8,
        risk: 'high',
        reasoning:
          'Rule catalogue_default: ai_complex_multi_agent chose multi_agent, but lead_scoring cannot run as multi_agent, so its catalogue default single_agent applies. Complexity complex (score 3): catalogue default moderate; data volume 50,000 (< 100K) raises it one level. Category decision_making (scoring, score).',
      },
    ],
    [
      'else the most capable supported strategy below it',
      {
        type: 'customer_segmentation',
        description: 'Segment customers',
        requiresAi: true,
        dataVolume: 50_000,
        supportedStrategies: ['direct_db', 'single_agent'],
      },
      {
        strategy: 'single_agent',
        rule: 'nearest_supported',
        confidence: 0.6,
        risk: 'high',
        reasoning:
          'Rule nearest_supported: ai_complex_multi_agent chose multi_agent, but customer_segmentation cannot run as multi_agent, so the nearest strategy it supports, single_agent, applies. Complexity complex (score 3): keywords segmentation, segment → complex; data volume 50,000 (< 100K) agrees. Category data_analysis (segmentation, segment).',
      },
    ],
    [
      'else the cheapest supported strategy above it',
      { ...customerList, supportedStrategies: ['crew_workflow', 'multi_agent'] },
      {
        strategy: 'multi_agent',
        rule: 'nearest_supported',
        confidence: 0.6,
        risk: 'medium',
        reasoning: `Rule nearest_supported: crud_direct_db chose direct_db, but get_customer_list cannot run as direct_db, so the nearest strategy it supports, multi_agent, applies. ${CUSTOMER_LIST_ANALYSIS}`,
      },
    ],
  ])('%s', (_name, input, expected) => {
    const { strategy, rule, confidence, risk, reasoning } = decideStrategy(input);
    expect({ strategy, rule, confidence, risk, reasoning }).toEqual(expected);
  });

  it('rejects an empty list of supported strategies', () => {
    expect(() => decideStrategy({ ...customerList, supportedStrategies: [] })).toThrow(
      new RangeError('supportedStrategies must name at least one strategy'),
    );
  });
});
