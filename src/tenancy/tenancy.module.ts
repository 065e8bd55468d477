import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantSettingsEntity } from './tenant-settings.entity.js';
import { TenantSettingsService } from './tenant-settings.service.js';

/**
 * Tenancy: each tenant's plan (enabled domains, rate limits, LLM budget), synced from the Brain. Imported by
 * the auth layer (policies, rate limits), the Brain module (sync) and the LLM layer (budgets).
 */
@Module({
  imports: [TypeOrmModule.forFeature([TenantSettingsEntity])],
  providers: [TenantSettingsService],
  exports: [TenantSettingsService],
})
export class TenancyModule {}
