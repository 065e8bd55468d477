import { Injectable } from '@nestjs/common';
import type { AgentDefinition, ToolDefinition } from '../../agents/agent.types.js';
import { DomainSupervisor, type DomainSupervisorProvider } from '../../delegation/domain-supervisor.js';
import type { TaskTypeDefinition } from '../../delegation/task-type.js';
import { CMS_AGENTS } from './cms.agents.js';

/** The cms domain's supervisor: its agents and task catalogue, discovered by the delegation registry. */
@Injectable()
@DomainSupervisor()
export class CmsSupervisor implements DomainSupervisorProvider {
  readonly domain = 'cms' as const;

  agents(): AgentDefinition[] {
    return CMS_AGENTS;
  }

  tools(): ToolDefinition[] {
    return [];
  }

  /** The business operations of this domain are added with its tables (issue 7). */
  taskTypes(): TaskTypeDefinition[] {
    return [];
  }
}
