import { type Env, int } from '../../config/env-parsers.js';

/** Settings of the integrations domain, read once at start-up (a bad value stops the boot naming the variable). */
export interface IntegrationsConfig {
  /** First retry delay of a sync; doubles per retry. INTEGRATIONS_RETRY_BACKOFF_MS, default 500. */
  retryBackoffMs: number;
  /** Retries after the first attempt when a sync does not give max_retries. INTEGRATIONS_MAX_RETRIES, default 2. */
  maxRetries: number;
}

export const INTEGRATIONS_CONFIG = Symbol('INTEGRATIONS_CONFIG');

export function loadIntegrationsConfig(env: Env): IntegrationsConfig {
  return {
    retryBackoffMs: int(env, 'INTEGRATIONS_RETRY_BACKOFF_MS', 500, 0, 60_000),
    maxRetries: int(env, 'INTEGRATIONS_MAX_RETRIES', 2, 0, 5),
  };
}
