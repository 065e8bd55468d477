import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AgentRegistry } from './agent-registry.js';
import { AgentsController } from './agents.controller.js';
import { CatalogueController } from './catalogue.controller.js';
import { DelegationController } from './delegation.controller.js';
import { DelegationService } from './delegation.service.js';
import { DomainRegistry } from './domain-registry.js';
import { StrategyExecutor } from './strategies/strategy-executor.service.js';
import { TaskTypeRegistry } from './task-type.registry.js';

/**
 * Global: discovers every domain's supervisor (agents, tools, task catalogue), decides how each task runs
 * and executes the chosen strategy with its fallback chain.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [CatalogueController, AgentsController, DelegationController],
  providers: [TaskTypeRegistry, DelegationService, AgentRegistry, DomainRegistry, StrategyExecutor],
  exports: [TaskTypeRegistry, DelegationService, AgentRegistry, StrategyExecutor],
})
export class DelegationModule {}
