import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExecutionModule } from '../../execution/execution.module.js';
import { CrmSupervisor } from './crm.supervisor.js';
import { CustomerEntity } from './entities/customer.entity.js';
import { DealEntity } from './entities/deal.entity.js';
import { LeadEntity } from './entities/lead.entity.js';
import { CrmController } from './http/crm.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([CustomerEntity, LeadEntity, DealEntity]), ExecutionModule],
  controllers: [CrmController],
  providers: [CrmSupervisor],
})
export class CrmModule {}
