import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { INTEGRATIONS_ENTITIES } from './entities/integrations.entities.js';
import { IntegrationsSupervisor } from './integrations.supervisor.js';

@Module({
  imports: [TypeOrmModule.forFeature(INTEGRATIONS_ENTITIES)],
  providers: [IntegrationsSupervisor],
})
export class IntegrationsModule {}
