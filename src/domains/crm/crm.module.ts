import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExecutionModule } from '../../execution/execution.module.js';
import { CrmSupervisor } from './crm.supervisor.js';
import { CRM_ENTITIES } from './entities/crm.entities.js';
import { CrmController } from './http/crm.controller.js';
import { crmConfigSection } from './crm.config.js';

@Module({
  imports: [TypeOrmModule.forFeature(CRM_ENTITIES), ExecutionModule],
  controllers: [CrmController],
  providers: [CrmSupervisor],
})
export class CrmModule {
  /** The configuration section this domain's supervisor reads; the configuration tree takes it from here. */
  static readonly settings = crmConfigSection;
}
