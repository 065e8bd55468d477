import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiProblems } from '../common/api-problem-responses.js';
import { ValidationProblem } from '../common/problem.js';
import { RequestId } from '../common/request-context.js';
import { resolveTenant, Tenant } from '../common/tenant.js';
import {
  CancelResponseDto,
  EXECUTE_ACCEPTED_EXAMPLE,
  ExecuteResponseDto,
  TaskDetailDto,
  TaskListDto,
} from '../tasks/dto/task-response.dto.js';
import { ExecuteTaskDto } from '../tasks/dto/execute-task.dto.js';
import { GetTaskQuery, ListTasksQuery } from './dto/list-tasks.query.js';
import { TaskEventStream } from './task-event-stream.service.js';
import { TasksService } from './tasks.service.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

// X-Tenant-ID is declared by the OpenAPI document on every route that resolves a tenant (src/openapi).
@ApiTags('tasks')
@Controller()
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly eventStream: TaskEventStream,
  ) {}

  @Post('execute')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Submit a task; it runs the cheapest way that does it well',
    description:
      'Answers 200 with the finished task (also when it failed: see status, error, guidance), or 202 when it was accepted for background execution (async_execution: true or still running at timeout).',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and tenant → the same task, never a second one. 1–200 visible ASCII characters.',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source, minLength: 1, maxLength: 200 },
  })
  @ApiBody({
    type: ExecuteTaskDto,
    examples: {
      direct: {
        summary: 'Direct database task',
        value: { type: 'get_task_list', description: 'List my recent tasks', tenant_id: 'client_123', parameters: { limit: 10 } },
      },
    },
  })
  @ApiOkResponse({ type: ExecuteResponseDto, description: 'The task finished (completed, failed, cancelled or timed_out).' })
  @ApiAcceptedResponse({
    type: ExecuteResponseDto,
    description: 'Accepted for background execution (async_execution: true, or still running at its timeout); poll links.self.',
    example: EXECUTE_ACCEPTED_EXAMPLE,
  })
  @ApiProblems(400, 402, 404, 413, 422, 503)
  async execute(
    @Body() dto: ExecuteTaskDto,
    @Headers('x-tenant-id') tenantHeader: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
    @RequestId() requestId: string | undefined,
  ): Promise<ExecuteResponseDto> {
    const tenantId = resolveTenant(tenantHeader, dto.tenant_id);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationProblem([{ field: 'Idempotency-Key', message: 'must be 1–200 visible ASCII characters' }]);
    }
    const answer = await this.tasks.execute(tenantId, dto, idempotencyKey, requestId);
    response.status(answer.httpStatus);
    response.setHeader('Location', answer.body.links.self);
    return answer.body;
  }

  @Get('task/:id')
  @ApiOperation({
    summary: 'A task by task id or workflow id; ?include=trace adds the step tree',
    description:
      'The execute answer plus the task record (tenant, type, domain, priority, times) and its progress. A task of another tenant is a 404, as an unknown id is.',
  })
  @ApiParam({ name: 'id', description: 'Task id or workflow id (uuid).' })
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(404, 422)
  get(@Tenant() tenantId: string, @Param('id') id: string, @Query() query: GetTaskQuery): Promise<TaskDetailDto> {
    return this.tasks.get(tenantId, id, query);
  }

  @Get('task/:id/events')
  @ApiOperation({
    summary: 'Server-Sent Events of a task: status changes and step start/finish, ending with the final result',
    description:
      'Events: `status` {task_id, status}; `step` {phase: start|finish, step_id, agent_id, kind, name, status, …}; `end` (the execute response of the finished task), then the stream closes.',
  })
  @ApiParam({ name: 'id', description: 'Task id or workflow id (uuid).' })
  @ApiOkResponse({ description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiProblems(404, 422)
  events(@Tenant() tenantId: string, @Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.eventStream.stream(tenantId, id, request, response);
  }

  @Get('tasks')
  @ApiOperation({
    summary: "The tenant's tasks, newest first, with filters and cursor pagination",
    description:
      'Filters by status, domain, type and strategy; pass next_cursor of a page as cursor to get the next one (null on the last page).',
  })
  @ApiOkResponse({ type: TaskListDto })
  @ApiProblems(422)
  list(@Tenant() tenantId: string, @Query() query: ListTasksQuery): Promise<TaskListDto> {
    return this.tasks.list(tenantId, query);
  }

  @Delete('task/:id')
  @ApiOperation({
    summary: 'Cancel a pending or running task',
    description:
      'A pending task is cancelled at once; a running one is stopped on whichever instance runs it ("cancelling" until it has). A finished task is a 409, a task of another tenant a 404.',
  })
  @ApiParam({ name: 'id', description: 'Task id or workflow id (uuid).' })
  @ApiOkResponse({ type: CancelResponseDto })
  @ApiProblems(404, 409, 422)
  cancel(@Tenant() tenantId: string, @Param('id') id: string): Promise<CancelResponseDto> {
    return this.tasks.cancel(tenantId, id);
  }
}
