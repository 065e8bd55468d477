import { describe, expect, it } from 'vitest';
import { decideStrategy, type DecisionInput, type StrategyDecision } from './decision-matrix.js';

type Outcome = Pick<StrategyDecision, 'strategy' | 'rule' | 'complexity' | 'category' | 'confidence' | 'risk'>;

function outcome(decision: StrategyDecision): Outcome {
  const { strategy, rule, complexity, category, confidence, risk } = decision;
  return { strategy, rule, complexity, category, confidence, risk };
}

describe('decideStrategy: the matrix', () => {
  it.each<[string, DecisionInput, Outcome]>([
    [
      'trap: target_market_analysis with AI at 5,000 is an analysis, not a get',
      { type: 'target_market_analysis', description: 'Analyze the target market', requiresAi: true, dataVolume: 5_000 },
      {
        strategy: 'single_agent',
        rule: 'ai_moderate_single_agent',
        complexity: 'moderate',
        category: 'data_analysis',
        confidence: 0.75,
        risk: 'medium',
      },
    ],
    [
      'trap: target_market_analysis without AI is not a direct_db read; one agent plans it',
      { type: 'target_market_analysis', description: 'Analyze the target market' },
      {
        strategy: 'single_agent',
        rule: 'no_ai_single_agent',
        complexity: 'complex',
        category: 'data_analysis',
        confidence: 0.6,
        risk: 'medium',
      },
    ],
    [
      'trap: budget, widget and targeting back nothing (lower confidence)',
      { type: 'target_audience_widget', description: 'Targeting budget for the widget' },
      { strategy: 'direct_db', rule: 'crud_direct_db', complexity: 'simple', category: 'crud_operation', confidence: 0.8, risk: 'low' },
    ],
    [
      'trap: the same with AI is a simple AI task',
      { type: 'target_audience_widget', description: 'Targeting budget for the widget', requiresAi: true },
      {
        strategy: 'single_agent',
        rule: 'ai_simple_single_agent',
        complexity: 'simple',
        category: 'data_analysis',
        confidence: 0.65,
        risk: 'medium',
      },
    ],
    [
      'multi_domain without AI is still a crew',
      { type: 'crm_overview', description: 'Overview across CRM and billing', multiDomain: true },
      {
        strategy: 'crew_workflow',
        rule: 'multi_domain_crew',
        complexity: 'simple',
        category: 'crud_operation',
        confidence: 0.8,
        risk: 'high',
      },
    ],
    [
      'expert keyword without AI → crew (expert comes first in §7)',
      { type: 'orchestrate_onboarding', description: 'Orchestrate customer onboarding' },
      {
        strategy: 'crew_workflow',
        rule: 'expert_crew',
        complexity: 'expert',
        category: 'workflow_automation',
        confidence: 0.8,
        risk: 'high',
      },
    ],
    [
      'complex work over 100K rows is expert → crew',
      { type: 'analyze_orders', description: 'Analyze all orders', requiresAi: true, dataVolume: 250_000 },
      { strategy: 'crew_workflow', rule: 'expert_crew', complexity: 'expert', category: 'data_analysis', confidence: 0.7, risk: 'high' },
    ],
    [
      'CRUD at moderate without AI → direct_db',
      { type: 'update_customer_phone', description: 'Update the phone number', dataVolume: 2_000 },
      { strategy: 'direct_db', rule: 'crud_direct_db', complexity: 'moderate', category: 'crud_operation', confidence: 0.9, risk: 'low' },
    ],
    [
      'CRUD at complex without AI is no longer direct',
      { type: 'update_customer_records', description: 'Update customer records', dataVolume: 50_000 },
      {
        strategy: 'single_agent',
        rule: 'no_ai_single_agent',
        complexity: 'complex',
        category: 'crud_operation',
        confidence: 0.5,
        risk: 'high',
      },
    ],
    [
      'a sync with AI is an AI task',
      { type: 'sync_crm_contacts', description: 'Sync contacts from the CRM', requiresAi: true },
      {
        strategy: 'single_agent',
        rule: 'ai_simple_single_agent',
        complexity: 'simple',
        category: 'integration_task',
        confidence: 0.75,
        risk: 'medium',
      },
    ],
    [
      'import and export are transfers too',
      { type: 'import_products', description: 'Import products from the shop', dataVolume: 3_000 },
      {
        strategy: 'direct_api',
        rule: 'integration_direct_api',
        complexity: 'moderate',
        category: 'integration_task',
        confidence: 0.8,
        risk: 'low',
      },
    ],
    [
      'an integration that is no transfer, simple, without AI → direct_api code',
      { type: 'webhook_setup', description: 'Register a webhook' },
      {
        strategy: 'direct_api',
        rule: 'no_ai_simple_direct',
        complexity: 'simple',
        category: 'integration_task',
        confidence: 0.7,
        risk: 'medium',
      },
    ],
    [
      'a simple report without AI → direct_db',
      { type: 'show_sales_report', description: 'Show the sales report', dataVolume: 100 },
      { strategy: 'direct_db', rule: 'no_ai_simple_direct', complexity: 'simple', category: 'reporting', confidence: 0.7, risk: 'medium' },
    ],
    [
      'AI at moderate over 10K rows → multi_agent',
      { type: 'churn_overview', description: 'Churn overview', requiresAi: true, dataVolume: 20_000 },
      {
        strategy: 'multi_agent',
        rule: 'ai_volume_multi_agent',
        complexity: 'moderate',
        category: 'data_analysis',
        confidence: 0.7,
        risk: 'medium',
      },
    ],
    [
      'AI at exactly 10K rows → multi_agent',
      { type: 'get_customer_list', description: 'Fetch customer list', requiresAi: true, dataVolume: 10_000 },
      {
        strategy: 'multi_agent',
        rule: 'ai_volume_multi_agent',
        complexity: 'moderate',
        category: 'crud_operation',
        confidence: 0.7,
        risk: 'medium',
      },
    ],
    [
      'AI at simple → single_agent',
      { type: 'get_customer_list', description: 'Fetch customer list', requiresAi: true, dataVolume: 500 },
      {
        strategy: 'single_agent',
        rule: 'ai_simple_single_agent',
        complexity: 'simple',
        category: 'crud_operation',
        confidence: 0.75,
        risk: 'medium',
      },
    ],
    [
      'catalogue type without AI and no rule → its catalogue default',
      {
        type: 'dunning_plan',
        description: 'Plan dunning for failed payments',
        catalogue: { complexity: 'moderate', strategy: 'single_agent', requiresAi: false },
      },
      {
        strategy: 'single_agent',
        rule: 'catalogue_default',
        complexity: 'moderate',
        category: 'data_analysis',
        confidence: 0.9,
        risk: 'low',
      },
    ],
    [
      "the catalogue's requires_ai counts when the caller leaves it false",
      {
        type: 'lead_scoring',
        description: 'Score inbound leads',
        dataVolume: 300,
        catalogue: { complexity: 'moderate', strategy: 'single_agent', requiresAi: true },
      },
      {
        strategy: 'single_agent',
        rule: 'ai_moderate_single_agent',
        complexity: 'moderate',
        category: 'decision_making',
        confidence: 0.85,
        risk: 'low',
      },
    ],
    [
      'a catalogue CRUD type takes the CRUD rule',
      { type: 'get_task_list', description: 'List tasks', catalogue: { complexity: 'simple', strategy: 'direct_db', requiresAi: false } },
      { strategy: 'direct_db', rule: 'crud_direct_db', complexity: 'simple', category: 'crud_operation', confidence: 0.9, risk: 'low' },
    ],
  ])('%s', (_name, input, expected) => {
    expect(outcome(decideStrategy(input))).toEqual(expected);
  });
});
