import { Injectable } from '@nestjs/common';
import { ValidationProblem } from '../common/problem.js';
import { resolveTenant } from '../common/tenant.js';
import { ForbiddenProblem } from '../auth/auth.problems.js';
import { TaskTypeRegistry } from '../delegation/task-type.registry.js';
import { ExecutionService } from '../execution/execution.service.js';
import { toExecuteResponse } from '../tasks/task-response.mapper.js';
import { FINAL_STATUSES } from '../tasks/task.types.js';
import type { HandleRequestResponseDto } from './dto/brain-responses.dto.js';
import type { HandleRequestDto } from './dto/handle-request.dto.js';
import { normaliseRoutePath, routeToTaskType, taskTypeCandidates } from './route-mapping.js';
import { domainEnabled, TenantSettingsService } from '../tenancy/tenant-settings.service.js';

export interface HandleRequestAnswer {
  httpStatus: 200 | 202;
  body: HandleRequestResponseDto;
}

/** POST /brain/handle-request: maps the Brain's route path to a task type and runs it through the task pipeline. */
@Injectable()
export class BrainRequestService {
  constructor(
    private readonly registry: TaskTypeRegistry,
    private readonly execution: ExecutionService,
    private readonly tenantSettings: TenantSettingsService,
  ) {}

  async handle(tenantHeader: string | undefined, dto: HandleRequestDto, requestId?: string): Promise<HandleRequestAnswer> {
    const tenantId = resolveTenant(tenantHeader, dto.tenant_id);
    const routePath = normaliseRoutePath(dto.route_path);
    if (routePath === undefined) {
      throw new ValidationProblem([
        { field: 'route_path', message: 'must be a route path such as crm/lead-scoring (lowercase segments of letters, digits, - and _)' },
      ]);
    }
    const type = routeToTaskType(routePath, (candidate) => this.registry.get(candidate) !== undefined);
    if (type === undefined) {
      const tried = taskTypeCandidates(routePath);
      throw new ValidationProblem(
        [
          {
            field: 'route_path',
            message: `${routePath} maps to no task type (tried ${tried.join(', ')}); GET /api/crew/catalogue lists the task types`,
          },
        ],
        `Route ${routePath} maps to no task type in the catalogue. GET /api/crew/catalogue lists the task types.`,
        { catalogue: '/api/crew/catalogue', tried_task_types: tried },
      );
    }
    const domain = this.registry.get(type)?.domain ?? 'system';
    if (!domainEnabled(await this.tenantSettings.get(tenantId), domain)) {
      throw new ForbiddenProblem(`Domain ${domain} is not enabled for tenant ${tenantId}.`, { domain });
    }
    const { task } = await this.execution.submit({
      requestId,
      tenantId,
      type,
      description: dto.description ?? `Brain request ${routePath}`,
      domain: dto.domain,
      parameters: dto.parameters ?? {},
      dataVolume: dto.data_volume ?? 0,
      requiresAi: dto.requires_ai ?? false,
      multiDomain: dto.multi_domain ?? false,
      priority: dto.priority ?? 5,
      timeoutS: dto.timeout,
      forceCrew: false,
      asyncExecution: false,
      userId: dto.user_id,
      sessionId: dto.session_id,
      metadata: { source: 'brain', route_path: routePath, ...(dto.request_id ? { brain_request_id: dto.request_id } : {}) },
      idempotencyKey: dto.request_id ? `brain:${dto.request_id}` : undefined,
    });
    const crewResult = toExecuteResponse(task);
    return {
      httpStatus: FINAL_STATUSES.has(task.status) ? 200 : 202,
      body: {
        status: task.status,
        crew_result: crewResult,
        brain_integration: {
          routed_from: routePath,
          task_type: type,
          execution_strategy: crewResult.execution_type,
          agents_used: crewResult.agents_used,
        },
      },
    };
  }
}
