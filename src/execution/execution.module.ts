import { Module } from '@nestjs/common';
import { TaskStoreModule } from '../tasks/task-store.module.js';
import { ExecutionService } from './execution.service.js';

@Module({
  imports: [TaskStoreModule],
  providers: [ExecutionService],
  exports: [ExecutionService],
})
export class ExecutionModule {}
