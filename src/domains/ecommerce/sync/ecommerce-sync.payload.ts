import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MAX_LINE_QUANTITY } from '../dto/order.params.js';
import { MAX_MONEY, MONEY } from '../../shared/dto/money.js';
import { MAX_STOCK, SKU_PATTERN, SKU_RULE } from '../dto/product.params.js';
import { ORDER_STATUSES } from '../entities/order.entity.js';

export const MAX_SYNC_RECORDS = 10_000;

/** A product as the upstream shop answers it; `id` is its id upstream (stored as external_id). */
export class UpstreamProduct {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  id: string;

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

export class UpstreamProductsPayload {
  @IsArray()
  @ArrayMaxSize(MAX_SYNC_RECORDS)
  @ValidateNested({ each: true })
  @Type(() => UpstreamProduct)
  products: UpstreamProduct[];
}

export class UpstreamOrderLine {
  @Matches(SKU_PATTERN, { message: `sku ${SKU_RULE}` })
  sku: string;

  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity: number;

  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  unit_price: number;
}

export class UpstreamOrder {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  id: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  customer_ref: string;

  @IsISO8601({ strict: true })
  ordered_at: string;

  @IsIn(ORDER_STATUSES)
  status: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => UpstreamOrderLine)
  items: UpstreamOrderLine[];
}

export class UpstreamOrdersPayload {
  @IsArray()
  @ArrayMaxSize(MAX_SYNC_RECORDS)
  @ValidateNested({ each: true })
  @Type(() => UpstreamOrder)
  orders: UpstreamOrder[];
}
