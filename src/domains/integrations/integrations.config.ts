import { configSection } from '../../config/config-section.js';
import { type Env, int } from '../../config/env-parsers.js';

/** Settings of the integrations domain, its section of the configuration tree (a bad value stops the boot naming the variable). */
export interface IntegrationsConfig {
  /** First retry delay of a sync; doubles per retry. INTEGRATIONS_RETRY_BACKOFF_MS, default 500. */
  retryBackoffMs: number;
  /** Retries after the first attempt when a sync does not give max_retries. INTEGRATIONS_MAX_RETRIES, default 2. */
  maxRetries: number;
  /**
   * The auth header values operators set as INTEGRATION_<TENANT>__<NAME> (auth-header.ts), taken from the
   * environment at boot. Only INTEGRATION_* is kept, so a connection's auth_header_ref can never reach any other
   * variable of the service (which tenant may use which name is auth-header.ts's check, at sync time).
   */
  authSecrets: Env;
}

export const INTEGRATIONS_CONFIG = Symbol('INTEGRATIONS_CONFIG');

const SECRET_PREFIX = 'INTEGRATION_';

function authSecrets(env: Env): Env {
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && name.startsWith(SECRET_PREFIX)) secrets[name] = value;
  }
  return Object.freeze(secrets);
}

export function loadIntegrationsConfig(env: Env): IntegrationsConfig {
  return {
    retryBackoffMs: int(env, 'INTEGRATIONS_RETRY_BACKOFF_MS', 500, 0, 60_000),
    maxRetries: int(env, 'INTEGRATIONS_MAX_RETRIES', 2, 0, 5),
    authSecrets: authSecrets(env),
  };
}

export const integrationsConfigSection = configSection(INTEGRATIONS_CONFIG, loadIntegrationsConfig);
