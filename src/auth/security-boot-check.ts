import type { AppConfig } from '../config/app-config.js';

/** Raised when the configuration would expose the service without authentication in production. */
export class InsecureConfigError extends Error {
  constructor() {
    super(
      'Refusing to start: ENVIRONMENT=production requires CREW_API_KEYS (a comma list of key:tenant or key:* entries, keys of at least 16 characters).',
    );
    this.name = 'InsecureConfigError';
  }
}

export const NO_API_KEYS_WARNING =
  'SECURITY WARNING: CREW_API_KEYS is not set, so every route is open to anyone who can reach this port and any caller can act for any tenant. ' +
  'Set CREW_API_KEYS before exposing the service (ENVIRONMENT=production refuses to start without it).';

/** Throws InsecureConfigError in production without API keys; answers the warning to log otherwise (or null). */
export function checkSecurityAtBoot(config: AppConfig): string | null {
  if (config.security.apiKeys.length > 0) return null;
  if (config.server.environment === 'production') throw new InsecureConfigError();
  return NO_API_KEYS_WARNING;
}
