import type { AgentRunRequest, AgentRunResult } from '../../agents/agent.types.js';

/** The agent runtime as the strategies see it (provided by the LLM layer when an LLM is configured). */
export interface AgentExecutorPort {
  run(request: AgentRunRequest): Promise<AgentRunResult>;
}

export const AGENT_EXECUTOR = Symbol('AGENT_EXECUTOR');

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
