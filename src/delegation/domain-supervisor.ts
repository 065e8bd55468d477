import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { AgentDefinition, ToolDefinition } from '../agents/agent.types.js';
import type { Domain } from '../tasks/task.types.js';
import type { TaskTypeDefinition } from '../tasks/task-type.js';

/**
 * Marks a domain module's supervisor service. The global DelegationModule discovers every provider with
 * this decorator at start-up and registers its agents, tools and task catalogue — it never imports a domain.
 */
export const DomainSupervisor = DiscoveryService.createDecorator<void>();

/** A record an integration sync received for a domain: its upstream id and its fields as received. */
export interface ImportedRecord {
  externalId: string;
  data: Record<string, unknown>;
}

/**
 * How a domain takes the records an integration sync received for it into its own table, with the sync's
 * transaction (`manager`). The domain owns the mapping; integrations finds it in the registry by domain name.
 */
export interface RecordImporter {
  /** The table the records land in, keyed by (tenant_id, external_id). */
  readonly table: string;
  upsert(manager: EntityManager, tenantId: string, records: readonly ImportedRecord[]): Promise<void>;
}

export interface DomainSupervisorProvider {
  readonly domain: Domain;
  /**
   * The tenant-scoped business tables this domain owns (each with tenant_id), in its own order. Other domains
   * learn them from the registry (analytics counts them), never by name.
   */
  readonly tables: readonly string[];
  /** Present when integration syncs may import records into this domain. */
  readonly recordImporter?: RecordImporter;
  /** The domain supervisor, its two specialists and two workers. */
  agents(): AgentDefinition[];
  tools(): ToolDefinition[];
  taskTypes(): TaskTypeDefinition[];
}
