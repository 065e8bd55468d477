import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { authContextOf } from '../auth/auth-context.js';
import { requestTenant } from '../auth/tenant-claims.js';
import { DEMO_TENANT, LOAD_DEMO_DATA } from './demo.constants.js';
import { refuseOtherTenant } from './load-demo-data.task.js';

/**
 * Refuses a request to run `load_demo_data` for any tenant but the demo tenant with a 422 naming the field that
 * named the tenant, before a task is created (a task type's own checks see its parameters, not its tenant).
 * Runs after the authentication guards; every other request passes on one property check.
 */
@Injectable()
export class DemoTenantGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const body: unknown = request.body;
    if (typeof body !== 'object' || body === null || (body as { type?: unknown }).type !== LOAD_DEMO_DATA) return true;
    const auth = authContextOf(request);
    const tenantId = auth?.kind === 'tenant' ? auth.tenantId : requestTenant(request);
    // No tenant (or an invalid one): the route answers that itself.
    if (tenantId === undefined || tenantId === DEMO_TENANT) return true;
    const inBody = typeof (body as { tenant_id?: unknown }).tenant_id === 'string';
    const field = !inBody && request.headers['x-tenant-id'] !== undefined ? 'X-Tenant-ID' : 'tenant_id';
    throw refuseOtherTenant(tenantId, field);
  }
}
