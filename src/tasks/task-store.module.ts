import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TaskStepEntity } from './entities/task-step.entity.js';
import { TaskEntity } from './entities/task.entity.js';
import { TaskStore } from './task.store.js';

/**
 * The ground floor: the one repository of tasks and task_steps. Global, as every floor above reads or counts
 * tasks through it (the runner, the worker, usage counters, budgets, delegation history, statistics).
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([TaskEntity, TaskStepEntity])],
  providers: [TaskStore],
  exports: [TaskStore],
})
export class TaskStoreModule {}
