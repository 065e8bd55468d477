import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { ApiKeyRing } from './api-key-ring.js';
import { API_KEY_RING, ApiKeyGuard } from './api-key.guard.js';
import { InsecureConfigError } from './security-boot-check.js';
import { TenantPolicyGuard } from './tenant-policy.guard.js';
import { TenantRateLimiter } from './tenant-rate-limiter.service.js';

/**
 * Authentication and tenant policy for every route: ApiKeyGuard, then TenantPolicyGuard (global guards
 * run in this order). Routes opt out with @Public().
 */
@Module({
  imports: [TenancyModule],
  providers: [
    { provide: API_KEY_RING, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new ApiKeyRing(config.security.apiKeys) },
    TenantRateLimiter,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: TenantPolicyGuard },
  ],
})
export class AuthModule implements OnModuleInit {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    // main.ts refuses this before anything starts; this covers apps built another way.
    if (this.config.server.environment === 'production' && this.config.security.apiKeys.length === 0) throw new InsecureConfigError();
  }
}
