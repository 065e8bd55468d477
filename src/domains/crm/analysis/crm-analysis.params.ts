import { IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import {
  type ChurnCustomer,
  type CustomerRecord,
  type LeadData,
  type PipelineData,
  SEGMENTATION_TYPES,
  type ScoringCriteria,
} from '../algorithms/index.js';

export class LeadScoringParams {
  /** One lead (the reference README's body). Without lead_data and leads, the tenant's stored leads are scored. */
  @IsOptional()
  @IsObject()
  lead_data?: LeadData;

  /** Several leads, answered as a ranked list. */
  @IsOptional()
  @IsArray()
  leads?: LeadData[];

  /** demographic_weight, engagement_weight, behavior_weight (≥ 0; normalised when they do not sum to 1). */
  @IsOptional()
  @IsObject()
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
  pipeline_data: PipelineData;
}

export class ChurnAnalysisParams {
  /** Customers with churn signals; without it the tenant's stored customers are analysed. */
  @IsOptional()
  @IsArray()
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
  leads?: LeadData[];

  @IsOptional()
  @IsArray()
  customers?: CustomerRecord[];

  /** Nurturing settings {campaign_objective?, duration_days?, touchpoint_frequency?, start_date?, lead_segments?}. */
  @IsOptional()
  @IsObject()
  campaigns?: CampaignSettings;

  /** The funnel, as pipeline_data of crm_pipeline_optimization. */
  @IsOptional()
  @IsObject()
  pipeline?: PipelineData;

  /** Metric name → values in time order (analysed by the analytics domain in a crew). */
  @IsOptional()
  @IsObject()
  metrics?: Record<string, number[]>;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  segment_count?: number;

  @IsOptional()
  @IsObject()
  scoring_criteria?: ScoringCriteria;
}
