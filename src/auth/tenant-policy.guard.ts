import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { HttpArgumentsHost } from '@nestjs/common/interfaces/features/arguments-host.interface.js';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { domainEnabled, isDomainName, TenantSettingsService } from '../tenancy/tenant-settings.service.js';
import { TaskTypeRegistry } from '../delegation/task-type.registry.js';
import { API_PREFIX } from '../tasks/task-response.mapper.js';
import { ForbiddenProblem, RateLimitedProblem } from './auth.problems.js';
import { authContextOf } from './auth-context.js';
import { routeAccess } from './public.decorator.js';
import { requestTenant } from './tenant-claims.js';
import { TenantRateLimiter } from './tenant-rate-limiter.service.js';
import { requestIdOf } from '../common/request-context.js';

/**
 * Global guard after ApiKeyGuard: applies the tenant's plan — the per-tenant request rate limit (429 with
 * Retry-After) and its enabled domains (403) — to every non-public request that names a tenant.
 */
@Injectable()
export class TenantPolicyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: TenantRateLimiter,
    private readonly tenantSettings: TenantSettingsService,
    private readonly registry: TaskTypeRegistry,
  ) {}

  /** Synchronous when there is nothing to check (public routes, no tenant): Nest then skips an await. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    // Public routes and operator routes (service key only) are not tenant traffic.
    const access = routeAccess(this.reflector, context);
    if (access.isPublic || access.serviceKeyOnly) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const auth = authContextOf(request);
    const tenantId = auth?.kind === 'tenant' ? auth.tenantId : requestTenant(request);
    if (tenantId === undefined) return true;
    return this.applyPlan(http, request, tenantId);
  }

  private async applyPlan(http: HttpArgumentsHost, request: Request, tenantId: string): Promise<boolean> {
    const settings = await this.tenantSettings.get(tenantId);

    const decision = await this.limiter.consume(tenantId, this.limiter.limitFor(settings), requestIdOf(request));
    if (!decision.allowed) throw new RateLimitedProblem(tenantId, decision.limit, decision.retryAfterS);
    if (decision.limit !== null) {
      const response = http.getResponse<Response>();
      response.setHeader('X-RateLimit-Limit', String(decision.limit));
      response.setHeader('X-RateLimit-Remaining', String(decision.remaining));
    }

    const domain = this.requestDomain(request);
    if (domain !== undefined && !domainEnabled(settings, domain)) {
      throw new ForbiddenProblem(
        `Domain ${domain} is not enabled for tenant ${tenantId} (enabled features: ${settings?.enabledFeatures.join(', ')}).`,
        {
          domain,
        },
      );
    }
    return true;
  }

  /** The business domain a request addresses: its path (/api/crew/<domain>/…), body `domain`, or its task type's domain. */
  private requestDomain(request: Request): string | undefined {
    const path = request.path.startsWith(`${API_PREFIX}/`) ? request.path.slice(API_PREFIX.length + 1) : '';
    const first = path.split('/')[0];
    const body: unknown = request.body;
    const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const candidates = [first, fields.domain, typeof fields.type === 'string' ? this.registry.get(fields.type)?.domain : undefined];
    return candidates.find((candidate): candidate is string => typeof candidate === 'string' && isDomainName(candidate));
  }
}
