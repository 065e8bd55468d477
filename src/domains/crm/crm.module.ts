import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExecutionModule } from '../../execution/execution.module.js';
import { CrmSupervisor } from './crm.supervisor.js';
import { CustomerEntity } from './entities/customer.entity.js';
import { DealEntity } from './entities/deal.entity.js';
import { LeadEntity } from './entities/lead.entity.js';
import { CrmController } from './http/crm.controller.js';
import { loadCrmSyncConfig } from './sync/crm-sync.js';
import { CRM_SYNC_CONFIG } from './sync/crm-sync.task-type.js';

@Module({
  imports: [TypeOrmModule.forFeature([CustomerEntity, LeadEntity, DealEntity]), ExecutionModule],
  controllers: [CrmController],
  providers: [CrmSupervisor, { provide: CRM_SYNC_CONFIG, useFactory: () => loadCrmSyncConfig(process.env) }],
})
export class CrmModule {}
