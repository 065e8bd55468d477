import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TaskStepEntity } from './entities/task-step.entity.js';
import { TaskEntity } from './entities/task.entity.js';
import { TaskStore } from './task.store.js';

/** The ground floor: task and step persistence, importable by the queue and runner without the task API. */
@Module({
  imports: [TypeOrmModule.forFeature([TaskEntity, TaskStepEntity])],
  providers: [TaskStore],
  exports: [TaskStore],
})
export class TaskStoreModule {}
