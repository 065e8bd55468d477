import { Inject, Injectable } from '@nestjs/common';
import type { AgentDefinition, ToolDefinition } from '../../agents/agent.types.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DomainRegistry } from '../../delegation/domain-registry.js';
import { DomainSupervisor, type DomainSupervisorProvider } from '../../delegation/domain-supervisor.js';
import type { TaskTypeDefinition } from '../../tasks/task-type.js';
import { tablesOf } from '../shared/entity-tables.js';
import { outboundRefusal } from '../shared/upstream-fetch.js';
import { INTEGRATIONS_ENTITIES } from './entities/integrations.entities.js';
import { IntegrationSync } from './sync/integration-sync.js';
import { INTEGRATIONS_AGENTS } from './integrations.agents.js';
import { INTEGRATIONS_CONFIG, type IntegrationsConfig } from './integrations.config.js';
import { integrationsTaskTypes } from './task-types/integrations.task-types.js';

/**
 * The integrations domain: connections to upstream APIs, syncs that stage their records in
 * integration_records (and hand them to the target domain's record importer, found in the registry), and
 * analyses of the sync-run history (failure rates, latency percentiles, error classes, retry and schedule advice).
 */
@Injectable()
@DomainSupervisor()
export class IntegrationsSupervisor implements DomainSupervisorProvider {
  readonly domain = 'integrations' as const;
  readonly tables = tablesOf(INTEGRATIONS_ENTITIES);
  private readonly sync: IntegrationSync;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(INTEGRATIONS_CONFIG) settings: IntegrationsConfig,
    registry: DomainRegistry,
  ) {
    this.sync = new IntegrationSync({
      allowPrivate: config.security.outboundAllowPrivate,
      retryBackoffMs: settings.retryBackoffMs,
      defaultMaxRetries: settings.maxRetries,
      env: settings.authSecrets,
      importerOf: (domain) => registry.recordImporter(domain),
    });
  }

  agents(): AgentDefinition[] {
    return INTEGRATIONS_AGENTS;
  }

  tools(): ToolDefinition[] {
    return [];
  }

  taskTypes(): TaskTypeDefinition[] {
    return integrationsTaskTypes((url) => outboundRefusal(url, this.config.security.outboundAllowPrivate), this.sync);
  }
}
