import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AgentsModule } from './agents/agents.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BrainModule } from './brain/brain.module.js';
import { ProblemFilter } from './common/problem.filter.js';
import { type ConfigTree, configProviders } from './config.tree.js';
import { DatabaseModule } from './database/database.module.js';
import type { EmbeddedPostgres } from './database/embedded-postgres.js';
import { DelegationModule } from './delegation/delegation.module.js';
import { DemoModule } from './demo/demo.module.js';
import { DomainsModule } from './domains/domains.module.js';
import { HealthModule } from './health/health.module.js';
import { LlmModule } from './llm/llm.module.js';
import { MonitoringModule } from './monitoring/monitoring.module.js';
import { SystemModule } from './system/system.module.js';
import { ApiModule } from './api/api.module.js';

@Module({})
export class AppModule {
  /** `config` is validated already (loadConfigTree); every section is provided here, once, to the whole app. */
  static forRoot(config: ConfigTree, embedded: EmbeddedPostgres | null): DynamicModule {
    const sections = configProviders(config);
    return {
      module: AppModule,
      global: true,
      imports: [
        DatabaseModule.forRoot(config.app, embedded),
        LlmModule,
        AgentsModule,
        AuthModule,
        DelegationModule,
        DomainsModule,
        HealthModule,
        ApiModule,
        SystemModule,
        DemoModule,
        BrainModule,
        MonitoringModule,
      ],
      providers: [...sections, { provide: APP_FILTER, useClass: ProblemFilter }],
      exports: sections.map((section) => section.provide),
    };
  }
}
