import { Module } from '@nestjs/common';
import { GetTaskListTask } from './get-task-list.task.js';

/** Built-in task types that belong to no business domain. */
@Module({ providers: [GetTaskListTask] })
export class SystemModule {}
