import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiKeyRing, presentedKey } from './api-key-ring.js';
import { setAuthContext } from './auth-context.js';
import { ForbiddenProblem, UnauthorizedProblem } from './auth.problems.js';
import { routeAccess } from './public.decorator.js';
import { claimedTenants } from './tenant-claims.js';

export const API_KEY_RING = Symbol('API_KEY_RING');

/**
 * Global guard: every route needs a key from CREW_API_KEYS unless marked @Public(). A tenant key acts
 * only for its tenant (naming another is a 403) and, when the request names none, the tenant is set
 * from the key. A service key (`key:*`) names the tenant in X-Tenant-ID. Keys are never logged.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_RING) private readonly ring: ApiKeyRing,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const access = routeAccess(this.reflector, context);
    if (access.isPublic) return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!this.ring.enabled) {
      setAuthContext(request, { kind: 'open' });
      return true;
    }
    const key = presentedKey(request.header('authorization'), request.header('x-api-key'));
    if (key === undefined) {
      throw new UnauthorizedProblem('An API key is required: send Authorization: Bearer <key> or X-API-Key: <key>.');
    }
    const principal = this.ring.match(key);
    if (!principal) throw new UnauthorizedProblem('The API key is not valid.');
    if (principal.kind === 'service') {
      setAuthContext(request, principal);
      return true;
    }
    if (access.serviceKeyOnly) {
      throw new ForbiddenProblem('This route needs a service key (key:* in CREW_API_KEYS); a tenant key cannot call it.');
    }
    const other = claimedTenants(request).find((claim) => claim !== principal.tenantId);
    if (other !== undefined) {
      throw new ForbiddenProblem(`This API key acts for tenant ${principal.tenantId}; it cannot act for tenant ${other}.`, {
        tenant_id: other,
      });
    }
    // The existing tenant resolution (header or body) then picks the key's tenant up.
    if (!request.header('x-tenant-id')?.trim()) request.headers['x-tenant-id'] = principal.tenantId;
    setAuthContext(request, principal);
    return true;
  }
}
