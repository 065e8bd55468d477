import { Injectable } from '@nestjs/common';
import { IsNumber, IsObject, IsOptional, Max, Min } from 'class-validator';
import type { AgentDefinition, ToolDefinition } from '../../agents/agent.types.js';
import { DomainSupervisor, type DomainSupervisorProvider } from '../../delegation/domain-supervisor.js';
import type { TaskTypeDefinition } from '../../delegation/task-type.js';
import { ANALYTICS_AGENTS } from './analytics.agents.js';
import { analyzeMetric, MIN_POINTS } from './insights.js';

export class InsightsParams {
  /** Metric name → values in time order, e.g. {"revenue": [120, 130, 90, 400]}. */
  @IsObject()
  metrics: Record<string, number[]>;

  @IsOptional()
  @IsNumber()
  @Min(1)
  @Max(10)
  z_threshold?: number;
}

const MAX_METRICS = 50;
const MAX_POINTS = 10_000;

function checkMetrics(parameters: InsightsParams): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const entries = Object.entries(parameters.metrics);
  if (entries.length === 0) errors.push({ field: 'metrics', message: 'give at least one metric series' });
  if (entries.length > MAX_METRICS) errors.push({ field: 'metrics', message: `at most ${MAX_METRICS} metrics` });
  for (const [name, values] of entries) {
    if (!Array.isArray(values)) errors.push({ field: `metrics.${name}`, message: 'must be an array of numbers in time order' });
    else if (values.length > MAX_POINTS) errors.push({ field: `metrics.${name}`, message: `at most ${MAX_POINTS} points` });
    else if (!values.every((v) => typeof v === 'number' && Number.isFinite(v)))
      errors.push({ field: `metrics.${name}`, message: 'must contain only finite numbers' });
  }
  return errors;
}

const INSIGHTS_RESULT_SCHEMA = {
  type: 'object',
  required: ['metrics', 'summary'],
  properties: {
    metrics: { type: 'array', items: { type: 'object' } },
    summary: {
      type: 'object',
      properties: { analysed: { type: 'integer' }, not_enough_data: { type: 'integer' }, anomalies: { type: 'integer' } },
    },
  },
};

/** The analytics domain: metric insights (least-squares trend, robust z-score anomalies). */
@Injectable()
@DomainSupervisor()
export class AnalyticsSupervisor implements DomainSupervisorProvider {
  readonly domain = 'analytics' as const;

  agents(): AgentDefinition[] {
    return ANALYTICS_AGENTS;
  }

  tools(): ToolDefinition[] {
    return [];
  }

  taskTypes(): TaskTypeDefinition[] {
    const insights: TaskTypeDefinition<InsightsParams> = {
      type: 'analytics_insights_generation',
      domain: 'analytics',
      description: `Trend (least squares) and anomalies (robust z-score, median/MAD) for each metric series; series under ${MIN_POINTS} points are reported as not enough data.`,
      complexity: 'moderate',
      strategy: 'single_agent',
      supportedStrategies: ['single_agent', 'multi_agent', 'crew_workflow'],
      requiresAi: true,
      agent: 'analytics_insights_specialist',
      parameters: InsightsParams,
      resultSchema: INSIGHTS_RESULT_SCHEMA,
      check: checkMetrics,
      run: (_context, parameters) => {
        const threshold = parameters.z_threshold ?? 3.5;
        const metrics = Object.entries(parameters.metrics).map(([name, values]) => analyzeMetric(name, values, threshold));
        return Promise.resolve({
          aiMode: 'deterministic',
          result: {
            metrics,
            summary: {
              analysed: metrics.filter((m) => m.status === 'ok').length,
              not_enough_data: metrics.filter((m) => m.status === 'not_enough_data').length,
              anomalies: metrics.reduce((sum, m) => sum + m.anomalies.length, 0),
              z_threshold: threshold,
            },
          },
        });
      },
    };
    return [insights as unknown as TaskTypeDefinition];
  }
}
