import { Module } from '@nestjs/common';
import { ExecutionModule } from '../execution/execution.module.js';
import { TaskStoreModule } from '../tasks/task-store.module.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { AgentsController } from './agents.controller.js';
import { CatalogueController } from './catalogue.controller.js';
import { DelegationController } from './delegation.controller.js';
import { MCP_PROVIDERS } from './mcp/mcp.providers.js';
import { McpController } from './mcp/mcp.controller.js';
import { TasksController } from './tasks.controller.js';
import { TaskEventStream } from './task-event-stream.service.js';
import { TasksService } from './tasks.service.js';

/**
 * The HTTP faces of the task core: submit, poll, list, cancel and stream tasks, the delegation endpoints, the
 * agents' statistics, the task catalogue, and the MCP server that offers the catalogue as tools. Controllers here
 * stay thin: they validate, call a service one floor down and map the answer.
 */
@Module({
  imports: [ExecutionModule, TaskStoreModule, TenancyModule],
  controllers: [TasksController, DelegationController, AgentsController, CatalogueController, McpController],
  providers: [TasksService, TaskEventStream, ...MCP_PROVIDERS],
})
export class ApiModule {}
