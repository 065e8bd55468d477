import { loadSecuritySettings } from './auth/security-settings.js';
import type { Env } from './config/env-parsers.js';
import { loadBillingSyncConfig } from './domains/billing/sync/billing-sync.config.js';
import { loadCmsConfig } from './domains/cms/cms.config.js';
import { loadCrmSyncConfig } from './domains/crm/sync/crm-sync.js';
import { loadEcommerceSyncConfig } from './domains/ecommerce/sync/ecommerce-sync.config.js';
import { loadIntegrationsConfig } from './domains/integrations/integrations.config.js';
import { loadLlmRuntimeConfig } from './llm/llm-runtime.config.js';
import { loadMonitoringSettings } from './monitoring/monitoring-settings.js';

/**
 * The settings that modules read from the environment themselves (beyond AppConfig's DESIGN §13 variables),
 * validated together at boot so a bad value stops the service with one line (ConfigError) before anything starts.
 */
export function validateModuleSettings(env: Env): void {
  loadSecuritySettings(env);
  loadLlmRuntimeConfig(env);
  loadMonitoringSettings(env);
  loadCrmSyncConfig(env);
  loadEcommerceSyncConfig(env);
  loadBillingSyncConfig(env);
  loadCmsConfig(env);
  loadIntegrationsConfig(env);
}
