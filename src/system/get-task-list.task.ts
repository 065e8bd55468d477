import { Injectable, type OnModuleInit } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { fastQuery } from '../database/fast-query.js';
import { TaskTypeRegistry } from '../delegation/task-type.registry.js';
import type { TaskOutcome, TaskRunContext } from '../delegation/task-type.js';
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

const RESULT_SCHEMA = {
  type: 'object',
  required: ['tasks', 'count'],
  properties: {
    count: { type: 'integer' },
    tasks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          task_id: { type: 'string', format: 'uuid' },
          type: { type: 'string' },
          status: { type: 'string' },
          strategy: { type: ['string', 'null'] },
          created_at: { type: 'string', format: 'date-time' },
          execution_time: { type: ['number', 'null'] },
        },
      },
    },
  },
};

/** Built-in direct_db task type: the tenant's most recent tasks (excluding the one asking). */
@Injectable()
export class GetTaskListTask implements OnModuleInit {
  constructor(private readonly registry: TaskTypeRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      type: 'get_task_list',
      domain: 'system',
      description: "Lists the tenant's most recent tasks, optionally filtered by status or type (direct database query).",
      complexity: 'simple',
      strategy: 'direct_db',
      requiresAi: false,
      parameters: GetTaskListParams,
      resultSchema: RESULT_SCHEMA,
      run: (context, parameters) => this.run(context, parameters),
    });
  }

  async run(context: TaskRunContext, parameters: GetTaskListParams): Promise<TaskOutcome> {
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
