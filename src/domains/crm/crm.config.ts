import { configSection } from '../../config/config-section.js';
import { type Env, httpUrl, int } from '../../config/env-parsers.js';
import type { CrmSyncConfig } from './sync/crm-sync.js';
import { CRM_SYNC_CONFIG } from './sync/crm-sync.task-type.js';

export function loadCrmSyncConfig(env: Env): CrmSyncConfig {
  return {
    url: httpUrl(env, 'CRM_SYNC_URL'),
    timeoutMs: int(env, 'CRM_SYNC_TIMEOUT_MS', 10_000, 100, 120_000),
    retries: int(env, 'CRM_SYNC_RETRIES', 3, 0, 10),
  };
}

/** The CRM module's section of the configuration tree: the contact sync's default upstream, timeout and retries. */
export const crmConfigSection = configSection(CRM_SYNC_CONFIG, loadCrmSyncConfig);
