import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CmsSupervisor } from './cms.supervisor.js';
import { CMS_ENTITIES } from './entities/cms.entities.js';

@Module({
  imports: [TypeOrmModule.forFeature(CMS_ENTITIES)],
  providers: [CmsSupervisor],
})
export class CmsModule {}
