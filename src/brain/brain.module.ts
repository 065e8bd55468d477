import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { ExecutionModule } from '../execution/execution.module.js';
import { BrainClient } from './brain.client.js';
import { BrainController } from './brain.controller.js';
import { BrainRegistrationEntity } from './brain-registration.entity.js';
import { BrainRegistrationService } from './brain-registration.service.js';
import { BrainRequestService } from './brain-request.service.js';
import { BrainValidationService } from './brain-validation.service.js';
import { CompletionNotifier } from './completion-notifier.service.js';
import { RouteManifestService } from './route-manifest.service.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { TenantSyncService } from './tenant-sync.service.js';

/** The Brain API integration (DESIGN §11): registration, validation, handle-request, tenant sync, completion notices. */
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature([BrainRegistrationEntity]), ExecutionModule, TenancyModule, AuthModule],
  controllers: [BrainController],
  providers: [
    BrainClient,
    RouteManifestService,
    BrainRegistrationService,
    BrainValidationService,
    BrainRequestService,
    TenantSyncService,
    CompletionNotifier,
  ],
  exports: [BrainClient],
})
export class BrainModule {}
