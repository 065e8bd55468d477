import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems } from '../../../common/api-problem-responses.js';
import { ValidationProblem } from '../../../common/problem.js';
import { resolveTenant } from '../../../common/tenant.js';
import { ExecutionService } from '../../../execution/execution.service.js';
import type { TaskEntity } from '../../../tasks/entities/task.entity.js';
import { toExecuteResponse } from '../../../tasks/task-response.mapper.js';
import { FINAL_STATUSES, type Strategy } from '../../../tasks/task.types.js';
import {
  ComprehensiveAnalysisBody,
  CRM_ACCEPTED_EXAMPLE,
  CrmOperationResponseDto,
  LeadScoringBody,
  NurturingCampaignBody,
  PipelineOptimizationBody,
  SegmentationBody,
} from './crm-endpoints.dto.js';
import { validatePipelineOptimizationRequest } from '../algorithms/index.js';
import { checkComprehensive } from '../task-types/comprehensive-analysis.task-type.js';
import { withOrderedStages } from '../task-types/pipeline-optimization.task-type.js';
import { CRM_EXAMPLES } from './crm-examples.js';
import { ApiBodyRules } from '../../../openapi/body-rules.decorator.js';
import {
  ComprehensiveAnalysisParams,
  LeadScoringParams,
  NurturingCampaignParams,
  PipelineOptimizationParams,
  SegmentationParams,
} from '../dto/crm-analysis.params.js';
import { requestIdOf } from '../../../common/request-context.js';

interface Operation {
  type: string;
  description: string;
  /** Checks the body as sent and returns the parameters to submit. */
  prepare?: (parameters: Record<string, unknown>) => Record<string, unknown>;
  /** The specialist that owns it; absent for the comprehensive analysis (a crew: agents_used). */
  agent?: string;
  preferredStrategy?: Strategy;
}

/** Routes (under the controller's `crm/`) that take bulk input: their bodies may be as large as BULK_BODY_LIMIT. */
export const CRM_BULK_ROUTES = ['crm/customer-segmentation', 'crm/comprehensive-analysis'] as const;

const OPERATIONS = {
  leadScoring: { type: 'crm_lead_scoring', description: 'Score and qualify incoming leads', agent: 'crm_lead_specialist' },
  segmentation: { type: 'crm_customer_segmentation', description: 'Segment customers', agent: 'crm_customer_specialist' },
  nurturing: { type: 'crm_nurturing_campaign', description: 'Create a lead nurturing campaign', agent: 'crm_lead_specialist' },
  pipeline: {
    type: 'crm_pipeline_optimization',
    description: 'Optimize the sales pipeline',
    agent: 'crm_lead_specialist',
    prepare: (parameters) => {
      assertValid(validatePipelineOptimizationRequest(parameters));
      return { ...parameters, pipeline_data: withOrderedStages(parameters.pipeline_data) };
    },
  },
  // A crew: the master supervisor over the CRM supervisor (its four specialists' operations) and, with metrics, analytics.
  comprehensive: {
    type: 'comprehensive_crm_analysis',
    description: 'Full CRM performance analysis',
    prepare: (parameters) => {
      if (parameters.pipeline === undefined) return parameters;
      assertValid(checkComprehensive(parameters));
      return { ...parameters, pipeline: withOrderedStages(parameters.pipeline) };
    },
  },
} satisfies Record<string, Operation>;

/** Stage objects keep their key order only until the task is stored (jsonb), so they are sent as arrays; errors keep the paths of the body as sent. */
function assertValid(errors: { field: string; message: string }[]): void {
  if (errors.length > 0) throw new ValidationProblem(errors);
}

const CONTEXT_FIELDS = new Set(['tenant_id', 'user_id', 'session_id']);

/** Still running when the request's wait ended: the task goes on in the background. */
const ACCEPTED = {
  type: CrmOperationResponseDto,
  description: 'Still running at its timeout; poll links.self.',
  example: CRM_ACCEPTED_EXAMPLE,
};

function size(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (value && typeof value === 'object') return Object.keys(value).length;
  return value === undefined || value === null ? 0 : 1;
}

/** Errors of the task's parameters name the body's own fields here (`lead_data.email`, not `parameters.lead_data.email`). */
function withBodyFields(problem: ValidationProblem): ValidationProblem {
  const { errors = [], headers: _headers, ...extra } = problem.extensions;
  const fields = errors.map((error) => ({
    ...error,
    field: error.field === 'parameters' ? 'body' : error.field.replace(/^parameters\./, ''),
  }));
  return new ValidationProblem(fields, undefined, extra);
}

/**
 * The specialised CRM operations of the reference README. Each is a thin front on the task pipeline: the
 * body becomes the parameters of the matching task type, submitted through ExecutionService (persisted,
 * traced, cancellable, routed by the delegation engine), answered when it finishes.
 */
// X-Tenant-ID is declared by the OpenAPI document on every route that resolves a tenant (src/openapi).
@ApiTags('crm')
@Controller('crm')
export class CrmController {
  constructor(private readonly execution: ExecutionService) {}

  @Post('lead-scoring')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Score and qualify a lead (or rank leads[], or the stored leads)',
    description:
      'Fit (seniority, email domain, company size), engagement and behaviour (visits, intent) with decay; grade A–D, qualification status, matrix cell and next action. Runs crm_lead_scoring.',
  })
  @ApiBodyRules(LeadScoringParams)
  @ApiBody({ type: LeadScoringBody, examples: CRM_EXAMPLES.leadScoring })
  @ApiOkResponse({ type: CrmOperationResponseDto, description: 'Finished (see status; a failed task carries error and guidance).' })
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblems(400, 401, 402, 403, 413, 422, 429, 503)
  leadScoring(
    @Body() body: LeadScoringBody,
    @Headers('x-tenant-id') tenant: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CrmOperationResponseDto> {
    return this.run(
      OPERATIONS.leadScoring,
      body,
      tenant,
      response,
      body.leads !== undefined ? size(body.leads) : size(body.lead_data) && 1,
    );
  }

  @Post('customer-segmentation')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Segment customers (behavioral k-means++, value_based, rfm or lifecycle)',
    description:
      'Runs crm_customer_segmentation. segment_count may not exceed the number of customers (422), so the README sample with one customer and segment_count 5 is refused; the example sends five customers of the same shape.',
  })
  @ApiBodyRules(SegmentationParams)
  @ApiBody({ type: SegmentationBody, examples: CRM_EXAMPLES.segmentation })
  @ApiOkResponse({ type: CrmOperationResponseDto })
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblems(400, 401, 402, 403, 413, 422, 429, 503)
  segmentation(
    @Body() body: SegmentationBody,
    @Headers('x-tenant-id') tenant: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CrmOperationResponseDto> {
    return this.run(OPERATIONS.segmentation, body, tenant, response, size(body.customer_data));
  }

  @Post('nurturing-campaign')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Plan a nurturing campaign: cadence, phases and one track per lead segment',
    description: 'Runs crm_nurturing_campaign. 30 days weekly gives touches on days 0, 7, 14, 21 and 28.',
  })
  @ApiBodyRules(NurturingCampaignParams)
  @ApiBody({ type: NurturingCampaignBody, examples: CRM_EXAMPLES.nurturing })
  @ApiOkResponse({ type: CrmOperationResponseDto })
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblems(400, 401, 402, 403, 413, 422, 429, 503)
  nurturing(
    @Body() body: NurturingCampaignBody,
    @Headers('x-tenant-id') tenant: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CrmOperationResponseDto> {
    return this.run(OPERATIONS.nurturing, body, tenant, response, size(body.lead_segments));
  }

  @Post('pipeline-optimization')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Find the pipeline bottleneck and the highest-leverage step',
    description: 'Runs crm_pipeline_optimization: close probabilities, expected wins and revenue, velocity, +10-point uplift per step.',
  })
  @ApiBodyRules(PipelineOptimizationParams)
  @ApiBody({ type: PipelineOptimizationBody, examples: CRM_EXAMPLES.pipeline })
  @ApiOkResponse({ type: CrmOperationResponseDto })
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblems(400, 401, 402, 403, 413, 422, 429, 503)
  pipeline(
    @Body() body: PipelineOptimizationBody,
    @Headers('x-tenant-id') tenant: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CrmOperationResponseDto> {
    const stages = (body.pipeline_data as { stages?: unknown } | undefined)?.stages;
    return this.run(OPERATIONS.pipeline, body, tenant, response, size(stages));
  }

  @Post('comprehensive-analysis')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Full CRM analysis by the CRM specialists, synthesised by the CRM supervisor',
    description:
      "Runs comprehensive_crm_analysis: leads → scoring and a nurturing plan for the scored segments, customers → segmentation and churn, pipeline → optimisation. With an empty body the tenant's stored leads and customers are analysed.",
  })
  @ApiBodyRules(ComprehensiveAnalysisParams)
  @ApiBody({ type: ComprehensiveAnalysisBody, examples: CRM_EXAMPLES.comprehensive })
  @ApiOkResponse({ type: CrmOperationResponseDto })
  @ApiAcceptedResponse(ACCEPTED)
  @ApiProblems(400, 401, 402, 403, 413, 422, 429, 503)
  comprehensive(
    @Body() body: ComprehensiveAnalysisBody,
    @Headers('x-tenant-id') tenant: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CrmOperationResponseDto> {
    const volume = size(body.leads) + size(body.customers) + size((body.pipeline as { stages?: unknown } | undefined)?.stages);
    return this.run(OPERATIONS.comprehensive, body, tenant, response, volume);
  }

  private async run(
    operation: Operation,
    body: object,
    tenantHeader: string | undefined,
    response: Response,
    dataVolume: number,
  ): Promise<CrmOperationResponseDto> {
    const fields = body as Record<string, unknown>;
    const tenantId = resolveTenant(tenantHeader, fields.tenant_id);
    const sent = Object.fromEntries(Object.entries(fields).filter(([key, value]) => !CONTEXT_FIELDS.has(key) && value !== undefined));
    const parameters = operation.prepare ? operation.prepare(sent) : sent;
    let task: TaskEntity;
    try {
      ({ task } = await this.execution.submit({
        requestId: requestIdOf(response.req),
        tenantId,
        type: operation.type,
        description: operation.description,
        domain: 'crm',
        parameters,
        dataVolume,
        requiresAi: true,
        multiDomain: false,
        priority: 5,
        preferredStrategy: operation.preferredStrategy,
        forceCrew: false,
        asyncExecution: false,
        userId: typeof fields.user_id === 'string' ? fields.user_id : undefined,
        sessionId: typeof fields.session_id === 'string' ? fields.session_id : undefined,
        metadata: { source: `crm/${operation.type}` },
      }));
    } catch (error) {
      if (error instanceof ValidationProblem) throw withBodyFields(error);
      throw error;
    }
    response.status(FINAL_STATUSES.has(task.status) ? 200 : 202);
    return toCrmResponse(task, operation);
  }
}

export function toCrmResponse(task: TaskEntity, operation: { type: string; agent?: string }): CrmOperationResponseDto {
  const execute = toExecuteResponse(task);
  const agents = task.agentsUsed;
  return {
    task_id: task.id,
    task_type: operation.type,
    status: task.status,
    result: task.result ?? null,
    timestamp: (task.finishedAt ?? new Date()).toISOString(),
    ...(operation.agent ? { agent_used: agents.includes(operation.agent) ? operation.agent : (agents[0] ?? operation.agent) } : {}),
    agents_used: agents,
    ai_mode: task.aiMode ?? 'deterministic',
    metrics: execute.metrics,
    strategy_used: execute.execution_type,
    execution_time: execute.execution_time,
    error: task.error,
    guidance: task.guidance,
    links: execute.links,
  };
}
