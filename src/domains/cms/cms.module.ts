import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CmsSupervisor } from './cms.supervisor.js';
import { CMS_ENTITIES } from './entities/cms.entities.js';
import { cmsConfigSection } from './cms.config.js';

@Module({
  imports: [TypeOrmModule.forFeature(CMS_ENTITIES)],
  providers: [CmsSupervisor],
})
export class CmsModule {
  /** The configuration section this domain's supervisor reads; the configuration tree takes it from here. */
  static readonly settings = cmsConfigSection;
}
