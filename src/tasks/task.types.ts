export const TASK_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled', 'timed_out'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const FINAL_STATUSES: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'cancelled', 'timed_out']);

export const DOMAINS = ['crm', 'ecommerce', 'analytics', 'billing', 'cms', 'integrations'] as const;
export type Domain = (typeof DOMAINS)[number];

export const STRATEGIES = ['direct_db', 'direct_api', 'single_agent', 'multi_agent', 'crew_workflow'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const DIRECT_STRATEGIES: ReadonlySet<Strategy> = new Set(['direct_db', 'direct_api']);

export const COMPLEXITIES = ['simple', 'moderate', 'complex', 'expert'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

export type AiMode = 'llm' | 'deterministic';

export interface Decision {
  complexity: Complexity;
  category: string;
  strategy: Strategy;
  confidence: number;
  reasoning: string;
  estimatedCost: number;
  estimatedTime: number;
  risk: 'low' | 'medium' | 'high';
  rule: string;
  /** Set when the tenant's daily budget was exceeded and its settings say downgrade: agents run deterministically. */
  budgetAction?: 'downgrade';
}

export const STEP_KINDS = ['llm', 'tool', 'delegate', 'direct', 'wait'] as const;
export type StepKind = (typeof STEP_KINDS)[number];
export type StepStatus = 'running' | 'completed' | 'failed' | 'degraded' | 'cancelled' | 'abandoned';
