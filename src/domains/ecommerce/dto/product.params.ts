import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotEquals,
} from 'class-validator';
import { MAX_MONEY, MONEY } from '../../shared/dto/money.js';
import { PageParams } from '../../shared/dto/page.params.js';
import { MOVEMENT_REASONS } from '../entities/inventory-movement.entity.js';

export const MAX_STOCK = 1_000_000_000;
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,99}$/;
export const SKU_RULE = 'must be 1–100 characters: letters, digits, . _ - / (starting with a letter or digit)';

export class ProductListParams extends PageParams {
  /** SKU or name contains this (case-insensitive). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  search?: string;

  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** One product of the tenant, by id or SKU. */
export class ProductLocatorParams {
  @IsOptional()
  @IsUUID()
  product_id?: string;

  @IsOptional()
  @Matches(SKU_PATTERN, { message: `sku ${SKU_RULE}` })
  sku?: string;
}

export class CreateProductParams {
  @Matches(SKU_PATTERN, { message: `sku ${SKU_RULE}` })
  sku: string;

  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name: string;

  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  price: number;

  /** Unit cost (for margins and the EOQ holding cost). */
  @IsOptional()
  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  cost?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  stock_on_hand?: number;

  /** Days from placing a replenishment order to receiving it (7). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  lead_time_days?: number;

  /** Cost of placing one replenishment order (0). */
  @IsOptional()
  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  ordering_cost?: number;

  /** Annual holding cost as a fraction of the unit cost (0.25). */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 4 })
  @Min(0)
  @Max(10)
  holding_cost_rate?: number;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  external_id?: string;
}

/** Changes the given fields; stock changes go through adjust_inventory so the ledger stays complete. */
export class UpdateProductParams {
  @IsUUID()
  product_id: string;

  @IsOptional()
  @Matches(SKU_PATTERN, { message: `sku ${SKU_RULE}` })
  sku?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name?: string;

  @IsOptional()
  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  price?: number;

  @IsOptional()
  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  cost?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  lead_time_days?: number;

  @IsOptional()
  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  ordering_cost?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 4 })
  @Min(0)
  @Max(10)
  holding_cost_rate?: number;

  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export const ADJUSTMENT_REASONS = MOVEMENT_REASONS.filter((reason) => reason !== 'sale');

export class AdjustInventoryParams {
  @IsUUID()
  product_id: string;

  /** Units added (receipt, return) or removed (damage, negative adjustment); not 0. */
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_STOCK)
  @Max(MAX_STOCK)
  quantity_change: number;

  @IsIn(ADJUSTMENT_REASONS)
  reason: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
