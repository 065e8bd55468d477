import { Module } from '@nestjs/common';
import { TaskStoreModule } from '../tasks/task-store.module.js';
import { ActiveTasks } from './active-tasks.js';
import { CallbackService } from './callback.service.js';
import { CancelWatcher } from './cancel-watcher.service.js';
import { ExecutionLifecycle } from './execution.lifecycle.js';
import { ExecutionService } from './execution.service.js';
import { QueueService } from './queue.service.js';
import { Sweeper } from './sweeper.service.js';
import { TaskEvents } from './task-events.js';
import { TaskRunner } from './task-runner.service.js';
import { WorkerService } from './worker.service.js';

@Module({
  imports: [TaskStoreModule],
  providers: [
    ExecutionService,
    QueueService,
    TaskRunner,
    WorkerService,
    ActiveTasks,
    TaskEvents,
    CancelWatcher,
    Sweeper,
    CallbackService,
    ExecutionLifecycle,
  ],
  exports: [ExecutionService, TaskEvents, QueueService, WorkerService, ActiveTasks],
})
export class ExecutionModule {}
