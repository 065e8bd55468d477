import { Module } from '@nestjs/common';
import { CrmSupervisor } from './crm.supervisor.js';

@Module({ providers: [CrmSupervisor] })
export class CrmModule {}
