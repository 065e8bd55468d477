/** What the CRM record parameters share: limits, the company-size rule, the record locator and paging. */
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateBy, type ValidationOptions } from 'class-validator';
import { employeesFromSize } from '../algorithms/index.js';

export const FINITE = { allowNaN: false, allowInfinity: false } as const;
export const MAX_INT = 2_147_483_647;

export const LEAD_STATUSES = ['new', 'contacted', 'nurturing', 'qualified', 'converted', 'disqualified'] as const;
export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Employees (a whole number ≥ 0) or a band such as "51-200" / "1000+" — what lead scoring understands. */
export function IsCompanySize(options?: ValidationOptions): PropertyDecorator {
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
