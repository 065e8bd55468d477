import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentRegistry } from './agent-registry.js';
import { DelegationService } from './delegation.service.js';
import { DomainRegistry } from './domain-registry.js';
import { RoutingOverrideEntity } from './routing-override.entity.js';
import { RoutingOverrideStore, routingOverrideSourceProvider } from './routing-override.store.js';
import { AgentExecutor } from '../agents/agent-executor.js';
import { Planner } from '../agents/planner.js';
import { AGENT_EXECUTOR, AGENT_PLANNER } from './strategies/agent-executor.port.js';
import { StrategyExecutor } from './strategies/strategy-executor.service.js';
import { STRATEGY_PROVIDERS } from './strategies/strategy.providers.js';
import { TaskTypeRegistry } from './task-type.registry.js';

/**
 * Global: discovers every domain's supervisor (agents, tools, task catalogue), decides how each task runs
 * and executes the chosen strategy with its fallback chain.
 */
@Global()
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature([RoutingOverrideEntity])],
  providers: [
    TaskTypeRegistry,
    DelegationService,
    AgentRegistry,
    DomainRegistry,
    ...STRATEGY_PROVIDERS,
    // The agent runtime (LLM layer) behind the strategies' port.
    { provide: AGENT_EXECUTOR, useExisting: AgentExecutor },
    { provide: AGENT_PLANNER, useExisting: Planner },
    RoutingOverrideStore,
    routingOverrideSourceProvider,
  ],
  exports: [TaskTypeRegistry, DelegationService, AgentRegistry, DomainRegistry, StrategyExecutor, RoutingOverrideStore],
})
export class DelegationModule {}
