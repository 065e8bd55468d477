import type { TaskTypeDefinition } from '../../tasks/task-type.js';
import type { AgentRegistry } from '../agent-registry.js';
import { type AgentExecutorPort, FREE_FORM_SCHEMA } from './agent-executor.port.js';

/** A type outside the catalogue, run by `domain`'s supervisor with every tool of its domain (LLM only). */
export function freeFormType(type: string, domain: string, agents: AgentRegistry, executor: AgentExecutorPort): TaskTypeDefinition {
  const supervisor = agents.agent(`${domain}_supervisor`);
  // The supervisor may use every tool of its domain for work the catalogue does not describe.
  const domainAgents = agents.all().filter((agent) => agent.domain === domain);
  const tools = [...new Set(domainAgents.flatMap((agent) => agent.tools))];
  const agent = { ...supervisor, tools };
  return {
    type,
    domain: domain as TaskTypeDefinition['domain'],
    description: `Free-form task run by ${supervisor.name}`,
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: ['single_agent'],
    requiresAi: true,
    freeForm: true,
    agent: supervisor.id,
    parameters: Object,
    resultSchema: FREE_FORM_SCHEMA,
    run: async (context, parameters) => {
      const run = await executor.run({
        agent,
        instructions: context.description,
        input: parameters,
        tools: agents.toolsOf(agent),
        resultSchema: FREE_FORM_SCHEMA,
        deterministic: () => Promise.reject(new Error(`${type} is not in the catalogue and has no deterministic handler`)),
        context,
      });
      if (run.degraded) throw new Error(run.degradedReason ?? 'the model did not produce a valid answer');
      return { result: run.output, aiMode: run.aiMode, agentsUsed: [supervisor.id] };
    },
  };
}
