import { Module } from '@nestjs/common';
import { GetTaskListTask } from './get-task-list.task.js';
import { SystemProbeTask } from './system-probe.task.js';

/** Built-in task types that belong to no business domain. */
@Module({ providers: [GetTaskListTask, SystemProbeTask] })
export class SystemModule {}
