import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CMS_CONFIG, loadCmsConfig } from './cms.config.js';
import { CmsSupervisor } from './cms.supervisor.js';
import { ContentItemEntity } from './entities/content-item.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([ContentItemEntity])],
  providers: [{ provide: CMS_CONFIG, useFactory: () => loadCmsConfig(process.env) }, CmsSupervisor],
})
export class CmsModule {}
