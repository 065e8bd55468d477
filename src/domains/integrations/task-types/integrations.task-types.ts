/** The integrations task catalogue: connection CRUD, the sync, and the sync-history analyses. */
import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
import { AI_STRATEGIES } from '../../shared/task-kit.js';
import { analyzeErrors, type ErrorAnalysis } from '../algorithms/error-analysis.js';
import { optimizeSyncs, type SyncOptimization } from '../algorithms/sync-optimization.js';
import { connectionTaskTypes, type UrlGuard } from './connection.task-types.js';
import { SyncAnalysisParams, SyncParams } from '../dto/integrations.params.js';
import type { IntegrationSync, SyncResult } from '../sync/integration-sync.js';
import { ERROR_ANALYSIS_SCHEMA, SYNC_OPTIMIZATION_SCHEMA, SYNC_RESULT_SCHEMA } from './integrations.schemas.js';
import { loadSyncHistory } from './sync-history.js';

const DEFAULT_WINDOW_DAYS = 30;

/** `guard` says why a base URL may not be called; `sync` runs integrations_sync. */
export function integrationsTaskTypes(guard: UrlGuard, sync: IntegrationSync): TaskTypeDefinition[] {
  const syncType: TaskTypeDefinition<SyncParams, SyncResult> = {
    type: 'integrations_sync',
    effect: 'update',
    domain: 'integrations',
    description:
      'Syncs a connection: GETs base_url + path (outbound guard, timeout, retries with backoff on timeouts/429/5xx), validates the whole payload (JSON records with id), stages the records in integration_records by (tenant, connection, external id) in one transaction, and records the run in sync_runs — failed runs too.',
    complexity: 'simple',
    strategy: 'direct_api',
    requiresAi: false,
    parameters: SyncParams,
    resultSchema: SYNC_RESULT_SCHEMA,
    run: async (context, p) => ({ aiMode: 'deterministic', result: await sync.run(context, p) }),
  };
  const analysis = { domain: 'integrations', complexity: 'moderate', strategy: 'single_agent', requiresAi: true } as const;
  const optimization: TaskTypeDefinition<SyncAnalysisParams, SyncOptimization> = {
    ...analysis,
    type: 'integrations_sync_optimization',
    description:
      'From the sync-run history: per connection latency p50/p95 (linear interpolation), records per run, change ratio, and timeout, schedule-interval and pagination advice.',
    supportedStrategies: [...AI_STRATEGIES],
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
    supportedStrategies: [...AI_STRATEGIES],
    agent: 'integrations_error_specialist',
    parameters: SyncAnalysisParams,
    resultSchema: ERROR_ANALYSIS_SCHEMA,
    run: async (context, p) => {
      const history = await loadSyncHistory(context.manager, context.tenantId, p.days ?? DEFAULT_WINDOW_DAYS, p.connection_id);
      return { aiMode: 'deterministic', result: analyzeErrors(history.runs, history.connections, history.windowDays) };
    },
  };
  return [...connectionTaskTypes(guard), syncType as unknown as TaskTypeDefinition, optimization, errors] as TaskTypeDefinition[];
}
