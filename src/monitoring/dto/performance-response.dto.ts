import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AlertDto, RecommendationDto } from './alert-response.dto.js';
import { METRIC_TYPES } from './monitoring-query.dto.js';

export class PeriodDto {
  @ApiProperty({ example: 24 }) hours: number;
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
}

export class TotalsDto {
  @ApiProperty({ example: 150 }) executions: number;
  @ApiProperty({ example: 140 }) completed: number;
  @ApiProperty({ example: 6 }) failed: number;
  @ApiProperty({ example: 1 }) timed_out: number;
  @ApiProperty({ example: 1 }) cancelled: number;
  @ApiProperty({ example: 1 }) running: number;
  @ApiProperty({ example: 1 }) pending: number;
}

export class RateDto {
  @ApiProperty({ example: 40 }) executions: number;
  @ApiProperty({ example: 39, description: 'Tasks that ended as completed, failed or timed_out.' }) finished: number;
  @ApiProperty({ nullable: true, type: Number, example: 0.974 }) success_rate: number | null;
}

const RATES = { type: 'object', additionalProperties: { $ref: '#/components/schemas/RateDto' } } as const;
const TIMINGS = { type: 'object', additionalProperties: { $ref: '#/components/schemas/TimingDto' } } as const;

export class SuccessRatesDto {
  @ApiProperty({ nullable: true, type: Number, example: 0.953 }) overall: number | null;
  @ApiProperty({ ...RATES, example: { direct_db: { executions: 120, finished: 120, success_rate: 1 } } }) by_strategy: Record<
    string,
    RateDto
  >;
  @ApiProperty({ ...RATES, example: { crm: { executions: 30, finished: 29, success_rate: 0.828 } } }) by_domain: Record<string, RateDto>;
}

export class TimingDto {
  @ApiProperty({ nullable: true, type: Number, example: 2.4 }) avg_seconds: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 0.9 }) median_seconds: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 11.2 }) p95_seconds: number | null;
}

export class ExecutionTimeDto extends TimingDto {
  @ApiProperty({ nullable: true, type: Number, example: 58.1 }) max_seconds: number | null;
  @ApiProperty({ example: 146, description: 'Tasks measured (completed, failed or timed_out).' }) measured: number;
  @ApiProperty({ ...TIMINGS, example: { direct_db: { avg_seconds: 0.012, median_seconds: 0.01, p95_seconds: 0.03 } } }) by_strategy: Record<
    string,
    TimingDto
  >;
}

export class QueueWaitDto {
  @ApiProperty({ example: 26, description: 'Queued tasks that a worker picked up.' }) queued_tasks: number;
  @ApiProperty({ nullable: true, type: Number, example: 0.4 }) avg_seconds: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 1.9 }) p95_seconds: number | null;
  @ApiProperty({ nullable: true, type: Number, example: null, description: 'How long the oldest task still queued has waited.' })
  oldest_pending_seconds: number | null;
}

export class AgentUtilizationDto {
  @ApiProperty({ example: 'crm_lead_specialist' }) agent_id: string;
  @ApiProperty({ example: 12 }) tasks: number;
  @ApiProperty({ example: 30 }) steps: number;
  @ApiProperty({ example: 1 }) failed_steps: number;
  @ApiProperty({ example: 95.2, description: 'Sum of its step durations, seconds.' }) busy_seconds: number;
  @ApiProperty({ example: 0.0011, description: 'busy_seconds / window seconds.' }) utilization: number;
  @ApiProperty({ example: 0.25, description: 'Its share of all agent steps in the window.' }) share_of_steps: number;
  @ApiProperty({ example: 0.0123 }) cost_usd: number;
}

export class TokensDto {
  @ApiProperty({ example: 120000 }) input: number;
  @ApiProperty({ example: 30000 }) output: number;
  @ApiProperty({ example: 40000 }) cached: number;
  @ApiProperty({ example: 150000 }) total: number;
  @ApiProperty({ example: 210 }) llm_calls: number;
}

export class HourCostDto {
  @ApiProperty({ format: 'date-time', example: '2025-11-25T10:00:00.000Z' }) hour: string;
  @ApiProperty({ example: 12 }) executions: number;
  @ApiProperty({ example: 0.0412 }) cost_usd: number;
  @ApiProperty({ example: 15300 }) tokens: number;
}

export class TenantCostDto {
  @ApiProperty({ example: 'client_123' }) tenant_id: string;
  @ApiProperty({ example: 40 }) executions: number;
  @ApiProperty({ example: 0.31 }) cost_usd: number;
  @ApiProperty({ example: 82000 }) tokens: number;
}

export class TypeCostDto {
  @ApiProperty({ example: 'crm_lead_scoring' }) task_type: string;
  @ApiProperty({ example: 20 }) executions: number;
  @ApiProperty({ example: 0.21 }) cost_usd: number;
  @ApiProperty({ example: 0.0105 }) avg_cost_usd: number;
  @ApiProperty({ example: 52000 }) tokens: number;
}

export class CostDto {
  @ApiProperty({ example: 1.2345 }) total_usd: number;
  @ApiProperty({ type: [HourCostDto] }) per_hour: HourCostDto[];
  @ApiProperty({ type: [TenantCostDto], description: 'The 20 costliest tenants.' }) per_tenant: TenantCostDto[];
  @ApiProperty({ type: [TypeCostDto] }) per_task_type: TypeCostDto[];
}

export class CacheDto {
  @ApiProperty({ example: 12 }) hits: number;
  @ApiProperty({ nullable: true, type: Number, example: 0.08, description: 'hits / executions.' }) hit_rate: number | null;
}

export class PenaltyDto {
  @ApiProperty({ example: 'success rate 95.3%' }) reason: string;
  @ApiProperty({ example: 5 }) points: number;
}

export class HealthDto {
  @ApiProperty({ example: 95, minimum: 0, maximum: 100 }) score: number;
  @ApiProperty({ enum: ['healthy', 'degraded', 'unhealthy'], example: 'healthy' }) status: string;
  @ApiProperty({ type: [PenaltyDto] }) penalties: PenaltyDto[];
}

/** `GET /performance/summary`. */
export class PerformanceSummaryDto {
  @ApiProperty({ type: PeriodDto }) period: PeriodDto;
  @ApiProperty({ type: TotalsDto }) totals: TotalsDto;
  @ApiProperty({ type: SuccessRatesDto }) success_rate: SuccessRatesDto;
  @ApiProperty({ type: ExecutionTimeDto }) execution_time: ExecutionTimeDto;
  @ApiProperty({ type: QueueWaitDto }) queue_wait: QueueWaitDto;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { direct_db: 120, single_agent: 26 } })
  strategy_distribution: Record<string, number>;
  @ApiProperty({ type: [AgentUtilizationDto] }) agent_utilization: AgentUtilizationDto[];
  @ApiProperty({ type: TokensDto }) tokens: TokensDto;
  @ApiProperty({ type: CostDto }) cost: CostDto;
  @ApiProperty({ type: CacheDto }) cache: CacheDto;
  @ApiProperty({ type: HealthDto }) health: HealthDto;
  @ApiProperty({ type: [AlertDto], description: 'The 10 latest alerts of the window.' }) recent_alerts: AlertDto[];
  @ApiProperty({ type: [RecommendationDto] }) recommendations: RecommendationDto[];
  @ApiProperty({ format: 'date-time' }) generated_at: string;
}

export class SeriesPointDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the bucket.' }) timestamp: string;
  @ApiProperty({ nullable: true, type: Number, example: 2.4, description: 'null when the bucket has nothing to measure.' }) value:
    number | null;
  @ApiProperty({ example: 12, description: 'Tasks behind the value.' }) count: number;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 9.1, description: 'execution_time and queue_wait only.' }) p95?:
    number | null;
}

export class SeriesFiltersDto {
  @ApiProperty({ nullable: true, type: String, example: null }) strategy: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'crm' }) domain: string | null;
}

export class SeriesSummaryDto {
  @ApiProperty({ example: 146 }) count: number;
  @ApiProperty({ nullable: true, type: Number, example: 2.1, description: 'Over the whole window.' }) value: number | null;
}

/** `GET /performance/metrics`. */
export class MetricSeriesDto {
  @ApiProperty({ enum: METRIC_TYPES, example: 'execution_time' }) metric_type: string;
  @ApiProperty({ example: 'seconds' }) unit: string;
  @ApiProperty({ example: 24 }) hours: number;
  @ApiProperty({ example: 3600 }) bucket_seconds: number;
  @ApiProperty({ type: SeriesFiltersDto }) filters: SeriesFiltersDto;
  @ApiProperty({ type: [SeriesPointDto] }) points: SeriesPointDto[];
  @ApiProperty({ type: SeriesSummaryDto }) summary: SeriesSummaryDto;
}

export class ExecutionRowDto {
  @ApiProperty({ format: 'uuid' }) task_id: string;
  @ApiProperty({ format: 'uuid' }) workflow_id: string;
  @ApiProperty({ example: 'client_123' }) tenant_id: string;
  @ApiProperty({ example: 'get_task_list' }) type: string;
  @ApiProperty({ nullable: true, type: String }) domain: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'direct_db' }) strategy: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'simple' }) complexity: string | null;
  @ApiProperty({ example: 'completed' }) status: string;
  @ApiProperty({ nullable: true, type: String, example: 'deterministic' }) ai_mode: string | null;
  @ApiProperty({ example: 5 }) priority: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) started_at: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finished_at: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 12 }) duration_ms: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 0 }) queue_wait_ms: number | null;
  @ApiProperty({ example: 0 }) attempts: number;
  @ApiProperty({ example: 0 }) llm_calls: number;
  @ApiProperty({ example: 0 }) input_tokens: number;
  @ApiProperty({ example: 0 }) output_tokens: number;
  @ApiProperty({ example: 0 }) cached_tokens: number;
  @ApiProperty({ example: 0 }) cost_usd: number;
  @ApiProperty({ example: false }) cache_hit: boolean;
}

/** `POST /performance/export?format=json`. */
export class ExportResponseDto {
  @ApiProperty({ type: PeriodDto }) period: PeriodDto;
  @ApiProperty({ example: 146 }) count: number;
  @ApiProperty({ example: false, description: 'More executions matched than `limit`.' }) truncated: boolean;
  @ApiProperty({ type: [ExecutionRowDto] }) executions: ExecutionRowDto[];
}
