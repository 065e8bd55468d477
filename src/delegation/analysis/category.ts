import type { Strategy } from '../../tasks/task.types.js';
import { matchWords, tokenize } from './complexity.js';

export const CATEGORIES = [
  'crud_operation',
  'data_analysis',
  'content_generation',
  'decision_making',
  'workflow_automation',
  'integration_task',
  'reporting',
  'optimization',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Whole-word rules, tried in this order; the first category with a word in type + description wins. The
 * order settles the usual overlaps: "export_report" is an integration, "generate_sales_report" a report
 * (not content), "content_optimization" an optimization, "lead_scoring" a decision, "target_market_analysis"
 * an analysis (never a "get").
 */
export const CATEGORY_RULES: readonly { category: Category; words: readonly string[] }[] = [
  {
    category: 'workflow_automation',
    words: [
      'workflow',
      'workflows',
      'orchestrate',
      'orchestrates',
      'orchestration',
      'automate',
      'automates',
      'automated',
      'automation',
      'coordinate',
      'coordinates',
      'coordination',
    ],
  },
  {
    category: 'integration_task',
    words: [
      'sync',
      'syncs',
      'syncing',
      'synchronize',
      'synchronise',
      'synchronization',
      'synchronisation',
      'import',
      'imports',
      'importing',
      'export',
      'exports',
      'exporting',
      'integrate',
      'integrates',
      'integrating',
      'integration',
      'integrations',
      'webhook',
      'webhooks',
      'connector',
      'connectors',
      'etl',
    ],
  },
  {
    category: 'optimization',
    words: ['optimize', 'optimizes', 'optimizing', 'optimise', 'optimises', 'optimising', 'optimization', 'optimisation', 'tune', 'tuning'],
  },
  {
    category: 'reporting',
    words: ['report', 'reports', 'reporting', 'dashboard', 'dashboards', 'kpi', 'kpis', 'summary', 'summarize', 'summarise', 'metrics'],
  },
  {
    category: 'content_generation',
    words: [
      'generate',
      'generates',
      'generating',
      'generation',
      'write',
      'writes',
      'writing',
      'draft',
      'drafts',
      'compose',
      'content',
      'copywriting',
      'newsletter',
      'blog',
      'article',
      'articles',
      'campaign',
      'campaigns',
    ],
  },
  {
    category: 'decision_making',
    words: [
      'recommend',
      'recommends',
      'recommendation',
      'recommendations',
      'decide',
      'decides',
      'decision',
      'decisions',
      'prioritize',
      'prioritise',
      'prioritization',
      'rank',
      'ranking',
      'approve',
      'approval',
      'choose',
      'score',
      'scores',
      'scoring',
    ],
  },
  {
    category: 'data_analysis',
    words: [
      'analyze',
      'analyzes',
      'analyzing',
      'analyse',
      'analyses',
      'analysing',
      'analysis',
      'analytics',
      'predict',
      'predicts',
      'prediction',
      'predictions',
      'predictive',
      'forecast',
      'forecasts',
      'forecasting',
      'segment',
      'segments',
      'segmenting',
      'segmentation',
      'cluster',
      'clusters',
      'clustering',
      'trend',
      'trends',
      'churn',
      'insight',
      'insights',
      'statistics',
      'anomaly',
      'anomalies',
    ],
  },
  {
    category: 'crud_operation',
    words: [
      'get',
      'gets',
      'list',
      'lists',
      'listing',
      'read',
      'reads',
      'fetch',
      'fetches',
      'retrieve',
      'retrieves',
      'show',
      'shows',
      'find',
      'search',
      'lookup',
      'query',
      'create',
      'creates',
      'add',
      'insert',
      'save',
      'update',
      'updates',
      'upsert',
      'delete',
      'deletes',
      'remove',
      'removes',
    ],
  },
];

/** Without a matching word: the catalogue default strategy says what kind of task it is. */
const CATEGORY_BY_STRATEGY: Readonly<Record<Strategy, Category>> = {
  direct_db: 'crud_operation',
  direct_api: 'integration_task',
  single_agent: 'data_analysis',
  multi_agent: 'data_analysis',
  crew_workflow: 'workflow_automation',
};

export interface CategoryInput {
  type: string;
  description: string;
  requiresAi?: boolean;
  /** The catalogue's default strategy when the type is in the catalogue. */
  catalogueStrategy?: Strategy;
}

export interface CategoryAnalysis {
  category: Category;
  /** The words that decided it; empty when it is a default. */
  words: string[];
  detail: string;
}

/**
 * Category with the words that decided it. Without a matching word: from the catalogue default strategy,
 * else data_analysis for an AI task and crud_operation for any other (the cheapest reading).
 */
export function classifyCategory(input: CategoryInput): CategoryAnalysis {
  const tokens = tokenize(`${input.type} ${input.description}`);
  for (const rule of CATEGORY_RULES) {
    const words = matchWords(tokens, rule.words);
    if (words.length > 0) return { category: rule.category, words, detail: `category ${rule.category} (${words.join(', ')})` };
  }
  if (input.catalogueStrategy) {
    const category = CATEGORY_BY_STRATEGY[input.catalogueStrategy];
    return { category, words: [], detail: `category ${category} (no category keyword; catalogue strategy ${input.catalogueStrategy})` };
  }
  const category: Category = input.requiresAi ? 'data_analysis' : 'crud_operation';
  const why = input.requiresAi ? 'an AI task' : 'a task without AI';
  return { category, words: [], detail: `category ${category} (no category keyword; default for ${why})` };
}

export function analyzeCategory(input: CategoryInput): Category {
  return classifyCategory(input).category;
}
