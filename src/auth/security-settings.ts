import { configSection } from '../config/config-section.js';
import { type Env, int } from '../config/env-parsers.js';

export const SECURITY_SETTINGS = Symbol('SECURITY_SETTINGS');

/** The auth module's section of the configuration tree (beyond AppConfig's security keys). */
export interface SecuritySettings {
  /** Requests per minute per tenant when the Brain has not synced a limit for it; 0 turns the limit off. */
  tenantRateLimitPerMinute: number;
}

export function loadSecuritySettings(env: Env): SecuritySettings {
  return { tenantRateLimitPerMinute: int(env, 'TENANT_RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000) };
}

export const securityConfigSection = configSection(SECURITY_SETTINGS, loadSecuritySettings);
