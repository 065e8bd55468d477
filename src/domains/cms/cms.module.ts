import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CmsSupervisor } from './cms.supervisor.js';
import { ContentItemEntity } from './entities/content-item.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([ContentItemEntity])],
  providers: [CmsSupervisor],
})
export class CmsModule {}
