import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AgentRegistry } from './agent-registry.js';
import { AgentsController } from './agents.controller.js';
import { CatalogueController } from './catalogue.controller.js';
import { DelegationController } from './delegation.controller.js';
import { DelegationService } from './delegation.service.js';
import { DomainRegistry } from './domain-registry.js';
import { AgentExecutor } from '../agents/agent-executor.js';
import { AGENT_EXECUTOR } from './strategies/agent-executor.port.js';
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
  providers: [
    TaskTypeRegistry,
    DelegationService,
    AgentRegistry,
    DomainRegistry,
    StrategyExecutor,
    // The agent runtime (LLM layer) behind the strategies' port.
    { provide: AGENT_EXECUTOR, useExisting: AgentExecutor },
  ],
  exports: [TaskTypeRegistry, DelegationService, AgentRegistry, StrategyExecutor],
})
export class DelegationModule {}
