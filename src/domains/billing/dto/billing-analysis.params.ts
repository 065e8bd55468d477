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
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Nullable } from '../../../common/validation.js';
import { PAYMENT_STATUSES } from '../entities/payment.entity.js';
import { SUBSCRIPTION_STATUSES } from '../entities/subscription.entity.js';
import { MAX_MONEY, MONEY } from '../../shared/dto/money.js';

const RATIO = { allowNaN: false, allowInfinity: false } as const;
export const MAX_POSTED_ROWS = 50_000;

/** A subscription's billed (net) MRR from `effective_at` on; 0 when it ends. */
export class PostedMrrEvent {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  customer_ref: string;

  /** Tells a customer's subscriptions apart (the customer when absent). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  subscription_ref?: string;

  @IsISO8601({ strict: true })
  effective_at: string;

  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  mrr: number;
}

export class RevenueAnalysisParams {
  /** Start of the period (inclusive); the first day of last month (UTC) when absent. */
  @IsOptional()
  @IsISO8601({ strict: true })
  period_start?: string;

  /** End of the period (exclusive); the first day of this month (UTC) when absent. */
  @IsOptional()
  @IsISO8601({ strict: true })
  period_end?: string;

  /** MRR changes; the tenant's stored subscription history when absent. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_POSTED_ROWS)
  @ValidateNested({ each: true })
  @Type(() => PostedMrrEvent)
  mrr_events?: PostedMrrEvent[];
}

export class PlanInput {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  plan: string;

  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  monthly_price: number;

  /** Seats the plan allows; null for unlimited. */
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  seat_limit: number | null;
}

export class PostedSubscription {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subscription_ref?: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  customer_ref: string;

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  plan: string;

  /** List MRR before the discount. */
  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  mrr: number;

  @IsInt()
  @Min(0)
  @Max(1_000_000)
  seats: number;

  @IsOptional()
  @IsNumber(MONEY)
  @Min(0)
  @Max(100)
  discount_pct?: number;

  @IsOptional()
  @IsISO8601({ strict: true })
  discount_ends_at?: string;

  @IsOptional()
  @IsIn(SUBSCRIPTION_STATUSES)
  status?: string;
}

export class SubscriptionOptimizationParams {
  /** The plan catalogue for the plan-fit check; without it only discounts are checked. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PlanInput)
  plans?: PlanInput[];

  /** Subscriptions; the tenant's stored ones when absent. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_POSTED_ROWS)
  @ValidateNested({ each: true })
  @Type(() => PostedSubscription)
  subscriptions?: PostedSubscription[];

  /** Highest discount the pricing policy allows, in percent (20). */
  @IsOptional()
  @IsNumber(RATIO)
  @Min(0)
  @Max(100)
  max_discount_pct?: number;

  /** Seat use at or above this share of the plan limit is flagged (0.9). */
  @IsOptional()
  @IsNumber(RATIO)
  @Min(0.5)
  @Max(1)
  near_limit?: number;

  /** The moment promotions are checked against (now). */
  @IsOptional()
  @IsISO8601({ strict: true })
  as_of?: string;
}

export class PostedPaymentAttempt {
  @IsNumber(MONEY)
  @Min(0.01)
  @Max(MAX_MONEY)
  amount: number;

  @IsIn(PAYMENT_STATUSES)
  status: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  failure_code?: string;

  @IsISO8601({ strict: true })
  attempted_at: string;
}

export class PostedInvoice {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  invoice_ref: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  customer_ref: string;

  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  amount: number;

  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PostedPaymentAttempt)
  payments: PostedPaymentAttempt[];
}

export class DunningPlanParams {
  /** Unpaid invoices with their payment attempts; the tenant's open invoices when absent. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_POSTED_ROWS)
  @ValidateNested({ each: true })
  @Type(() => PostedInvoice)
  invoices?: PostedInvoice[];

  /** The day the plan starts from (now). */
  @IsOptional()
  @IsISO8601({ strict: true })
  as_of?: string;
}
