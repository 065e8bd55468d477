import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IntegrationsSupervisor } from './integrations.supervisor.js';
import { INTEGRATIONS_ENTITIES } from './entities/integrations.entities.js';

@Module({
  imports: [TypeOrmModule.forFeature(INTEGRATIONS_ENTITIES)],
  providers: [IntegrationsSupervisor],
})
export class IntegrationsModule {}
