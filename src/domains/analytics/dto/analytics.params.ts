import { JSONSchema, type targetConstructorToSchema } from 'class-validator-jsonschema';
import { jsonValue } from '../../../tasks/result-schema.js';
import { ArrayMaxSize, IsArray, IsInt, IsNumber, IsObject, IsOptional, Max, Min } from 'class-validator';

/** A JSON schema as class-validator-jsonschema takes it. */
type SchemaObject = ReturnType<typeof targetConstructorToSchema>;

/** Metric name → values in time order. */
const METRIC_SERIES: SchemaObject = {
  type: 'object',
  additionalProperties: { type: 'array', items: { type: 'number' }, description: 'The values in time order.' },
};

export class InsightsParams {
  /** Metric name → values in time order, e.g. {"revenue": [120, 130, 90, 400]}. */
  @IsObject()
  @JSONSchema(METRIC_SERIES)
  metrics: Record<string, number[]>;

  @IsOptional()
  @IsNumber()
  @Min(1)
  @Max(10)
  z_threshold?: number;
}

export class KpiSnapshotParams {
  /** Window in days for task KPIs and "created in window" counts (30 when absent). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  days?: number;
}

export class ActivityTrendsParams {
  /** Days of task history, one point per UTC day (14 when absent). */
  @IsOptional()
  @IsInt()
  @Min(3)
  @Max(365)
  days?: number;

  @IsOptional()
  @IsNumber()
  @Min(1)
  @Max(10)
  z_threshold?: number;
}

export class ReportParams {
  /** KPI window in days (30 when absent); task-history series use at most the last 90 of them. */
  @IsOptional()
  @IsInt()
  @Min(3)
  @Max(365)
  days?: number;

  /** Metric series to analyse (name → values in time order); the tenant's daily task activity when absent. */
  @IsOptional()
  @IsObject()
  @JSONSchema(METRIC_SERIES)
  metrics?: Record<string, number[]>;

  @IsOptional()
  @IsNumber()
  @Min(1)
  @Max(10)
  z_threshold?: number;

  /** Customers for the CRM part of a crew report (segmented by the CRM domain through the registry). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100_000)
  @JSONSchema({
    items: { type: 'object', required: ['customer_id'], additionalProperties: jsonValue() },
    description: 'Customers as in crm_customer_segmentation’s customer_data (checked by the CRM domain).',
  })
  customers?: Record<string, unknown>[];

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  segment_count?: number;
}
