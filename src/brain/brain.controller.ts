import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems, ProblemDto } from '../common/api-problem-responses.js';
import { ServiceKeyOnly } from '../auth/public.decorator.js';
import { BrainRegistrationService } from './brain-registration.service.js';
import { BrainRequestService } from './brain-request.service.js';
import { BrainValidationService } from './brain-validation.service.js';
import {
  HandleRequestResponseDto,
  RegisterRoutesResponseDto,
  TenantSettingsResponseDto,
  ValidateIntegrationResponseDto,
} from './dto/brain-responses.dto.js';
import { HandleRequestDto } from './dto/handle-request.dto.js';
import { TenantSyncService } from './tenant-sync.service.js';
import { RequestId } from '../common/request-context.js';
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from '../common/tenant.js';
import { EXECUTE_ACCEPTED_EXAMPLE } from '../tasks/dto/task-response.dto.js';

const BAD_GATEWAY = {
  status: 502,
  description: 'The Brain API is unreachable, answered an error, or sent data that cannot be used.',
  content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
};

@ApiTags('brain')
@Controller('brain')
export class BrainController {
  constructor(
    private readonly registrations: BrainRegistrationService,
    private readonly validation: BrainValidationService,
    private readonly requests: BrainRequestService,
    private readonly tenantSync: TenantSyncService,
  ) {}

  @Post('register-routes')
  @HttpCode(200)
  @ServiceKeyOnly()
  @ApiOperation({
    summary: "Register this service's routes with the Brain API",
    description:
      'Generates the manifest from the routes this service actually serves (every /api/crew/* route except these Brain routes, mirrored to /api/brain/crew/*), POSTs it to {BRAIN_API_URL}/api/brain/admin/register-crew-routes and records the attempt. 200 when the Brain accepted it; 502 with the same body when it did not.',
  })
  @ApiOkResponse({ type: RegisterRoutesResponseDto })
  @ApiResponse({ status: 502, type: RegisterRoutesResponseDto, description: 'The Brain API did not accept the registration (see error).' })
  @ApiProblems(401, 403)
  async register(@Res({ passthrough: true }) response: Response): Promise<RegisterRoutesResponseDto> {
    const { registration, routes } = await this.registrations.register('api');
    response.status(registration.status === 'registered' ? 200 : 502);
    return {
      status: registration.status,
      registration_id: registration.id,
      brain_api_url: registration.brainUrl,
      crew_system_url: registration.crewSystemUrl,
      routes_registered: registration.status === 'registered' ? registration.routeCount : 0,
      brain_http_status: registration.httpStatus,
      brain_response: registration.response ?? null,
      error: registration.error,
      registration_timestamp: registration.createdAt.toISOString(),
      routes,
    };
  }

  @Get('validate-integration')
  @ServiceKeyOnly()
  @ApiOperation({
    summary: 'Check the Brain integration: Brain health, route registration, a round trip through the Brain',
    description: 'Always 200; each false flag has an entry in details.problems naming what to fix.',
  })
  @ApiOkResponse({ type: ValidateIntegrationResponseDto })
  @ApiProblems(401, 403)
  validate(): Promise<ValidateIntegrationResponseDto> {
    return this.validation.validate();
  }

  @Post('handle-request')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run a request the Brain routed here: the route path selects the task type',
    description:
      'crm/lead-scoring → crm_lead_scoring, analytics/generate-report → analytics_report_generation, generally <domain>/<kebab-name> → <domain>_<snake_name> (or <snake_name> for types that do not repeat their domain). 200 when the task finished, 202 when it is still running (poll crew_result.links.self).',
  })
  @ApiBody({
    type: HandleRequestDto,
    examples: {
      taskList: {
        summary: 'A system route',
        value: { route_path: 'system/get-task-list', tenant_id: 'client_123', parameters: { limit: 5 }, request_id: 'brain-req-42' },
      },
    },
  })
  @ApiOkResponse({ type: HandleRequestResponseDto })
  @ApiAcceptedResponse({
    type: HandleRequestResponseDto,
    description: 'Still running (queued work); poll crew_result.links.self.',
    example: {
      status: 'pending',
      crew_result: EXECUTE_ACCEPTED_EXAMPLE,
      brain_integration: {
        routed_from: 'crm/lead-scoring',
        task_type: 'crm_lead_scoring',
        execution_strategy: 'single_agent',
        agents_used: [],
      },
    },
  })
  @ApiProblems(400, 401, 402, 403, 413, 422, 429, 503)
  async handle(
    @Body() dto: HandleRequestDto,
    @Headers('x-tenant-id') tenantHeader: string | undefined,
    @Res({ passthrough: true }) response: Response,
    @RequestId() requestId: string | undefined,
  ): Promise<HandleRequestResponseDto> {
    const answer = await this.requests.handle(tenantHeader, dto, requestId);
    response.status(answer.httpStatus);
    return answer.body;
  }

  @Post('sync-tenant/:tenant_id')
  @HttpCode(200)
  @ServiceKeyOnly()
  @ApiOperation({
    summary: "Fetch a tenant's plan from the Brain API and apply it",
    description:
      'GET {BRAIN_API_URL}/api/brain/tenants/{tenant_id}/data → tenant_settings: subscription tier, enabled features (domains not named are refused when the list names domains), API limits (requests_per_minute is applied to this tenant at once), daily budget.',
  })
  @ApiParam({
    name: 'tenant_id',
    example: 'client_123',
    description: `The tenant to sync: ${TENANT_ID_RULE}.`,
    schema: { type: 'string', pattern: TENANT_ID_PATTERN.source, maxLength: 100 },
  })
  @ApiOkResponse({ type: TenantSettingsResponseDto })
  @ApiResponse(BAD_GATEWAY)
  @ApiProblems(401, 403, 404, 422)
  sync(@Param('tenant_id') tenantId: string): Promise<TenantSettingsResponseDto> {
    return this.tenantSync.sync(tenantId);
  }
}
