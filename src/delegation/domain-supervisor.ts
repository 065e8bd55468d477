import { DiscoveryService } from '@nestjs/core';
import type { AgentDefinition, ToolDefinition } from '../agents/agent.types.js';
import type { Domain } from '../tasks/task.types.js';
import type { TaskTypeDefinition } from '../tasks/task-type.js';

/**
 * Marks a domain module's supervisor service. The global DelegationModule discovers every provider with
 * this decorator at start-up and registers its agents, tools and task catalogue — it never imports a domain.
 */
export const DomainSupervisor = DiscoveryService.createDecorator<void>();

export interface DomainSupervisorProvider {
  readonly domain: Domain;
  /**
   * The tenant-scoped business tables this domain owns (each with tenant_id), in its own order. Other domains
   * learn them from the registry (analytics counts them), never by name.
   */
  readonly tables: readonly string[];
  /** The domain supervisor, its two specialists and two workers. */
  agents(): AgentDefinition[];
  tools(): ToolDefinition[];
  taskTypes(): TaskTypeDefinition[];
}
