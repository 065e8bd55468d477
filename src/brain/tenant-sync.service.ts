import { Inject, Injectable } from '@nestjs/common';
import { NotFoundProblem, ProblemException, ValidationProblem } from '../common/problem.js';
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from '../common/tenant.js';
import { SECURITY_SETTINGS, type SecuritySettings } from '../auth/security-settings.js';
import { BrainClient, BrainUnreachableError } from './brain.client.js';
import type { TenantSettingsResponseDto } from './dto/brain-responses.dto.js';
import { parseTenantData, TenantDataError, unwrapTenantData } from '../tenancy/tenant-data.js';
import { type TenantSettings, TenantSettingsService } from '../tenancy/tenant-settings.service.js';

/** The Brain API failed us: unreachable, an error status, or data that cannot be used. */
export class BrainGatewayProblem extends ProblemException {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(502, 'brain-unavailable', 'Bad Gateway', detail, extra);
  }
}

export function tenantDataPath(tenantId: string): string {
  return `/api/brain/tenants/${encodeURIComponent(tenantId)}/data`;
}

/** POST /brain/sync-tenant/{tenant_id}: fetches the tenant's plan from the Brain and stores it in tenant_settings. */
@Injectable()
export class TenantSyncService {
  constructor(
    private readonly brain: BrainClient,
    private readonly tenantSettings: TenantSettingsService,
    @Inject(SECURITY_SETTINGS) private readonly security: SecuritySettings,
  ) {}

  async sync(tenantId: string): Promise<TenantSettingsResponseDto> {
    if (!TENANT_ID_PATTERN.test(tenantId)) throw new ValidationProblem([{ field: 'tenant_id', message: `must be ${TENANT_ID_RULE}` }]);
    const path = tenantDataPath(tenantId);
    let response;
    try {
      response = await this.brain.call(path);
    } catch (error) {
      if (error instanceof BrainUnreachableError) {
        throw new BrainGatewayProblem(`${error.message}. Check BRAIN_API_URL and that the Brain API is running.`);
      }
      throw error;
    }
    if (response.status === 404) throw new NotFoundProblem(`The Brain API knows no tenant ${tenantId} (GET ${path} answered 404).`);
    if (response.status < 200 || response.status >= 300) {
      const hint = response.status === 401 || response.status === 403 ? ' Check BRAIN_API_TOKEN.' : '';
      throw new BrainGatewayProblem(`The Brain API answered ${response.status} to GET ${path}.${hint}`, {
        brain_http_status: response.status,
      });
    }
    let plan;
    try {
      const data = unwrapTenantData(response.body);
      const reported = data.tenant_id ?? data.id;
      if (reported !== undefined && reported !== tenantId) {
        throw new TenantDataError('tenant_id', `is ${JSON.stringify(reported)}, not the requested tenant ${tenantId}`);
      }
      plan = parseTenantData(response.body);
    } catch (error) {
      if (error instanceof TenantDataError) {
        throw new BrainGatewayProblem(`The Brain API's data for tenant ${tenantId} cannot be used: ${error.message}.`, {
          field: error.field,
        });
      }
      throw error;
    }
    const source = typeof response.body === 'object' && response.body !== null ? (response.body as Record<string, unknown>) : {};
    return this.toDto(await this.tenantSettings.save(tenantId, plan, source));
  }

  private toDto(settings: TenantSettings): TenantSettingsResponseDto {
    const effective = settings.requestsPerMinute ?? this.security.tenantRateLimitPerMinute;
    return {
      tenant_id: settings.tenantId,
      subscription_tier: settings.subscriptionTier,
      enabled_features: settings.enabledFeatures,
      api_limits: settings.apiLimits,
      requests_per_minute: settings.requestsPerMinute,
      effective_requests_per_minute: effective > 0 ? effective : null,
      daily_budget_usd: settings.dailyBudgetUsd,
      over_budget_action: settings.overBudgetAction,
      synced_at: settings.syncedAt.toISOString(),
    };
  }
}
