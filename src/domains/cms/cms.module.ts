import { Module } from '@nestjs/common';
import { CmsSupervisor } from './cms.supervisor.js';

@Module({ providers: [CmsSupervisor] })
export class CmsModule {}
