import { Injectable } from '@nestjs/common';
import type { AgentDefinition, ToolDefinition } from '../../agents/agent.types.js';
import { DomainRegistry } from '../../delegation/domain-registry.js';
import { DomainSupervisor, type DomainSupervisorProvider } from '../../delegation/domain-supervisor.js';
import type { TaskTypeDefinition } from '../../tasks/task-type.js';
import { ANALYTICS_AGENTS } from './analytics.agents.js';
import { analyticsTaskTypes } from './task-types/analytics.task-types.js';

/** The analytics domain: KPI snapshot across the domains, metric insights, activity trends and the multi-agent report. */
@Injectable()
@DomainSupervisor()
export class AnalyticsSupervisor implements DomainSupervisorProvider {
  readonly domain = 'analytics' as const;
  /** Analytics owns no tables: it reads the other domains' declared tables through the registry. */
  readonly tables: readonly string[] = [];

  constructor(private readonly registry: DomainRegistry) {}

  agents(): AgentDefinition[] {
    return ANALYTICS_AGENTS;
  }

  tools(): ToolDefinition[] {
    return [];
  }

  taskTypes(): TaskTypeDefinition[] {
    return analyticsTaskTypes(() => this.registry.tablesByDomain());
  }
}
