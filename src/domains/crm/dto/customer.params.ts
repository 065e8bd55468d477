/** Parameters of the customer task types. */
import { PartialType } from '@nestjs/swagger';
import {
  IsEmail,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { jsonValue } from '../../../tasks/result-schema.js';
import { MAX_MONEY } from '../../shared/dto/money.js';
import { FINITE, MAX_INT, PageParams } from './crm-records.params.js';

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
