/** Parameters of the deal task types. */
import { PartialType } from '@nestjs/swagger';
import {
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
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { jsonValue } from '../../../tasks/result-schema.js';
import { MAX_MONEY } from '../../shared/dto/money.js';
import { FINITE, MAX_INT, DATE_ONLY, PageParams } from './crm-records.params.js';

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
