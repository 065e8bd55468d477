/** Parameters of the lead task types. */
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
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { jsonValue } from '../../../tasks/result-schema.js';
import { FINITE, MAX_INT, LEAD_STATUSES, IsCompanySize, PageParams } from './crm-records.params.js';

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
