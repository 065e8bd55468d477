import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/api-problem-responses.js';
import { ValidationProblem } from '../common/problem.js';
import { resolveTenant } from '../common/tenant.js';
import { validateDto } from '../common/validation.js';
import { ExecuteTaskDto } from '../tasks/dto/execute-task.dto.js';
import { DelegationService } from '../delegation/delegation.service.js';
import { TaskTypeRegistry } from '../delegation/task-type.registry.js';

@ApiTags('tasks')
@Controller('delegation')
export class DelegationController {
  constructor(
    private readonly delegation: DelegationService,
    private readonly registry: TaskTypeRegistry,
  ) {}

  @Post('analyze')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Pre-flight: how an execute body would run (decision, estimates, budget check) without creating a task',
    description:
      'Takes the body of POST /execute and answers the delegation decision (complexity, strategy, confidence, rule), its cost and time estimates and the tenant budget check. Nothing is stored or run.',
  })
  @ApiBody({
    type: ExecuteTaskDto,
    examples: {
      churn: {
        summary: 'AI analysis at 5,000 rows',
        value: {
          type: 'analyze_customer_churn',
          description: 'Predict customer churn risk',
          tenant_id: 'client_123',
          requires_ai: true,
          data_volume: 5000,
        },
      },
    },
  })
  @ApiOkResponse({
    description: 'The decision the engine would take now.',
    schema: {
      example: {
        in_catalogue: true,
        delegation: {
          complexity: 'moderate',
          category: 'data_analysis',
          strategy: 'single_agent',
          confidence: 0.85,
          reasoning: 'Rule ai_moderate_single_agent: …',
          estimated_cost: 0.0012,
          estimated_time: 20,
          estimate_source: 'static',
          risk: 'low',
          rule: 'ai_moderate_single_agent',
          complexity_score: 2,
        },
        budget: { allowed: true, remaining: null, reason: 'No daily budget is set for this tenant.' },
        recommendations: [],
      },
    },
  })
  @ApiProblems(400, 413, 422)
  async analyze(@Body() dto: ExecuteTaskDto, @Headers('x-tenant-id') tenantHeader?: string): Promise<Record<string, unknown>> {
    resolveTenant(tenantHeader, dto.tenant_id);
    const definition = this.registry.get(dto.type);
    if (definition && dto.parameters) await validateDto(definition.parameters, dto.parameters, 'parameters');
    if (definition && dto.domain && definition.domain !== 'system' && definition.domain !== dto.domain) {
      throw new ValidationProblem([{ field: 'domain', message: `${dto.type} belongs to domain ${definition.domain}, not ${dto.domain}` }]);
    }
    const { analysis, recommendations } = await this.delegation.decide(definition, {
      type: dto.type,
      description: dto.description,
      dataVolume: dto.data_volume ?? 0,
      requiresAi: dto.requires_ai ?? false,
      multiDomain: dto.multi_domain ?? false,
      parameters: dto.parameters,
      preferredStrategy: dto.preferred_strategy,
      forceCrew: dto.force_crew ?? false,
    });
    return {
      in_catalogue: definition !== undefined,
      delegation: {
        complexity: analysis.complexity,
        category: analysis.category,
        strategy: analysis.strategy,
        confidence: analysis.confidence,
        reasoning: analysis.reasoning,
        estimated_cost: analysis.estimatedCost,
        estimated_time: analysis.estimatedTime,
        estimate_source: analysis.estimateSource,
        risk: analysis.risk,
        rule: analysis.rule,
        complexity_score: analysis.complexityScore,
        signals: analysis.signals,
      },
      budget: analysis.budget,
      recommendations,
    };
  }
}
