import type { Request } from 'express';
import { TENANT_ID_PATTERN } from '../common/tenant.js';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Every tenant a request names: the X-Tenant-ID header, a body or query `tenant_id`, a `:tenant_id` path parameter. */
export function claimedTenants(request: Request): string[] {
  const body: unknown = request.body;
  const query = request.query as Record<string, unknown> | undefined;
  const params = request.params as Record<string, unknown> | undefined;
  const claims = [
    text(request.headers['x-tenant-id']),
    typeof body === 'object' && body !== null && !Array.isArray(body) ? text((body as Record<string, unknown>).tenant_id) : undefined,
    text(query?.tenant_id),
    text(params?.tenant_id),
  ];
  return [...new Set(claims.filter((claim): claim is string => claim !== undefined))];
}

/** The tenant a request acts for, when it names one validly (invalid names are answered 422 later by the route). */
export function requestTenant(request: Request): string | undefined {
  return claimedTenants(request).find((claim) => TENANT_ID_PATTERN.test(claim));
}
