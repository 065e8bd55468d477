import type { AgentDefinition } from '../agents/agent.types.js';

export const MASTER_SUPERVISOR_ID = 'master_business_supervisor';

export const MASTER_SUPERVISOR: AgentDefinition = {
  id: MASTER_SUPERVISOR_ID,
  name: 'Master Business Supervisor',
  tier: 'master',
  domain: null,
  role: 'Master Business Supervisor',
  goal: 'Turn a business request that spans domains into a plan for the domain supervisors, and merge their results into one answer.',
  backstory:
    'A chief operating officer who has run CRM, commerce, billing, content and analytics teams; delegates to the right domain, never does the domain work itself, and insists every number comes from a system of record.',
  tools: [],
  maxIterations: 6,
  reportsTo: null,
};

/** Builds a domain's five agents in one consistent shape. */
export function domainAgent(
  agent: Omit<AgentDefinition, 'maxIterations' | 'reportsTo'> & Partial<Pick<AgentDefinition, 'maxIterations' | 'reportsTo'>>,
): AgentDefinition {
  const reportsTo = agent.reportsTo ?? (agent.tier === 'supervisor' ? MASTER_SUPERVISOR_ID : `${agent.domain}_supervisor`);
  return { maxIterations: agent.tier === 'worker' ? 4 : 8, ...agent, reportsTo };
}
