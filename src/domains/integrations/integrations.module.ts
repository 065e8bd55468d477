import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { INTEGRATIONS_ENTITIES } from './entities/integrations.entities.js';
import { IntegrationsSupervisor } from './integrations.supervisor.js';
import { integrationsConfigSection } from './integrations.config.js';

@Module({
  imports: [TypeOrmModule.forFeature(INTEGRATIONS_ENTITIES)],
  providers: [IntegrationsSupervisor],
})
export class IntegrationsModule {
  /** The configuration section this domain's supervisor reads; the configuration tree takes it from here. */
  static readonly settings = integrationsConfigSection;
}
