import { optionalStr, type Env } from '../../../config/env-parsers.js';

/**
 * Connections never store secrets: `auth_header_ref` names an environment variable that holds the header
 * value. So that one tenant cannot send another tenant's (or the service's own) secrets to a URL of its
 * choosing, a tenant may only name variables in its own namespace, INTEGRATION_<TENANT>__<NAME>, where
 * <TENANT> is the tenant id upper-cased with each run of other characters turned into one "_" (tenant
 * "acme-eu" → INTEGRATION_ACME_EU__HUBSPOT_TOKEN). The "__" separator cannot occur inside <TENANT>.
 */
export function tenantEnvKey(tenantId: string): string {
  return tenantId
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export function authRefPrefix(tenantId: string): string {
  return `INTEGRATION_${tenantEnvKey(tenantId)}__`;
}

/** Why `ref` is not this tenant's to use, or null when it is. */
export function authRefProblem(tenantId: string, ref: string): string | null {
  const prefix = authRefPrefix(tenantId);
  return ref.startsWith(prefix) && ref.length > prefix.length ? null : `auth_header_ref must start with ${prefix} for tenant ${tenantId}`;
}

export type AuthHeaders = { ok: true; headers: Record<string, string> } | { ok: false; reason: string };

/** The request headers for a connection, read from the environment at sync time. */
export function authHeaders(tenantId: string, ref: string | null, headerName: string, env: Env): AuthHeaders {
  if (!ref) return { ok: true, headers: {} };
  const problem = authRefProblem(tenantId, ref);
  if (problem) return { ok: false, reason: problem };
  const value = optionalStr(env, ref);
  if (value === undefined) return { ok: false, reason: `environment variable ${ref} (auth_header_ref) is not set on the service` };
  return { ok: true, headers: { [headerName]: value } };
}
