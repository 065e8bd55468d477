import { describe, expect, it } from 'vitest';
import { analyzeCategory, CATEGORIES, CATEGORY_RULES, classifyCategory, type CategoryAnalysis, type CategoryInput } from './category.js';

describe('classifyCategory', () => {
  it.each<[CategoryInput, CategoryAnalysis]>([
    [
      { type: 'get_customer_list', description: 'Fetch customer list' },
      { category: 'crud_operation', words: ['get', 'list', 'fetch'], detail: 'category crud_operation (get, list, fetch)' },
    ],
    [
      { type: 'target_market_analysis', description: 'Analyze the target market' },
      { category: 'data_analysis', words: ['analysis', 'analyze'], detail: 'category data_analysis (analysis, analyze)' },
    ],
    [
      { type: 'analyze_customer_churn', description: 'Predict customer churn risk' },
      { category: 'data_analysis', words: ['analyze', 'churn', 'predict'], detail: 'category data_analysis (analyze, churn, predict)' },
    ],
    [
      { type: 'sync_crm_contacts', description: 'Sync contacts from the CRM' },
      { category: 'integration_task', words: ['sync'], detail: 'category integration_task (sync)' },
    ],
    [
      { type: 'export_sales_report', description: 'Export the monthly report to the warehouse' },
      { category: 'integration_task', words: ['export'], detail: 'category integration_task (export)' },
    ],
    [
      { type: 'generate_sales_report', description: 'Generate the monthly sales report' },
      { category: 'reporting', words: ['report'], detail: 'category reporting (report)' },
    ],
    [
      { type: 'content_optimization', description: 'Optimize blog content for SEO' },
      { category: 'optimization', words: ['optimization', 'optimize'], detail: 'category optimization (optimization, optimize)' },
    ],
    [
      { type: 'generate_product_description', description: 'Write copy for a product' },
      { category: 'content_generation', words: ['generate', 'write'], detail: 'category content_generation (generate, write)' },
    ],
    [
      { type: 'create_nurturing_campaign', description: 'Plan emails for warm leads' },
      { category: 'content_generation', words: ['campaign'], detail: 'category content_generation (campaign)' },
    ],
    [
      { type: 'lead_scoring', description: 'Score inbound leads' },
      { category: 'decision_making', words: ['scoring', 'score'], detail: 'category decision_making (scoring, score)' },
    ],
    [
      { type: 'product_recommendations', description: 'Recommend products to a shopper' },
      {
        category: 'decision_making',
        words: ['recommendations', 'recommend'],
        detail: 'category decision_making (recommendations, recommend)',
      },
    ],
    [
      { type: 'customer_segmentation', description: 'Segment customers by purchase behaviour' },
      { category: 'data_analysis', words: ['segmentation', 'segment'], detail: 'category data_analysis (segmentation, segment)' },
    ],
    [
      { type: 'onboarding_workflow', description: 'Coordinate the onboarding steps' },
      { category: 'workflow_automation', words: ['workflow', 'coordinate'], detail: 'category workflow_automation (workflow, coordinate)' },
    ],
    [
      { type: 'target_budget_widget', description: 'Targeting for the gadget budget', requiresAi: true },
      { category: 'data_analysis', words: [], detail: 'category data_analysis (no category keyword; default for an AI task)' },
    ],
    [
      { type: 'target_budget_widget', description: 'Targeting for the gadget budget' },
      { category: 'crud_operation', words: [], detail: 'category crud_operation (no category keyword; default for a task without AI)' },
    ],
    [
      { type: 'dunning_plan', description: 'Plan dunning for failed payments', catalogueStrategy: 'single_agent' },
      { category: 'data_analysis', words: [], detail: 'category data_analysis (no category keyword; catalogue strategy single_agent)' },
    ],
    [
      { type: 'seo_audit', description: 'Audit a page', catalogueStrategy: 'direct_api' },
      { category: 'integration_task', words: [], detail: 'category integration_task (no category keyword; catalogue strategy direct_api)' },
    ],
    [
      { type: 'master_plan', description: 'Plan across domains', catalogueStrategy: 'crew_workflow' },
      {
        category: 'workflow_automation',
        words: [],
        detail: 'category workflow_automation (no category keyword; catalogue strategy crew_workflow)',
      },
    ],
  ])('%j', (input, expected) => {
    expect(classifyCategory(input)).toEqual(expected);
  });

  it('has a rule for every category', () => {
    expect(CATEGORY_RULES.map((rule) => rule.category).sort()).toEqual([...CATEGORIES].sort());
  });
});

describe('analyzeCategory', () => {
  it.each([
    ['get_customer_list', 'crud_operation'],
    ['target_market_analysis', 'data_analysis'],
    ['budget_widget_report', 'reporting'],
    ['pipeline_optimization', 'optimization'],
  ])('%s → %s', (type, category) => {
    expect(analyzeCategory({ type, description: '' })).toBe(category);
  });
});
