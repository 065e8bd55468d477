import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IntegrationConnectionEntity } from './entities/integration-connection.entity.js';
import { IntegrationRecordEntity } from './entities/integration-record.entity.js';
import { SyncRunEntity } from './entities/sync-run.entity.js';
import { IntegrationsSupervisor } from './integrations.supervisor.js';

@Module({
  imports: [TypeOrmModule.forFeature([IntegrationConnectionEntity, SyncRunEntity, IntegrationRecordEntity])],
  providers: [IntegrationsSupervisor],
})
export class IntegrationsModule {}
