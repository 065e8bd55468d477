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
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ORDER_STATUSES } from '../entities/order.entity.js';
import { PageParams } from '../../shared/dto/page.params.js';
import { MAX_MONEY, MONEY } from '../../shared/dto/money.js';
import { SKU_PATTERN, SKU_RULE } from './product.params.js';

export const MAX_ORDER_LINES = 200;
export const MAX_LINE_QUANTITY = 1_000_000;

export class OrderListParams extends PageParams {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  customer_ref?: string;

  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: string;

  /** Orders placed at or after this instant. */
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  /** Orders placed before this instant. */
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class OrderLocatorParams {
  @IsUUID()
  order_id: string;
}

/** One line: the product by id or SKU, the quantity, and the unit price (the product's price when absent). */
export class OrderLineInput {
  @IsOptional()
  @IsUUID()
  product_id?: string;

  @IsOptional()
  @Matches(SKU_PATTERN, { message: `sku ${SKU_RULE}` })
  sku?: string;

  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity: number;

  @IsOptional()
  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  unit_price?: number;
}

export class CreateOrderParams {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  customer_ref: string;

  /** When the order was placed (now). */
  @IsOptional()
  @IsISO8601({ strict: true })
  ordered_at?: string;

  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_LINES)
  @ValidateNested({ each: true })
  @Type(() => OrderLineInput)
  items: OrderLineInput[];

  /** Take the ordered units off stock_on_hand (true); false records a historical order without touching stock. */
  @IsOptional()
  @IsBoolean()
  update_stock?: boolean;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  external_id?: string;
}

export class UpdateOrderStatusParams {
  @IsUUID()
  order_id: string;

  @IsIn(ORDER_STATUSES)
  status: string;
}
