import { Injectable, type OnModuleInit } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { TaskTypeRegistry } from '../delegation/task-type.registry.js';
import type { TaskOutcome, TaskRunContext } from '../delegation/task-type.js';
import { TaskEntity } from '../tasks/entities/task.entity.js';
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
    const query = context.manager
      .getRepository(TaskEntity)
      .createQueryBuilder('task')
      .select(['task.id', 'task.type', 'task.status', 'task.strategy', 'task.createdAt', 'task.durationMs'])
      .where('task.tenant_id = :tenantId', { tenantId: context.tenantId })
      .andWhere('task.id <> :self', { self: context.taskId })
      .orderBy('task.created_at', 'DESC')
      .addOrderBy('task.id', 'DESC')
      .limit(parameters.limit ?? 20);
    if (parameters.status) query.andWhere('task.status = :status', { status: parameters.status });
    if (parameters.type) query.andWhere('task.type = :type', { type: parameters.type });
    const rows = await query.getMany();
    return {
      aiMode: 'deterministic',
      result: {
        count: rows.length,
        tasks: rows.map((task) => ({
          task_id: task.id,
          type: task.type,
          status: task.status,
          strategy: task.strategy,
          created_at: task.createdAt.toISOString(),
          execution_time: task.durationMs === null ? null : task.durationMs / 1000,
        })),
      },
    };
  }
}
