import { Module } from '@nestjs/common';
import { IntegrationsSupervisor } from './integrations.supervisor.js';

@Module({ providers: [IntegrationsSupervisor] })
export class IntegrationsModule {}
