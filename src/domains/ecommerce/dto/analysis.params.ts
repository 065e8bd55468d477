import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
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
import { ORDER_STATUSES } from '../entities/order.entity.js';
import { MAX_LINE_QUANTITY } from './order.params.js';
import { MAX_MONEY, MONEY } from '../../shared/dto/money.js';
import { MAX_STOCK, SKU_PATTERN, SKU_RULE } from './product.params.js';

export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_POSTED_PRODUCTS = 5_000;
export const MAX_POSTED_ORDERS = 50_000;
const RATIO = { allowNaN: false, allowInfinity: false } as const;

/** A product posted with the request instead of the tenant's stored products. */
export class PostedProduct {
  @Matches(SKU_PATTERN, { message: `sku ${SKU_RULE}` })
  sku: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  name?: string;

  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  stock_on_hand: number;

  @IsInt()
  @Min(0)
  @Max(365)
  lead_time_days: number;

  @IsOptional()
  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  unit_cost?: number;

  @IsOptional()
  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  ordering_cost?: number;

  @IsOptional()
  @IsNumber(RATIO)
  @Min(0)
  @Max(10)
  holding_cost_rate?: number;
}

export class PostedOrderLine {
  @Matches(SKU_PATTERN, { message: `sku ${SKU_RULE}` })
  sku: string;

  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity: number;
}

/** An order posted with the request instead of the tenant's stored orders. */
export class PostedOrder {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  order_id?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  customer_ref?: string;

  @IsISO8601({ strict: true })
  ordered_at: string;

  /** Cancelled and refunded orders are left out of demand and baskets. */
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: string;

  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => PostedOrderLine)
  items: PostedOrderLine[];
}

export class InventoryOptimizationParams {
  /** Products to analyse; the tenant's stored products when absent (give orders with them). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_POSTED_PRODUCTS)
  @ValidateNested({ each: true })
  @Type(() => PostedProduct)
  products?: PostedProduct[];

  /** Order history; the tenant's stored orders when absent (give products with them). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_POSTED_ORDERS)
  @ValidateNested({ each: true })
  @Type(() => PostedOrder)
  orders?: PostedOrder[];

  /** Last day of the demand window, YYYY-MM-DD (today UTC; the last posted order's day for posted orders). */
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'as_of must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  as_of?: string;

  /** Days of order history, days without sales included (90). */
  @IsOptional()
  @IsInt()
  @Min(7)
  @Max(730)
  window_days?: number;

  /** Probability of not running out during a lead time (0.95). */
  @IsOptional()
  @IsNumber(RATIO)
  @Min(0.5)
  @Max(0.9999)
  service_level?: number;

  /** Days with sales a product needs in the window to be analysed (3). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  min_demand_days?: number;

  /** Only this product. */
  @IsOptional()
  @Matches(SKU_PATTERN, { message: `sku ${SKU_RULE}` })
  sku?: string;
}

export class RecommendationParams {
  /** Order baskets; the tenant's stored orders when absent. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_POSTED_ORDERS)
  @ValidateNested({ each: true })
  @Type(() => PostedOrder)
  orders?: PostedOrder[];

  /** Share of orders containing both products (0.01). */
  @IsOptional()
  @IsNumber(RATIO)
  @Min(0)
  @Max(1)
  min_support?: number;

  /** Share of orders with A that also contain B (0.2). */
  @IsOptional()
  @IsNumber(RATIO)
  @Min(0)
  @Max(1)
  min_confidence?: number;

  /** Recommendations per product and per customer (5). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  top_n?: number;

  /** Only this product's recommendations. */
  @IsOptional()
  @Matches(SKU_PATTERN, { message: `sku ${SKU_RULE}` })
  sku?: string;

  /** Only this customer's recommendations. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  customer_ref?: string;

  /** Only stored orders placed at or after this instant. */
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;
}
