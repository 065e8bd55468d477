import { Module } from '@nestjs/common';
import { ExecutionModule } from '../execution/execution.module.js';
import { TaskStoreModule } from './task-store.module.js';
import { TasksController } from './tasks.controller.js';
import { TaskEventStream } from './task-event-stream.service.js';
import { TasksService } from './tasks.service.js';

@Module({
  imports: [ExecutionModule, TaskStoreModule],
  controllers: [TasksController],
  providers: [TasksService, TaskEventStream],
})
export class TasksModule {}
