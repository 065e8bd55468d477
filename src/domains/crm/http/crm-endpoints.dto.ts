import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from '../../../common/tenant.js';
import { PENDING_METRICS_EXAMPLE, TaskLinksDto, TaskMetricsDto } from '../../../tasks/dto/task-response.dto.js';

/**
 * Request bodies of /api/crew/crm/*, exactly as the reference README sends them, plus the tenant context the
 * Brain adds (tenant_id, user_id, session_id). Field rules are checked by the task type (422 names the field).
 */
class TenantContextBody {
  @ApiPropertyOptional({ example: 'client_123', description: `Or the X-Tenant-ID header. ${TENANT_ID_RULE}.` })
  @IsOptional()
  @IsString()
  @Matches(TENANT_ID_PATTERN, { message: `must be ${TENANT_ID_RULE}` })
  tenant_id?: string;

  @ApiPropertyOptional({ example: 'user_456' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  user_id?: string;

  @ApiPropertyOptional({ example: 'session_789' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  session_id?: string;
}

export class LeadScoringBody extends TenantContextBody {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      "One lead: email, company, role (or title), company_size, engagement_score, website_visits, demo_requested, pricing_page_visits, content_downloads, days_since_last_activity or last_activity_at. Without lead_data and leads the tenant's stored leads are scored.",
    example: { email: 'prospect@company.com', company: 'TechCorp Inc', role: 'CTO', engagement_score: 85, website_visits: 12 },
  })
  @IsOptional()
  lead_data?: unknown;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, description: 'Several leads, answered as a ranked list.' })
  @IsOptional()
  leads?: unknown;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Weights ≥ 0, not all 0 (default 0.4/0.3/0.3); normalised when they do not sum to 1.',
    example: { engagement_weight: 0.3, demographic_weight: 0.4, behavior_weight: 0.3 },
  })
  @IsOptional()
  scoring_criteria?: unknown;
}

export class SegmentationBody extends TenantContextBody {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    description:
      "Customers: customer_id (unique), ltv ≥ 0, engagement_score 0–100, churn_risk 0–1, and for rfm recency/frequency/monetary, for lifecycle tenure/recency. Without it the tenant's stored customers are segmented.",
  })
  @IsOptional()
  customer_data?: unknown;

  @ApiPropertyOptional({ enum: ['behavioral', 'value_based', 'rfm', 'lifecycle'], default: 'behavioral' })
  @IsOptional()
  segmentation_type?: unknown;

  @ApiPropertyOptional({ minimum: 1, maximum: 10, description: 'At most the number of customers; chosen by silhouette when absent.' })
  @IsOptional()
  segment_count?: unknown;
}

export class NurturingCampaignBody extends TenantContextBody {
  @ApiProperty({ type: [String], example: ['high_value_prospects', 'warm_leads'], description: '1–20 non-empty segment names.' })
  @IsOptional()
  lead_segments?: unknown;

  @ApiProperty({ example: 'Convert prospects to demos', description: '1–500 characters.' })
  @IsOptional()
  campaign_objective?: unknown;

  @ApiPropertyOptional({ example: 30, minimum: 1, maximum: 365, default: 30 })
  @IsOptional()
  duration_days?: unknown;

  @ApiPropertyOptional({ enum: ['daily', 'twice_weekly', 'weekly', 'biweekly', 'monthly'], default: 'weekly' })
  @IsOptional()
  touchpoint_frequency?: unknown;

  @ApiPropertyOptional({ example: '2026-03-03', description: 'First day (YYYY-MM-DD); day 0 is a Tuesday when absent.' })
  @IsOptional()
  start_date?: unknown;
}

export class PipelineOptimizationBody extends TenantContextBody {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'stages (ordered array of {name, count, days_in_stage?} or an object stage → count), conversion_rates (stage or "a_to_b" → rate 0–1, or all as percentages), average_deal_size > 0, sales_cycle_length > 0 days.',
    example: {
      stages: { lead: 200, qualified: 80, proposal: 40, negotiation: 20 },
      conversion_rates: { lead: 0.4, qualified: 0.5, proposal: 0.5, negotiation: 0.5 },
      average_deal_size: 25000,
      sales_cycle_length: 45,
    },
  })
  @IsOptional()
  pipeline_data?: unknown;
}

export class ComprehensiveAnalysisBody extends TenantContextBody {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    description: 'Leads as in lead_data: scored, then a nurturing plan for their segments.',
  })
  @IsOptional()
  leads?: unknown;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    description: 'Customers as in customer_data: segmented and ranked by churn risk.',
  })
  @IsOptional()
  customers?: unknown;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Nurturing settings: campaign_objective, duration_days, touchpoint_frequency, start_date, lead_segments (from the scored leads when absent).',
  })
  @IsOptional()
  campaigns?: unknown;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The funnel, as pipeline_data.' })
  @IsOptional()
  pipeline?: unknown;

  @ApiPropertyOptional({ minimum: 1, maximum: 10, description: 'Customer segments (min(4, customers) when absent).' })
  @IsOptional()
  segment_count?: unknown;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' }, description: 'Lead scoring weights.' })
  @IsOptional()
  scoring_criteria?: unknown;
}

/** The answer of every /crm/* operation. */
export class CrmOperationResponseDto {
  @ApiProperty({ format: 'uuid' }) task_id: string;
  @ApiProperty({ example: 'crm_lead_scoring' }) task_type: string;
  @ApiProperty({ example: 'completed' }) status: string;
  @ApiProperty({
    nullable: true,
    description: 'The computed result (schema in GET /catalogue); `narrative` is the LLM explanation, null without one.',
  })
  result: unknown;
  @ApiProperty({ example: '2026-03-03T10:15:00.000Z', description: 'When the task finished (or now, if it is still running).' })
  timestamp: string;
  @ApiPropertyOptional({ example: 'crm_lead_specialist', description: 'The specialist that owns the operation (single operations).' })
  agent_used?: string;
  @ApiProperty({ type: [String], example: ['crm_lead_specialist'] }) agents_used: string[];
  @ApiProperty({ enum: ['llm', 'deterministic'], example: 'deterministic' }) ai_mode: string;
  @ApiProperty({ type: TaskMetricsDto }) metrics: TaskMetricsDto;
  @ApiProperty({ example: 'single_agent', nullable: true, type: String }) strategy_used: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 0.021, description: 'Seconds.' }) execution_time: number | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: String }) guidance: string | null;
  @ApiProperty({ type: TaskLinksDto }) links: TaskLinksDto;
}

/** A 202 answer of a /crm/* operation: the task was still running when the request's wait ended. */
export const CRM_ACCEPTED_EXAMPLE: CrmOperationResponseDto = {
  task_id: 'f9156ae4-cbd3-4c42-a4e9-6845d3bedaa6',
  task_type: 'crm_lead_scoring',
  status: 'pending',
  result: null,
  timestamp: '2026-03-03T10:15:00.000Z',
  agent_used: 'crm_lead_specialist',
  agents_used: [],
  ai_mode: 'deterministic',
  metrics: PENDING_METRICS_EXAMPLE,
  strategy_used: 'single_agent',
  execution_time: null,
  error: null,
  guidance: null,
  links: {
    self: '/api/crew/task/f9156ae4-cbd3-4c42-a4e9-6845d3bedaa6',
    events: '/api/crew/task/f9156ae4-cbd3-4c42-a4e9-6845d3bedaa6/events',
  },
};
