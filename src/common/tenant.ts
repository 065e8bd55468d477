import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ValidationProblem } from './problem.js';

export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
export const TENANT_ID_RULE = '1–100 characters: letters, digits, _ . : - (starting with a letter or digit)';

/**
 * Resolves the tenant of a request: the `X-Tenant-ID` header, or a `tenant_id` in the body/query.
 * When both are given they must agree.
 */
export function resolveTenant(headerValue: string | undefined, bodyValue: unknown): string {
  const header = headerValue?.trim() || undefined;
  const body = typeof bodyValue === 'string' ? bodyValue.trim() || undefined : undefined;
  if (header && !TENANT_ID_PATTERN.test(header)) {
    throw new ValidationProblem([{ field: 'X-Tenant-ID', message: `must be ${TENANT_ID_RULE}` }]);
  }
  if (header && body && header !== body) {
    throw new ValidationProblem([{ field: 'tenant_id', message: 'does not match the X-Tenant-ID header' }]);
  }
  const tenant = header ?? body;
  if (!tenant) {
    throw new ValidationProblem([{ field: 'tenant_id', message: 'is required (in the body as tenant_id or in the X-Tenant-ID header)' }]);
  }
  return tenant;
}

/** The tenant of a request without a body: header `X-Tenant-ID` or query `tenant_id`. */
export function tenantOfRequest(_data: unknown, context: ExecutionContext): string {
  const request = context.switchToHttp().getRequest<Request>();
  const query = request.query.tenant_id;
  return resolveTenant(request.header('x-tenant-id'), typeof query === 'string' ? query : undefined);
}

/** `@Tenant()` for routes without a body (the OpenAPI document declares X-Tenant-ID on every route that uses it). */
export const Tenant = createParamDecorator(tenantOfRequest);
