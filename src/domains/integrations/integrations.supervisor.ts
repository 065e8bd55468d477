import { Inject, Injectable } from '@nestjs/common';
import type { AgentDefinition, ToolDefinition } from '../../agents/agent.types.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DomainSupervisor, type DomainSupervisorProvider } from '../../delegation/domain-supervisor.js';
import type { TaskTypeDefinition } from '../../tasks/task-type.js';
import { outboundRefusal } from '../shared/upstream-fetch.js';
import { analyzeErrors, type ErrorAnalysis } from './analysis/error-analysis.js';
import { optimizeSyncs, type SyncOptimization } from './analysis/sync-optimization.js';
import { connectionTaskTypes, type UrlGuard } from './connection.task-types.js';
import { SyncAnalysisParams, SyncParams } from './dto/integrations.params.js';
import { IntegrationSync, type SyncResult } from './integration-sync.js';
import { INTEGRATIONS_AGENTS } from './integrations.agents.js';
import { INTEGRATIONS_CONFIG, type IntegrationsConfig } from './integrations.config.js';
import { ERROR_ANALYSIS_SCHEMA, SYNC_OPTIMIZATION_SCHEMA, SYNC_RESULT_SCHEMA } from './integrations.schemas.js';
import { loadSyncHistory } from './sync-history.js';
import { tablesOf } from '../shared/entity-tables.js';
import { INTEGRATIONS_ENTITIES } from './entities/integrations.entities.js';

const DEFAULT_WINDOW_DAYS = 30;

/**
 * The integrations domain: connections to upstream APIs, syncs that stage their records in
 * integration_records (this module never writes another domain's tables), and analyses of the sync-run
 * history (failure rates, latency percentiles, error classes, retry and schedule advice).
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
  ) {
    this.sync = new IntegrationSync({
      allowPrivate: config.security.outboundAllowPrivate,
      retryBackoffMs: settings.retryBackoffMs,
      defaultMaxRetries: settings.maxRetries,
      env: settings.authSecrets,
    });
  }

  agents(): AgentDefinition[] {
    return INTEGRATIONS_AGENTS;
  }

  tools(): ToolDefinition[] {
    return [];
  }

  private readonly guard: UrlGuard = (url) => outboundRefusal(url, this.config.security.outboundAllowPrivate);

  taskTypes(): TaskTypeDefinition[] {
    const sync: TaskTypeDefinition<SyncParams, SyncResult> = {
      type: 'integrations_sync',
      domain: 'integrations',
      description:
        'Syncs a connection: GETs base_url + path (outbound guard, timeout, retries with backoff on timeouts/429/5xx), validates the whole payload (JSON records with id), stages the records in integration_records by (tenant, connection, external id) in one transaction, and records the run in sync_runs — failed runs too.',
      complexity: 'simple',
      strategy: 'direct_api',
      requiresAi: false,
      parameters: SyncParams,
      resultSchema: SYNC_RESULT_SCHEMA,
      run: async (context, p) => ({ aiMode: 'deterministic', result: await this.sync.run(context, p) }),
    };
    const analysis = { domain: 'integrations', complexity: 'moderate', strategy: 'single_agent', requiresAi: true } as const;
    const supported = ['single_agent', 'multi_agent', 'crew_workflow'] as const;
    const optimization: TaskTypeDefinition<SyncAnalysisParams, SyncOptimization> = {
      ...analysis,
      type: 'integrations_sync_optimization',
      description:
        'From the sync-run history: per connection latency p50/p95 (linear interpolation), records per run, change ratio, and timeout, schedule-interval and pagination advice.',
      supportedStrategies: [...supported],
      agent: 'integrations_sync_specialist',
      parameters: SyncAnalysisParams,
      resultSchema: SYNC_OPTIMIZATION_SCHEMA,
      run: async (context, p) => {
        const history = await loadSyncHistory(context.manager, context.tenantId, p.days ?? DEFAULT_WINDOW_DAYS, p.connection_id);
        return { aiMode: 'deterministic', result: optimizeSyncs(history.runs, history.connections, history.windowDays) };
      },
    };
    const errors: TaskTypeDefinition<SyncAnalysisParams, ErrorAnalysis> = {
      ...analysis,
      type: 'integrations_error_analysis',
      description:
        'From the sync-run history: failure rate overall and per connection, latency p50/p95, error classes (timeout, 4xx, 429, 5xx, malformed, network, config), failures clustered by UTC hour, and retry/schedule advice.',
      supportedStrategies: [...supported],
      agent: 'integrations_error_specialist',
      parameters: SyncAnalysisParams,
      resultSchema: ERROR_ANALYSIS_SCHEMA,
      run: async (context, p) => {
        const history = await loadSyncHistory(context.manager, context.tenantId, p.days ?? DEFAULT_WINDOW_DAYS, p.connection_id);
        return { aiMode: 'deterministic', result: analyzeErrors(history.runs, history.connections, history.windowDays) };
      },
    };
    return [...connectionTaskTypes(this.guard), sync as unknown as TaskTypeDefinition, optimization, errors] as TaskTypeDefinition[];
  }
}
