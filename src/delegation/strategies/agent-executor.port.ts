import type { AgentRunRequest, AgentRunResult } from '../../agents/agent.types.js';
import type { PlanRequest } from '../../agents/planner.js';

/** The agent runtime as the strategies see it (provided by the LLM layer when an LLM is configured). */
export interface AgentExecutorPort {
  run(request: AgentRunRequest): Promise<AgentRunResult>;
}

export const AGENT_EXECUTOR = Symbol('AGENT_EXECUTOR');

/** The supervisor's planner as the strategies see it (structured output restricted to existing agents). */
export interface AgentPlannerPort {
  plan(request: PlanRequest): Promise<{ subtasks: { id: string; agent_id: string; instructions: string; depends_on: string[] }[] }>;
}

export const AGENT_PLANNER = Symbol('AGENT_PLANNER');

/** The narrative an agent writes on top of computed numbers (it never supplies the numbers). */
export const NARRATIVE_SCHEMA = {
  type: 'object',
  required: ['summary'],
  additionalProperties: false,
  properties: {
    summary: { type: 'string', minLength: 1, maxLength: 4000 },
    highlights: { type: 'array', items: { type: 'string', maxLength: 1000 }, maxItems: 20 },
    recommendations: { type: 'array', items: { type: 'string', maxLength: 1000 }, maxItems: 20 },
  },
} as const;

/** The answer of a free-form task (a type outside the catalogue, run by a domain supervisor with its tools). */
export const FREE_FORM_SCHEMA = {
  type: 'object',
  required: ['summary'],
  additionalProperties: false,
  properties: {
    summary: { type: 'string', minLength: 1, maxLength: 8000 },
    findings: { type: 'array', items: { type: 'string', maxLength: 2000 }, maxItems: 50 },
    recommendations: { type: 'array', items: { type: 'string', maxLength: 2000 }, maxItems: 50 },
    data: { type: 'object' },
  },
} as const;
