import { Injectable, type OnModuleInit } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { TaskTypeRegistry } from '../delegation/task-type.registry.js';
import { array, describes, int, nullable, num, object, partial, str } from '../tasks/result-schema.js';
import type { TaskOutcome, TaskRunContext, TaskTypeDefinition } from '../tasks/task-type.js';
import { TASK_STATUSES } from '../tasks/task.types.js';
import { TaskStore } from '../tasks/task.store.js';

export class GetTaskListParams {
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/** One of the tenant's recent tasks. */
export interface TaskListEntry {
  task_id: string;
  type: string;
  status: string;
  strategy: string | null;
  created_at: string;
  /** Seconds, null while unfinished. */
  execution_time: number | null;
}

export interface TaskList {
  count: number;
  tasks: TaskListEntry[];
}

const RESULT_SCHEMA = describes<TaskList>()(
  object({
    count: int(),
    tasks: array(
      partial({
        task_id: str({ format: 'uuid' }),
        type: str(),
        status: str(),
        strategy: nullable(str()),
        created_at: str({ format: 'date-time' }),
        execution_time: nullable(num()),
      }),
    ),
  }),
);

/** Built-in direct_db task type: the tenant's most recent tasks (excluding the one asking). */
@Injectable()
export class GetTaskListTask implements OnModuleInit {
  constructor(
    private readonly registry: TaskTypeRegistry,
    private readonly tasks: TaskStore,
  ) {}

  onModuleInit(): void {
    const definition: TaskTypeDefinition<GetTaskListParams, TaskList> = {
      type: 'get_task_list',
      domain: 'system',
      description: "Lists the tenant's most recent tasks, optionally filtered by status or type (direct database query).",
      complexity: 'simple',
      strategy: 'direct_db',
      requiresAi: false,
      parameters: GetTaskListParams,
      resultSchema: RESULT_SCHEMA,
      run: (context, parameters) => this.run(context, parameters),
    };
    this.registry.register(definition);
  }

  async run(context: TaskRunContext, parameters: GetTaskListParams): Promise<TaskOutcome<TaskList>> {
    // On the task's own manager: the read sees the task's transaction, if it opened one.
    const rows = await this.tasks
      .history(context.manager)
      .recent(context.tenantId, context.taskId, { status: parameters.status, type: parameters.type }, parameters.limit ?? 20);
    return {
      aiMode: 'deterministic',
      result: {
        count: rows.length,
        tasks: rows.map((row) => ({
          task_id: row.id,
          type: row.type,
          status: row.status,
          strategy: row.strategy,
          created_at: new Date(row.created_at).toISOString(),
          execution_time: row.duration_ms === null ? null : row.duration_ms / 1000,
        })),
      },
    };
  }
}
