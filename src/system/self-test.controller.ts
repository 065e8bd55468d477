import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestId } from '../common/request-context.js';
import { ExecutionService, type SubmitInput } from '../execution/execution.service.js';
import { toExecuteResponse } from '../tasks/task-response.mapper.js';
import type { ExecuteResponseDto } from '../tasks/dto/task-response.dto.js';

export const SELF_TEST_TENANT = 'crew-self-test';

interface SelfTestAnswer {
  test_type: 'simple_task' | 'complex_workflow';
  status: 'success' | 'failure';
  checks: Record<string, boolean>;
  result: ExecuteResponseDto;
}

const BASE: Omit<SubmitInput, 'type' | 'description' | 'parameters'> = {
  tenantId: SELF_TEST_TENANT,
  dataVolume: 0,
  requiresAi: false,
  multiDomain: false,
  priority: 10,
  forceCrew: false,
  asyncExecution: false,
  metadata: { self_test: true },
};

/** Real end-to-end self-tests through the normal pipeline (persisted under tenant crew-self-test). */
@ApiTags('system')
@Controller('test')
export class SelfTestController {
  constructor(private readonly execution: ExecutionService) {}

  @Post('simple-task')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Self-test: runs a direct_db task end to end and checks it completed and was persisted',
    description:
      'Submits get_task_list through the task pipeline for the self-test tenant and answers the checks (completed, ran as direct_db, persisted) with the task. status is "failure" when a check failed.',
  })
  @ApiOkResponse({
    description: 'status "success" when every check passed.',
    schema: { example: { test_type: 'simple_task', status: 'success', checks: { completed: true, direct_db: true }, result: {} } },
  })
  async simple(@RequestId() requestId: string | undefined): Promise<SelfTestAnswer> {
    const { task } = await this.execution.submit({
      ...BASE,
      requestId,
      type: 'get_task_list',
      description: 'Self-test: list recent tasks',
      parameters: { limit: 5 },
    });
    const checks = {
      completed: task.status === 'completed',
      direct_db: task.strategy === 'direct_db',
      persisted: Boolean(task.finishedAt),
    };
    return {
      test_type: 'simple_task',
      status: Object.values(checks).every(Boolean) ? 'success' : 'failure',
      checks,
      result: toExecuteResponse(task),
    };
  }

  @Post('complex-workflow')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Self-test: a multi-domain crew (CRM + analytics) under the master supervisor, deterministic or with the LLM',
    description:
      'Submits comprehensive_crm_analysis as a crew_workflow for the self-test tenant and answers the checks on its steps and result. Uses the LLM when one is configured, the deterministic path otherwise.',
  })
  @ApiOkResponse({
    description: 'status "success" when every check passed.',
    schema: {
      example: {
        test_type: 'complex_workflow',
        status: 'success',
        checks: { completed: true, crew_workflow: true, crm: true, analytics: true },
        result: {},
      },
    },
  })
  async complex(@RequestId() requestId: string | undefined): Promise<SelfTestAnswer> {
    const { task } = await this.execution.submit({
      ...BASE,
      requestId,
      type: 'comprehensive_crm_analysis',
      description: 'Self-test: comprehensive CRM analysis across CRM and analytics',
      requiresAi: true,
      multiDomain: true,
      timeoutS: 120,
      parameters: {
        leads: [
          { email: 'cto@techcorp.com', company: 'TechCorp', role: 'CTO', engagement_score: 85, website_visits: 12 },
          { email: 'student@gmail.com', role: 'Student', engagement_score: 15, website_visits: 1 },
        ],
        customers: [
          { customer_id: 'c1', ltv: 15000, engagement_score: 92, churn_risk: 0.1 },
          { customer_id: 'c2', ltv: 400, engagement_score: 22, churn_risk: 0.8 },
          { customer_id: 'c3', ltv: 13200, engagement_score: 87, churn_risk: 0.15 },
          { customer_id: 'c4', ltv: 350, engagement_score: 30, churn_risk: 0.7 },
        ],
        metrics: { weekly_signups: [40, 42, 45, 47, 160, 50, 53] },
      },
    });
    const agents = new Set(task.agentsUsed);
    const checks = {
      completed: task.status === 'completed',
      crew_workflow: task.strategy === 'crew_workflow' && task.fallbackChain.at(-1) === 'crew_workflow',
      master: agents.has('master_business_supervisor'),
      crm: agents.has('crm_supervisor'),
      analytics: agents.has('analytics_supervisor'),
    };
    return {
      test_type: 'complex_workflow',
      status: Object.values(checks).every(Boolean) ? 'success' : 'failure',
      checks,
      result: toExecuteResponse(task),
    };
  }
}
