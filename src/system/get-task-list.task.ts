import { Injectable, type OnModuleInit } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { fastQuery } from '../database/fast-query.js';
import { TaskTypeRegistry } from '../delegation/task-type.registry.js';
import { array, describes, int, nullable, num, object, partial, str } from '../tasks/result-schema.js';
import type { TaskOutcome, TaskRunContext, TaskTypeDefinition } from '../tasks/task-type.js';
import { TASK_STATUSES } from '../tasks/task.types.js';

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
  constructor(private readonly registry: TaskTypeRegistry) {}

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
    const values: unknown[] = [context.tenantId, context.taskId, parameters.limit ?? 20];
    let filters = '';
    if (parameters.status) filters += ` AND status = $${values.push(parameters.status)}`;
    if (parameters.type) filters += ` AND type = $${values.push(parameters.type)}`;
    const rows = await fastQuery<TaskListRow>(
      context.manager,
      `SELECT id, type, status, strategy, created_at, duration_ms FROM tasks
        WHERE tenant_id = $1 AND id <> $2${filters}
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      values,
      // Tenants differ in size by orders of magnitude: each call is planned for its own tenant and limit.
      { planPerCall: true },
    );
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

interface TaskListRow {
  id: string;
  type: string;
  status: string;
  strategy: string | null;
  created_at: Date | string;
  duration_ms: number | null;
}
