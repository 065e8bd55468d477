import { Injectable } from '@nestjs/common';
import type { AgentDefinition, ToolDefinition } from '../../agents/agent.types.js';
import { DomainSupervisor, type DomainSupervisorProvider } from '../../delegation/domain-supervisor.js';
import type { TaskTypeDefinition } from '../../delegation/task-type.js';
import { INTEGRATIONS_AGENTS } from './integrations.agents.js';

/** The integrations domain's supervisor: its agents and task catalogue, discovered by the delegation registry. */
@Injectable()
@DomainSupervisor()
export class IntegrationsSupervisor implements DomainSupervisorProvider {
  readonly domain = 'integrations' as const;

  agents(): AgentDefinition[] {
    return INTEGRATIONS_AGENTS;
  }

  tools(): ToolDefinition[] {
    return [];
  }

  /** The business operations of this domain are added with its tables (issue 7). */
  taskTypes(): TaskTypeDefinition[] {
    return [];
  }
}
