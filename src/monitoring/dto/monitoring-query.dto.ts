import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DOMAINS, STRATEGIES } from '../../tasks/task.types.js';
import { ALERT_METRICS } from '../alerts/alert-rules.js';
import { ALERT_LEVELS } from '../monitoring-settings.js';

export const METRIC_TYPES = ['execution_time', 'success_rate', 'throughput', 'queue_wait', 'cost', 'tokens', 'cache_hit_rate'] as const;
export type MetricType = (typeof METRIC_TYPES)[number];

export const EXPORT_FORMATS = ['json', 'csv'] as const;

/** Longest window a report may cover (30 days). */
export const MAX_HOURS = 720;

/** `true`/`false` in a query string (also 1/0); anything else stays as it is and fails @IsBoolean. */
function toBoolean({ value }: { value: unknown }): unknown {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
}

export class HoursQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_HOURS, default: 24, description: 'The window: tasks created in the last N hours.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HOURS)
  hours?: number;
}

export class MetricsQuery extends HoursQuery {
  @ApiPropertyOptional({ enum: METRIC_TYPES, default: 'execution_time', description: 'The metric of the series.' })
  @IsOptional()
  @IsIn(METRIC_TYPES, { message: `metric_type must be one of: ${METRIC_TYPES.join(', ')}` })
  metric_type?: MetricType;

  @ApiPropertyOptional({ enum: STRATEGIES, description: 'Only tasks of this strategy.' })
  @IsOptional()
  @IsIn(STRATEGIES, { message: `strategy must be one of: ${STRATEGIES.join(', ')}` })
  strategy?: string;

  @ApiPropertyOptional({ enum: DOMAINS, description: 'Only tasks of this domain.' })
  @IsOptional()
  @IsIn(DOMAINS, { message: `domain must be one of: ${DOMAINS.join(', ')}` })
  domain?: string;
}

export class ExportQuery extends HoursQuery {
  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    default: 'json',
    description: 'json: an object with the rows; csv: text with a header row.',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: `format must be one of: ${EXPORT_FORMATS.join(', ')}` })
  format?: (typeof EXPORT_FORMATS)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 100_000, default: 10_000, description: 'At most this many executions, oldest first.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  limit?: number;
}

export class OptimizeQuery extends HoursQuery {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Apply the safe recommendations (strategy downgrades) as routing overrides.',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'apply must be true or false' })
  apply?: boolean;
}

export class MonitoringToggleQuery {
  @ApiProperty({ type: Boolean, description: 'true: evaluate alerts (on every completion and on the schedule); false: stop.' })
  @Transform(toBoolean)
  @IsBoolean({ message: 'active must be true or false' })
  active: boolean;
}

export class AlertsQuery extends HoursQuery {
  @ApiPropertyOptional({ enum: ALERT_LEVELS, description: 'Only alerts of this level.' })
  @IsOptional()
  @IsIn(ALERT_LEVELS, { message: `level must be one of: ${ALERT_LEVELS.join(', ')}` })
  level?: (typeof ALERT_LEVELS)[number];

  @ApiPropertyOptional({ enum: ALERT_METRICS, description: 'Only alerts on this metric.' })
  @IsOptional()
  @IsIn(ALERT_METRICS, { message: `metric_type must be one of: ${ALERT_METRICS.join(', ')}` })
  metric_type?: (typeof ALERT_METRICS)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50, description: 'At most this many alerts.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
