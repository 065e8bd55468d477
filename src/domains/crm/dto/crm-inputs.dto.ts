import { applyDecorators } from '@nestjs/common';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { JSONSchema, type targetConstructorToSchema } from 'class-validator-jsonschema';
import { schemaRef } from '../../../agents/tool-schema.js';
import { Nullable } from '../../../common/validation.js';
import {
  CHURN_RANGES,
  CUSTOMER_RANGES,
  MAX_DURATION_DAYS,
  MAX_OBJECTIVE_LENGTH,
  MAX_SEGMENTS,
  MIN_DURATION_DAYS,
  TOUCHPOINT_FREQUENCIES,
} from '../algorithms/index.js';

/** A JSON schema as class-validator-jsonschema takes it. */
type SchemaObject = ReturnType<typeof targetConstructorToSchema>;

/*
 * The shapes of the CRM analyses' nested inputs (a customer, a lead, the pipeline…). The catalogue's parameter
 * schemas and the OpenAPI bodies are generated from these classes; their bounds come from the same rule tables
 * the algorithms' validators read (CUSTOMER_RANGES, CHURN_RANGES, …). Those validators check the items — one
 * pass over up to 100,000 customers with errors named `customer_data[3].ltv` — not class-validator's nested
 * validation, which costs seconds at that size and would refuse the open fields these objects allow
 * (docs/decisions.md §26).
 */

type Range = { min: number; max?: number };

/** An optional number in `range`; null counts as absent (imputed or ignored, as the algorithm documents). */
function RangedNumber(range: Range, description: string): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Nullable(),
    IsNumber(),
    Min(range.min),
    ...(range.max !== undefined ? [Max(range.max)] : []),
    JSONSchema({ type: ['number', 'null'], description }),
  );
}

function NullableString(description: string, format?: string): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Nullable(),
    IsString(),
    JSONSchema({ type: ['string', 'null'], description, ...(format ? { format } : {}) }),
  );
}

const ID = JSONSchema({ type: ['string', 'number'], description: 'Unique within the request: a non-empty string or a number.' });

/** Values of the fields a customer may carry beyond the named ones. */
const EXTRA_VALUE: SchemaObject = { type: ['number', 'string', 'boolean', 'null'] };

@JSONSchema({
  description: 'A customer to segment.',
  additionalProperties: {
    ...EXTRA_VALUE,
    description: 'Any other field: a number present on every customer joins behavioral clustering as a feature; other values are ignored.',
  },
})
export class CustomerRecordDto {
  @IsDefined()
  @ID
  customer_id: string | number;

  @RangedNumber(CUSTOMER_RANGES.ltv, 'Lifetime value (imputed with the median when absent).')
  ltv?: number | null;

  @RangedNumber(CUSTOMER_RANGES.engagement_score, 'Engagement 0–100 (imputed when absent).')
  engagement_score?: number | null;

  @RangedNumber(CUSTOMER_RANGES.churn_risk, 'Churn probability 0–1 (imputed when absent).')
  churn_risk?: number | null;

  @RangedNumber(CUSTOMER_RANGES.recency, 'Days since the last purchase or activity (required for rfm and lifecycle).')
  recency?: number | null;

  @RangedNumber(CUSTOMER_RANGES.frequency, 'Purchases in the period (required for rfm).')
  frequency?: number | null;

  @RangedNumber(CUSTOMER_RANGES.monetary, 'Spend in the period (required for rfm).')
  monetary?: number | null;

  @RangedNumber(CUSTOMER_RANGES.tenure, 'Days since the customer started (required for lifecycle).')
  tenure?: number | null;
}

@JSONSchema({
  description: 'A customer with churn signals; missing signals are listed per customer, not imputed.',
  additionalProperties: { ...EXTRA_VALUE, description: 'Any other field: ignored.' },
})
export class ChurnCustomerDto {
  @IsDefined()
  @ID
  customer_id: string | number;

  @RangedNumber(CHURN_RANGES.ltv, 'Lifetime value: revenue at risk = probability × ltv.')
  ltv?: number | null;

  @RangedNumber(CHURN_RANGES.days_since_last_activity, 'Days since the last activity.')
  days_since_last_activity?: number | null;

  @NullableString('ISO 8601 date of the last activity; used when days_since_last_activity is absent.', 'date-time')
  last_activity_at?: string | null;

  @RangedNumber(CHURN_RANGES.engagement_score, 'Engagement 0–100.')
  engagement_score?: number | null;

  @RangedNumber(CHURN_RANGES.engagement_trend, 'Change of the engagement score over the last period, in points (negative = falling).')
  engagement_trend?: number | null;

  @RangedNumber(CHURN_RANGES.support_tickets, 'Support tickets in the period.')
  support_tickets?: number | null;

  @RangedNumber(CHURN_RANGES.payment_failures, 'Failed payments in the period.')
  payment_failures?: number | null;

  @RangedNumber(CHURN_RANGES.tenure_days, 'Days since the customer started.')
  tenure_days?: number | null;

  @RangedNumber(CHURN_RANGES.churn_risk, 'A churn probability from elsewhere (0–1); it pulls the score halfway towards itself.')
  churn_risk?: number | null;
}

@JSONSchema({
  description:
    'A customer of a comprehensive analysis: segmented (the customer fields) and ranked by churn risk (the churn signals; recency and tenure stand in for days_since_last_activity and tenure_days).',
  additionalProperties: {
    ...EXTRA_VALUE,
    description: 'Any other field: a number present on every customer joins behavioral clustering as a feature; other values are ignored.',
  },
})
export class AnalysedCustomerDto extends CustomerRecordDto {
  @RangedNumber(CHURN_RANGES.days_since_last_activity, 'Days since the last activity (recency when absent).')
  days_since_last_activity?: number | null;

  @NullableString('ISO 8601 date of the last activity.', 'date-time')
  last_activity_at?: string | null;

  @RangedNumber(CHURN_RANGES.engagement_trend, 'Change of the engagement score over the last period, in points.')
  engagement_trend?: number | null;

  @RangedNumber(CHURN_RANGES.support_tickets, 'Support tickets in the period.')
  support_tickets?: number | null;

  @RangedNumber(CHURN_RANGES.payment_failures, 'Failed payments in the period.')
  payment_failures?: number | null;

  @RangedNumber(CHURN_RANGES.tenure_days, 'Days since the customer started (tenure when absent).')
  tenure_days?: number | null;
}

@JSONSchema({
  description: 'A lead to score.',
  additionalProperties: { ...EXTRA_VALUE, description: 'Any other field (e.g. a score from another system): ignored.' },
})
export class LeadDto {
  @IsOptional()
  @Nullable()
  @JSONSchema({ type: ['string', 'number', 'null'], description: 'Your id of the lead, echoed in a ranking.' })
  lead_id?: string | number | null;

  @IsOptional()
  @Nullable()
  @JSONSchema({ type: ['string', 'number', 'null'], description: 'Alternative name of lead_id.' })
  id?: string | number | null;

  @NullableString('A valid email address (a free-mail domain scores lower).', 'email')
  email?: string | null;

  @NullableString('Company name.')
  company?: string | null;

  @NullableString('Job title (title and job_title are read when role is absent).')
  role?: string | null;

  @NullableString('Job title, when role is absent.')
  title?: string | null;

  @NullableString('Job title, when role and title are absent.')
  job_title?: string | null;

  @IsOptional()
  @Nullable()
  @JSONSchema({
    type: ['number', 'string', 'null'],
    description: 'Employees (≥ 0), or a band such as "51-200" or "1000+".',
  })
  company_size?: number | string | null;

  @IsOptional()
  @Nullable()
  @IsNumber()
  @JSONSchema({ type: ['number', 'null'], description: 'Engagement score (0–100 scale; clamped).' })
  engagement_score?: number | null;

  @RangedNumber({ min: 0 }, 'Website visits.')
  website_visits?: number | null;

  @IsOptional()
  @Nullable()
  @IsBoolean()
  @JSONSchema({ type: ['boolean', 'null'], description: 'Whether the lead asked for a demo.' })
  demo_requested?: boolean | null;

  @RangedNumber({ min: 0 }, 'Pricing page visits.')
  pricing_page_visits?: number | null;

  @RangedNumber({ min: 0 }, 'Content downloads.')
  content_downloads?: number | null;

  @RangedNumber({ min: 0 }, 'Days since the last activity (engagement decays with it).')
  days_since_last_activity?: number | null;

  @NullableString('ISO 8601 date of the last activity; used when days_since_last_activity is absent.', 'date-time')
  last_activity_at?: string | null;
}

@JSONSchema({
  description: 'Weights ≥ 0, not all 0 (default 0.4 / 0.3 / 0.3); normalised when they do not sum to 1.',
  additionalProperties: false,
})
export class ScoringCriteriaDto {
  @RangedNumber({ min: 0 }, 'Weight of fit (role, company size, email).')
  demographic_weight?: number | null;

  @RangedNumber({ min: 0 }, 'Weight of engagement.')
  engagement_weight?: number | null;

  @RangedNumber({ min: 0 }, 'Weight of behaviour (visits, demo, pricing page, downloads).')
  behavior_weight?: number | null;
}

@JSONSchema({ description: 'One funnel stage, in stage order.' })
export class PipelineStageDto {
  @IsString()
  @MinLength(1)
  @JSONSchema({ description: 'Stage name; closed_won/won and closed_lost/lost are terminal.' })
  name: string;

  @IsNumber()
  @Min(0)
  @JSONSchema({ description: 'Deals in the stage.' })
  count: number;

  @RangedNumber({ min: 0 }, 'Average days a deal spends in the stage.')
  days_in_stage?: number | null;
}

const STAGE_COUNT: SchemaObject = {
  oneOf: [
    { type: 'number', minimum: 0, description: 'Deals in the stage.' },
    {
      type: 'object',
      required: ['count'],
      properties: { count: { type: 'number', minimum: 0 }, days_in_stage: { type: ['number', 'null'], minimum: 0 } },
      additionalProperties: false,
    },
  ],
};

@JSONSchema({ description: 'The sales funnel.', additionalProperties: false })
export class PipelineDataDto {
  @IsDefined()
  @JSONSchema({
    description: 'Ordered stages, or an object stage → count (its key order is the stage order).',
    oneOf: [
      { type: 'array', minItems: 1, items: schemaRef(PipelineStageDto) },
      { type: 'object', minProperties: 1, additionalProperties: STAGE_COUNT },
    ],
  })
  stages: PipelineStageDto[] | Record<string, number | { count: number; days_in_stage?: number }>;

  @IsOptional()
  @JSONSchema({
    description:
      'Rates 0–1 (or all as percentages): keyed by a stage (its rate to the next) or "a_to_b", or an array in stage order. Implied from the counts when absent.',
    oneOf: [
      { type: 'object', additionalProperties: { type: 'number', minimum: 0 } },
      { type: 'array', items: { type: 'number', minimum: 0 } },
    ],
  })
  conversion_rates?: Record<string, number> | number[];

  @IsDefined()
  @IsNumber()
  @JSONSchema({ exclusiveMinimum: 0, description: 'Average won deal value (> 0).' })
  average_deal_size: number;

  @IsDefined()
  @IsNumber()
  @JSONSchema({ exclusiveMinimum: 0, description: 'Days from lead to close (> 0).' })
  sales_cycle_length: number;
}

@JSONSchema({ description: 'Nurturing settings of a comprehensive analysis.', additionalProperties: false })
export class CampaignSettingsDto {
  @IsOptional()
  @IsArray()
  @JSONSchema({
    minItems: 1,
    items: { type: 'string', minLength: 1 },
    description: `1–${MAX_SEGMENTS} distinct non-empty segment names; from the scored leads when absent.`,
  })
  lead_segments?: string[];

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_OBJECTIVE_LENGTH)
  campaign_objective?: string;

  @IsOptional()
  @IsInt()
  @Min(MIN_DURATION_DAYS)
  @Max(MAX_DURATION_DAYS)
  duration_days?: number;

  @IsOptional()
  @IsIn(TOUCHPOINT_FREQUENCIES)
  touchpoint_frequency?: string;

  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @JSONSchema({ format: 'date', description: 'First day (YYYY-MM-DD).' })
  start_date?: string;
}

/** Metric name → values in time order. */
export const METRIC_SERIES_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: { type: 'array', items: { type: 'number' }, description: 'The metric’s values in time order.' },
};
