import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentExecutor } from './agent-executor.js';
import { AgentMemory } from './agent-memory.service.js';
import { AgentMemoryEntity } from './entities/agent-memory.entity.js';
import { LlmGateway } from './llm-gateway.js';
import { Planner } from './planner.js';
import { TaskUsage } from './task-usage.service.js';

/** The agent runtime: executor, planner, memory and the LLM gateway. Global, so strategies inject them directly. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AgentMemoryEntity])],
  providers: [AgentExecutor, Planner, AgentMemory, LlmGateway, TaskUsage],
  exports: [AgentExecutor, Planner, AgentMemory, LlmGateway, TaskUsage],
})
export class AgentsModule {}
