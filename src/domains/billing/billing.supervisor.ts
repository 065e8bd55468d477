import { Injectable } from '@nestjs/common';
import type { AgentDefinition, ToolDefinition } from '../../agents/agent.types.js';
import { DomainSupervisor, type DomainSupervisorProvider } from '../../delegation/domain-supervisor.js';
import type { TaskTypeDefinition } from '../../delegation/task-type.js';
import { BILLING_AGENTS } from './billing.agents.js';

/** The billing domain's supervisor: its agents and task catalogue, discovered by the delegation registry. */
@Injectable()
@DomainSupervisor()
export class BillingSupervisor implements DomainSupervisorProvider {
  readonly domain = 'billing' as const;

  agents(): AgentDefinition[] {
    return BILLING_AGENTS;
  }

  tools(): ToolDefinition[] {
    return [];
  }

  /** The business operations of this domain are added with its tables (issue 7). */
  taskTypes(): TaskTypeDefinition[] {
    return [];
  }
}
