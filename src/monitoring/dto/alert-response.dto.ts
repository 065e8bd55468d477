import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STRATEGIES } from '../../tasks/task.types.js';
import { ALERT_METRICS } from '../alerts/alert-rules.js';
import { ALERT_LEVELS } from '../monitoring-settings.js';

/** DESIGN.md §10's alert shape, plus the window and webhook delivery state. */
export class AlertDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ALERT_LEVELS, example: 'warning' }) level: string;
  @ApiProperty({ example: 'High execution time detected: p95 120.5 s over the last 60 min (error threshold 120 s)' }) message: string;
  @ApiProperty({ enum: ALERT_METRICS, example: 'execution_time' }) metric_type: string;
  @ApiProperty({ example: 120.5 }) current_value: number;
  @ApiProperty({ example: 120 }) threshold: number;
  @ApiProperty({ type: [String], example: ['strategy:crew_workflow'] }) affected_components: string[];
  @ApiProperty({ type: [String], example: ['Review the complexity and data volume of the slowest task types'] })
  suggested_actions: string[];
  @ApiProperty({ format: 'date-time' }) timestamp: string;
  @ApiProperty({ example: 60 }) window_minutes: number;
  @ApiProperty({ enum: ['not_configured', 'pending', 'delivered', 'failed'], example: 'delivered' }) webhook_status: string;
}

export class AlertListDto {
  @ApiProperty({ type: [AlertDto] }) alerts: AlertDto[];
  @ApiProperty({ example: 1 }) count: number;
}

export class ThresholdsDto {
  @ApiProperty({ example: 60 }) warning: number;
  @ApiProperty({ example: 120 }) error: number;
  @ApiProperty({ example: 300 }) critical: number;
}

export class AlertThresholdsDto {
  @ApiProperty({ type: ThresholdsDto, description: 'p95 execution time, seconds (ALERT_EXECUTION_TIME_SECONDS).' })
  execution_time_seconds: ThresholdsDto;
  @ApiProperty({
    type: ThresholdsDto,
    example: { warning: 0.9, error: 0.8, critical: 0.7 },
    description: 'ALERT_SUCCESS_RATE (alerts at or below).',
  })
  success_rate: ThresholdsDto;
  @ApiProperty({ type: ThresholdsDto, example: { warning: 5, error: 20, critical: 50 }, description: 'ALERT_COST_PER_HOUR_USD.' })
  cost_per_hour_usd: ThresholdsDto;
  @ApiProperty({ type: ThresholdsDto, example: { warning: 30, error: 120, critical: 300 }, description: 'ALERT_QUEUE_WAIT_SECONDS.' })
  queue_wait_seconds: ThresholdsDto;
}

/** `POST /config/monitoring`. */
export class MonitoringConfigDto {
  @ApiProperty({ example: false }) active: boolean;
  @ApiProperty({ enum: ['config', 'runtime'], example: 'runtime' }) source: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) changed_at: string | null;
  @ApiProperty({ example: 60 }) window_minutes: number;
  @ApiProperty({ example: 5 }) min_samples: number;
  @ApiProperty({ example: 30 }) cooldown_minutes: number;
  @ApiProperty({ example: 60 }) evaluation_interval_seconds: number;
  @ApiProperty({ example: true }) webhook_configured: boolean;
  @ApiProperty({ type: AlertThresholdsDto }) thresholds: AlertThresholdsDto;
}

export class RecommendationDto {
  @ApiProperty({ enum: ['strategy', 'caching', 'cost', 'performance', 'reliability', 'scaling'], example: 'strategy' }) category: string;
  @ApiProperty({ enum: ['high', 'medium', 'low'], example: 'high' }) priority: string;
  @ApiPropertyOptional({ enum: STRATEGIES, example: 'crew_workflow' }) strategy?: string;
  @ApiPropertyOptional({ example: 'crm_comprehensive_analysis' }) task_type?: string;
  @ApiProperty({
    example:
      'Run crm_comprehensive_analysis as single_agent instead of crew_workflow: 100% of its tasks used one agent and finished in a median 4.2 s',
  })
  recommendation: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { completed_tasks: 12, median_seconds: 4.2, single_agent_share: 1, avg_cost_usd: 0.004 },
  })
  details: Record<string, number | string | null>;
  @ApiProperty({ example: 'Fewer LLM calls per task: no supervisor planning and synthesis around work one agent already does' })
  expected_impact: string;
  @ApiProperty({ example: true, description: 'POST /optimize?apply=true can apply it (a strategy downgrade).' }) applicable: boolean;
  @ApiProperty({ example: false, description: 'A routing override for it is in force.' }) applied: boolean;
}

export class RoutingOverrideDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String, example: 'crm_comprehensive_analysis', description: 'null: every task type.' }) task_type:
    string | null;
  @ApiProperty({ enum: STRATEGIES, example: 'crew_workflow' }) from_strategy: string;
  @ApiProperty({ enum: STRATEGIES, example: 'single_agent' }) to_strategy: string;
  @ApiProperty({ example: 'Run crm_comprehensive_analysis as single_agent instead of crew_workflow: …' }) reason: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

/** `POST /optimize`. */
export class OptimizeResponseDto {
  @ApiProperty({ format: 'date-time' }) generated_at: string;
  @ApiProperty({ example: 24 }) period_hours: number;
  @ApiProperty({ type: [RecommendationDto] }) recommendations: RecommendationDto[];
  @ApiProperty({ type: [RoutingOverrideDto], description: 'Overrides this request applied (apply=true).' })
  applied_now: RoutingOverrideDto[];
  @ApiProperty({ type: [RoutingOverrideDto], description: 'Every routing override in force.' }) active_overrides: RoutingOverrideDto[];
}
