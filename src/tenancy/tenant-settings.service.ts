import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryDeepPartialEntity } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DOMAINS } from '../tasks/task.types.js';
import type { TenantPlan } from './tenant-data.js';
import { TenantSettingsEntity } from './tenant-settings.entity.js';

export interface TenantSettings extends TenantPlan {
  tenantId: string;
  syncedAt: Date;
}

const CACHE_TTL_MS = 15_000;
const CACHE_MAX_ENTRIES = 10_000;
const DOMAIN_NAMES: ReadonlySet<string> = new Set(DOMAINS);

function toSettings(entity: TenantSettingsEntity): TenantSettings {
  return {
    tenantId: entity.tenantId,
    subscriptionTier: entity.subscriptionTier,
    enabledFeatures: entity.enabledFeatures,
    apiLimits: entity.apiLimits,
    requestsPerMinute: entity.requestsPerMinute,
    dailyBudgetUsd: entity.dailyBudgetUsd,
    overBudgetAction: entity.overBudgetAction,
    syncedAt: entity.syncedAt,
  };
}

export function isDomainName(value: string): boolean {
  return DOMAIN_NAMES.has(value);
}

/**
 * A domain is open to a tenant unless its enabled features name domains and this one is not among them
 * (feature lists without domain names restrict nothing here).
 */
export function domainEnabled(settings: Pick<TenantSettings, 'enabledFeatures'> | null, domain: string): boolean {
  if (!settings || !DOMAIN_NAMES.has(domain)) return true;
  const named = settings.enabledFeatures.filter((feature) => DOMAIN_NAMES.has(feature));
  return named.length === 0 || named.includes(domain);
}

/**
 * Tenant plans synced from the Brain (tenant_settings): the request rate limit, the daily LLM budget and
 * enabled features. Reads are cached for 15 s per instance; a sync in this instance takes effect at once,
 * one in another instance within the cache time.
 */
@Injectable()
export class TenantSettingsService {
  private readonly cache = new Map<string, { value: TenantSettings | null; expiresAt: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The tenant's synced settings, or null when the Brain never reported any. */
  async get(tenantId: string): Promise<TenantSettings | null> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.expiresAt > Date.now()) return cached.value;
    const entity = await this.dataSource.getRepository(TenantSettingsEntity).findOneBy({ tenantId });
    const value = entity ? toSettings(entity) : null;
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(tenantId, { value, expiresAt: Date.now() + CACHE_TTL_MS });
    return value;
  }

  async save(tenantId: string, plan: TenantPlan, sourceData: Record<string, unknown>): Promise<TenantSettings> {
    const repository = this.dataSource.getRepository(TenantSettingsEntity);
    await repository.upsert(
      {
        tenantId,
        ...plan,
        sourceData,
        syncedAt: () => 'now()',
        updatedAt: () => 'now()',
      } as QueryDeepPartialEntity<TenantSettingsEntity>,
      ['tenantId'],
    );
    const value = toSettings(await repository.findOneByOrFail({ tenantId }));
    this.cache.set(tenantId, { value, expiresAt: Date.now() + CACHE_TTL_MS });
    return value;
  }

  /** The tenant's daily LLM budget in USD: its synced budget, else TENANT_DAILY_BUDGET_USD, else unlimited. */
  async dailyBudgetUsd(tenantId: string): Promise<number | undefined> {
    const settings = await this.get(tenantId);
    return settings?.dailyBudgetUsd ?? this.config.crew.tenantDailyBudgetUsd;
  }
}
