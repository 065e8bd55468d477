import { Module } from '@nestjs/common';
import { ExecutionModule } from '../execution/execution.module.js';
import { GetTaskListTask } from './get-task-list.task.js';
import { SelfTestController } from './self-test.controller.js';
import { SystemProbeTask } from './system-probe.task.js';

/** Built-in task types that belong to no business domain, and the self-tests. */
@Module({ imports: [ExecutionModule], controllers: [SelfTestController], providers: [GetTaskListTask, SystemProbeTask] })
export class SystemModule {}
