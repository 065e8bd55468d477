import { configSection } from '../config/config-section.js';
import { type Env, int, oneOf } from '../config/env-parsers.js';

export const LLM_RUNTIME_CONFIG = Symbol('LLM_RUNTIME_CONFIG');

export type BudgetExceededAction = 'refuse' | 'downgrade';

/** Settings of the agent runtime beyond AppConfig's llm and crew keys: the LLM module's section of the configuration tree. */
export interface LlmRuntimeConfig {
  /** Per-task cap on LLM calls (agents and planners together); a loop can never run away. */
  maxLlmCallsPerTask: number;
  /** What admission does when a tenant's daily budget would be exceeded. */
  budgetExceededAction: BudgetExceededAction;
  /** Window of the MAX_RPM limiter; 60 in production, small in tests. */
  rpmWindowS: number;
  /** Memories recalled into an agent's prompt. */
  memoryRecallLimit: number;
}

/** Parses MAX_LLM_CALLS_PER_TASK, BUDGET_EXCEEDED_ACTION, RPM_WINDOW_SECONDS and AGENT_MEMORY_RECALL. */
export function loadLlmRuntimeConfig(env: Env): LlmRuntimeConfig {
  return {
    maxLlmCallsPerTask: int(env, 'MAX_LLM_CALLS_PER_TASK', 50, 1, 10_000),
    budgetExceededAction: oneOf(env, 'BUDGET_EXCEEDED_ACTION', ['refuse', 'downgrade'] as const, 'refuse'),
    rpmWindowS: int(env, 'RPM_WINDOW_SECONDS', 60, 1, 3600),
    memoryRecallLimit: int(env, 'AGENT_MEMORY_RECALL', 5, 0, 50),
  };
}

export const llmConfigSection = configSection(LLM_RUNTIME_CONFIG, loadLlmRuntimeConfig);
