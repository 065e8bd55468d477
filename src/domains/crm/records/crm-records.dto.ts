import { PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { jsonValue } from '../../../tasks/result-schema.js';
import { MAX_MONEY } from '../../shared/dto/money.js';
import { employeesFromSize } from '../algorithms/index.js';

const FINITE = { allowNaN: false, allowInfinity: false } as const;
const MAX_INT = 2_147_483_647;

export const LEAD_STATUSES = ['new', 'contacted', 'nurturing', 'qualified', 'converted', 'disqualified'] as const;
export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Employees (a whole number ≥ 0) or a band such as "51-200" / "1000+" — what lead scoring understands. */
function IsCompanySize(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCompanySize',
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'number' || typeof value === 'string') && String(value).length <= 20 && employeesFromSize(value) !== undefined,
        defaultMessage: () => 'company_size must be a number of employees (≥ 0) or a band such as "51-200" or "1000+"',
      },
    },
    options,
  );
}

/** `id` (uuid) or `external_id` names one record of the tenant. */
export class RecordLocatorParams {
  @IsOptional()
  @IsUUID()
  id?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  external_id?: string;
}

export class PageParams {
  /** Page size, 1–100 (20). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** Rows to skip (offset pagination); not together with cursor. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;

  /** `next_cursor` of the previous page (cursor pagination). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  /** Name, email or company contains this (case-insensitive). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  search?: string;
}

// ---- customers ----

export class CreateCustomerParams {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  external_id?: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  company?: string;

  /** Lifetime value (≥ 0). */
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(MAX_MONEY)
  ltv?: number;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(100)
  engagement_score?: number;

  /** 0–1. */
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(1)
  churn_risk?: number;

  /** Change of the engagement score over the last period, in points (−100…100). */
  @IsOptional()
  @IsNumber(FINITE)
  @Min(-100)
  @Max(100)
  engagement_trend?: number;

  @IsOptional()
  @IsISO8601({ strict: true })
  last_activity_at?: string;

  /** Days since the last purchase or activity. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  recency?: number;

  /** Purchases in the period. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  frequency?: number;

  /** Spend in the period. */
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(MAX_MONEY)
  monetary?: number;

  /** Days since the customer started. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  tenure?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  support_tickets?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  payment_failures?: number;

  /** Free-form extra data. */
  @IsOptional()
  @IsObject()
  @JSONSchema({ additionalProperties: jsonValue(), description: 'Free-form extra data.' })
  attributes?: Record<string, unknown>;
}

// PartialType copies the validation rules, not the schema annotations of the fields it makes optional.
@JSONSchema({ properties: { attributes: { additionalProperties: jsonValue(), description: 'Free-form extra data.' } } })
export class UpdateCustomerParams extends PartialType(CreateCustomerParams) {
  /** The customer to change; without it `external_id` names the customer (and cannot be changed). */
  @IsOptional()
  @IsUUID()
  id?: string;
}

export class ListCustomersParams extends PageParams {
  @IsOptional()
  @IsEmail()
  email?: string;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  min_ltv?: number;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  max_ltv?: number;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(1)
  min_churn_risk?: number;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(1)
  max_churn_risk?: number;
}

// ---- leads ----

export class CreateLeadParams {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  external_id?: string;

  @IsEmail()
  @MaxLength(320)
  email: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  company?: string;

  /** Job title, e.g. "CTO", "VP Sales". */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  role?: string;

  /** Employees or a band such as "51-200" / "1000+". */
  @IsOptional()
  @IsCompanySize()
  // A function replaces what the generator infers from the union's design type (Object, an unresolvable reference).
  @JSONSchema(() => ({ type: ['number', 'string'], description: 'Employees (≥ 0), or a band such as "51-200" or "1000+".' }))
  company_size?: number | string;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(100)
  engagement_score?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  website_visits?: number;

  @IsOptional()
  @IsBoolean()
  demo_requested?: boolean;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  pricing_page_visits?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  content_downloads?: number;

  @IsOptional()
  @IsISO8601({ strict: true })
  last_activity_at?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  source?: string;

  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: string;

  /** A score from elsewhere (0–100); lead scoring of stored leads overwrites it. */
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(100)
  score?: number;

  @IsOptional()
  @IsObject()
  @JSONSchema({ additionalProperties: jsonValue(), description: 'Free-form extra data.' })
  attributes?: Record<string, unknown>;
}

// PartialType copies the validation rules, not the schema annotations of the fields it makes optional.
@JSONSchema((schema) => ({
  ...schema,
  properties: {
    ...schema.properties,
    attributes: { type: 'object', additionalProperties: jsonValue(), description: 'Free-form extra data.' },
    company_size: { type: ['number', 'string'], description: 'Employees (≥ 0), or a band such as "51-200" or "1000+".' },
  },
}))
export class UpdateLeadParams extends PartialType(CreateLeadParams) {
  /** The lead to change; without it `external_id` names the lead (and cannot be changed). */
  @IsOptional()
  @IsUUID()
  id?: string;
}

export class ListLeadsParams extends PageParams {
  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  company?: string;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(100)
  min_score?: number;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(100)
  max_score?: number;
}

// ---- deals ----

export class CreateDealParams {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  external_id?: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /** Pipeline stage, e.g. "qualified", "proposal", "closed_won". */
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  stage: string;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(MAX_MONEY)
  amount?: number;

  /** ISO 4217 code, e.g. "USD". */
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as USD' })
  currency?: string;

  /** Chance to close, 0–1. */
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(1)
  probability?: number;

  /** A customer of the same tenant. */
  @IsOptional()
  @IsUUID()
  customer_id?: string;

  /** A lead of the same tenant. */
  @IsOptional()
  @IsUUID()
  lead_id?: string;

  /** YYYY-MM-DD. */
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'expected_close_date must be a date in the form YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  expected_close_date?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  days_in_stage?: number;

  @IsOptional()
  @IsObject()
  @JSONSchema({ additionalProperties: jsonValue(), description: 'Free-form extra data.' })
  attributes?: Record<string, unknown>;
}

// PartialType copies the validation rules, not the schema annotations of the fields it makes optional.
@JSONSchema({ properties: { attributes: { additionalProperties: jsonValue(), description: 'Free-form extra data.' } } })
export class UpdateDealParams extends PartialType(CreateDealParams) {
  /** The deal to change; without it `external_id` names the deal (and cannot be changed). */
  @IsOptional()
  @IsUUID()
  id?: string;
}

export class ListDealsParams extends PageParams {
  @IsOptional()
  @IsString()
  @MaxLength(50)
  stage?: string;

  @IsOptional()
  @IsUUID()
  customer_id?: string;

  @IsOptional()
  @IsUUID()
  lead_id?: string;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  min_amount?: number;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  max_amount?: number;
}
