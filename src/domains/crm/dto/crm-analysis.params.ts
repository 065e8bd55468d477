import { applyDecorators } from '@nestjs/common';
import { IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { schemaRef } from '../../../agents/tool-schema.js';
import {
  type ChurnCustomer,
  type CustomerRecord,
  type LeadData,
  type PipelineData,
  SEGMENTATION_TYPES,
  type ScoringCriteria,
} from '../algorithms/index.js';
import {
  AnalysedCustomerDto,
  CampaignSettingsDto,
  ChurnCustomerDto,
  CustomerRecordDto,
  LeadDto,
  METRIC_SERIES_SCHEMA,
  PipelineDataDto,
  ScoringCriteriaDto,
} from './crm-inputs.dto.js';

/**
 * An array of `dto` items in the generated schema. Each item must be an object (a null or a number would reach
 * the algorithm as a record); the items' fields are checked by the algorithm's validator.
 */
const arrayOf = (dto: new () => object, description: string) =>
  applyDecorators(JSONSchema({ type: 'array', items: schemaRef(dto), description }), IsObject({ each: true }));
/** An object of `dto`'s shape in the generated schema. */
const objectOf = (dto: new () => object, description: string) => JSONSchema({ ...schemaRef(dto), description });

export class LeadScoringParams {
  /** One lead (the reference README's body). Without lead_data and leads, the tenant's stored leads are scored. */
  @IsOptional()
  @IsObject()
  @objectOf(LeadDto, 'One lead (answered with its score). Without lead_data and leads the tenant’s stored leads are scored.')
  lead_data?: LeadData;

  /** Several leads, answered as a ranked list. */
  @IsOptional()
  @IsArray()
  @arrayOf(LeadDto, 'Several leads (1–10,000), answered as a ranked list; not together with lead_data.')
  leads?: LeadData[];

  /** demographic_weight, engagement_weight, behavior_weight (≥ 0; normalised when they do not sum to 1). */
  @IsOptional()
  @IsObject()
  @objectOf(ScoringCriteriaDto, 'Lead scoring weights.')
  scoring_criteria?: ScoringCriteria;

  /** With no posted and no stored leads, answer null instead of failing (used inside comprehensive analysis). */
  @IsOptional()
  @IsBoolean()
  allow_empty?: boolean;
}

export class SegmentationParams {
  /** Customers to segment; without it the tenant's stored customers are segmented. */
  @IsOptional()
  @IsArray()
  @arrayOf(CustomerRecordDto, 'Customers to segment (1–100,000, unique customer_id).')
  customer_data?: CustomerRecord[];

  @IsOptional()
  @IsIn(SEGMENTATION_TYPES)
  segmentation_type?: string;

  /** 1–10; chosen by silhouette when absent. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  segment_count?: number;

  /** With no posted and no stored customers, answer null instead of failing (used inside comprehensive analysis). */
  @IsOptional()
  @IsBoolean()
  allow_empty?: boolean;
}

export class NurturingCampaignParams {
  /** 1–20 segment names, e.g. ["high_value_prospects", "warm_leads"]. */
  @IsArray()
  @JSONSchema({ minItems: 1, items: { type: 'string', minLength: 1 }, description: '1–20 distinct non-empty segment names.' })
  lead_segments: string[];

  /** 1–500 characters; the final call to action follows it (e.g. "demo" → book a demo). */
  @IsString()
  campaign_objective: string;

  /** 1–365 (30). */
  @IsOptional()
  @IsInt()
  duration_days?: number;

  /** daily, twice_weekly, weekly (default), biweekly or monthly. */
  @IsOptional()
  @IsString()
  touchpoint_frequency?: string;

  /** First day (YYYY-MM-DD); day 0 is a Tuesday when absent. */
  @IsOptional()
  @IsString()
  start_date?: string;
}

export class PipelineOptimizationParams {
  /** {stages, conversion_rates?, average_deal_size, sales_cycle_length}. */
  @IsObject()
  @objectOf(PipelineDataDto, 'The sales funnel.')
  pipeline_data: PipelineData;
}

export class ChurnAnalysisParams {
  /** Customers with churn signals; without it the tenant's stored customers are analysed. */
  @IsOptional()
  @IsArray()
  @arrayOf(ChurnCustomerDto, 'Customers with churn signals (1–100,000, unique customer_id).')
  customer_data?: ChurnCustomer[];

  /** Return only the first N of the ranking (the summary covers everyone). */
  @IsOptional()
  @IsInt()
  @Min(1)
  top_n?: number;

  /** With no posted and no stored customers, answer null instead of failing (used inside comprehensive analysis). */
  @IsOptional()
  @IsBoolean()
  allow_empty?: boolean;
}

/** Settings of the nurturing plan in a comprehensive analysis; segments come from the scored leads when absent. */
export interface CampaignSettings {
  lead_segments?: string[];
  campaign_objective?: string;
  duration_days?: number;
  touchpoint_frequency?: string;
  start_date?: string;
}

export class ComprehensiveAnalysisParams {
  @IsOptional()
  @IsArray()
  @arrayOf(LeadDto, 'Leads: scored, then a nurturing plan for their segments.')
  leads?: LeadData[];

  @IsOptional()
  @IsArray()
  @arrayOf(AnalysedCustomerDto, 'Customers (up to 100,000): segmented and ranked by churn risk.')
  customers?: CustomerRecord[];

  /** Nurturing settings {campaign_objective?, duration_days?, touchpoint_frequency?, start_date?, lead_segments?}. */
  @IsOptional()
  @IsObject()
  @objectOf(CampaignSettingsDto, 'Nurturing plan settings.')
  campaigns?: CampaignSettings;

  /** The funnel, as pipeline_data of crm_pipeline_optimization. */
  @IsOptional()
  @IsObject()
  @objectOf(PipelineDataDto, 'The funnel, as pipeline_data of crm_pipeline_optimization.')
  pipeline?: PipelineData;

  /** Metric name → values in time order (analysed by the analytics domain in a crew). */
  @IsOptional()
  @IsObject()
  @JSONSchema({ ...METRIC_SERIES_SCHEMA, description: 'Metric name → values in time order (insights by the analytics domain in a crew).' })
  metrics?: Record<string, number[]>;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  segment_count?: number;

  @IsOptional()
  @IsObject()
  @objectOf(ScoringCriteriaDto, 'Lead scoring weights.')
  scoring_criteria?: ScoringCriteria;
}
