import { Injectable } from '@nestjs/common';
import { NotFoundProblem } from '../common/problem.js';
import { ExecutionService, type SubmitResult } from '../execution/execution.service.js';
import type { CancelResponseDto, ExecuteResponseDto, TaskDetailDto, TaskListDto } from '../tasks/dto/task-response.dto.js';
import type { ExecuteTaskDto } from '../tasks/dto/execute-task.dto.js';
import type { GetTaskQuery, ListTasksQuery } from './dto/list-tasks.query.js';
import { TaskStore } from '../tasks/task.store.js';
import { toExecuteResponse, toTaskDetail, toTaskSummary } from '../tasks/task-response.mapper.js';
import { FINAL_STATUSES } from '../tasks/task.types.js';

export interface ExecuteAnswer {
  httpStatus: 200 | 202;
  body: ExecuteResponseDto;
}

/** The task API: maps wire DTOs to the execution layer and task rows back to response DTOs. */
@Injectable()
export class TasksService {
  constructor(
    private readonly execution: ExecutionService,
    private readonly store: TaskStore,
  ) {}

  async execute(tenantId: string, dto: ExecuteTaskDto, idempotencyKey?: string, requestId?: string): Promise<ExecuteAnswer> {
    const { task }: SubmitResult = await this.execution.submit({
      tenantId,
      type: dto.type,
      description: dto.description,
      domain: dto.domain,
      parameters: dto.parameters ?? {},
      dataVolume: dto.data_volume ?? 0,
      requiresAi: dto.requires_ai ?? false,
      multiDomain: dto.multi_domain ?? false,
      priority: dto.priority ?? 5,
      timeoutS: dto.timeout,
      preferredStrategy: dto.preferred_strategy,
      forceCrew: dto.force_crew ?? false,
      asyncExecution: dto.async_execution ?? false,
      callbackUrl: dto.callback_url,
      userId: dto.user_id,
      sessionId: dto.session_id,
      metadata: dto.metadata ?? {},
      idempotencyKey,
      requestId,
    });
    return { httpStatus: FINAL_STATUSES.has(task.status) ? 200 : 202, body: toExecuteResponse(task) };
  }

  async get(tenantId: string, id: string, query: GetTaskQuery): Promise<TaskDetailDto> {
    const task = await this.store.findForTenant(tenantId, id);
    if (!task) throw new NotFoundProblem(`No task ${id} for tenant ${tenantId}.`);
    const [counts, steps] = await Promise.all([
      this.store.countSteps(task.id),
      query.include === 'trace' ? this.store.steps(task.id) : Promise.resolve(undefined),
    ]);
    return toTaskDetail(task, counts, steps);
  }

  async list(tenantId: string, query: ListTasksQuery): Promise<TaskListDto> {
    const limit = query.limit ?? 20;
    const page = await this.store.list(
      tenantId,
      { status: query.status, domain: query.domain, type: query.type, strategy: query.strategy },
      limit,
      query.cursor,
    );
    return { items: page.items.map(toTaskSummary), next_cursor: page.nextCursor, limit };
  }

  async cancel(tenantId: string, id: string): Promise<CancelResponseDto> {
    const task = await this.execution.cancel(tenantId, id);
    return { status: task.status === 'cancelled' ? 'cancelled' : 'cancelling', task_id: task.id };
  }
}
