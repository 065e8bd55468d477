import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantSettingsEntity } from './tenant-settings.entity.js';
import { TenantSettingsService } from './tenant-settings.service.js';

/** Tenant plans from the Brain; imported by the auth layer (rate limits) and the LLM layer (budgets). */
@Module({
  imports: [TypeOrmModule.forFeature([TenantSettingsEntity])],
  providers: [TenantSettingsService],
  exports: [TenantSettingsService],
})
export class TenantSettingsModule {}
