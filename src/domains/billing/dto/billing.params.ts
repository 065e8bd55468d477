import { IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Nullable } from '../../../common/validation.js';
import { MAX_MONEY, MONEY } from '../../shared/dto/money.js';
import { PageParams } from '../../shared/dto/page.params.js';
import { INVOICE_STATUSES } from '../entities/invoice.entity.js';
import { PAYMENT_STATUSES } from '../entities/payment.entity.js';
import { SUBSCRIPTION_STATUSES } from '../entities/subscription.entity.js';

const PERCENT = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 } as const;

export class SubscriptionListParams extends PageParams {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  customer_ref?: string;

  @IsOptional()
  @IsIn(SUBSCRIPTION_STATUSES)
  status?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  plan?: string;
}

export class SubscriptionLocatorParams {
  @IsUUID()
  subscription_id: string;
}

export class CreateSubscriptionParams {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  customer_ref: string;

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  plan: string;

  /** List monthly recurring revenue, before the discount. */
  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  mrr: number;

  /** Seats in use (1). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  seats?: number;

  /** Discount in percent, 0–100 (0). */
  @IsOptional()
  @IsNumber(PERCENT)
  @Min(0)
  @Max(100)
  discount_pct?: number;

  /** When a promotional discount ends. */
  @IsOptional()
  @IsISO8601({ strict: true })
  discount_ends_at?: string;

  /** trialing or active (active); trials bring no MRR until they become active. */
  @IsOptional()
  @IsIn(['trialing', 'active'])
  status?: string;

  /** When it started (now); its MRR counts from then. */
  @IsOptional()
  @IsISO8601({ strict: true })
  started_at?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  external_id?: string;
}

/** Changes the given fields; an MRR change is recorded in the subscription's MRR history at effective_at. */
export class UpdateSubscriptionParams {
  @IsUUID()
  subscription_id: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  plan?: string;

  @IsOptional()
  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  mrr?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  seats?: number;

  @IsOptional()
  @IsNumber(PERCENT)
  @Min(0)
  @Max(100)
  discount_pct?: number;

  /** null removes the end date. */
  @IsOptional()
  @Nullable()
  @IsISO8601({ strict: true })
  discount_ends_at?: string | null;

  /** cancelled is final: a returning customer gets a new subscription. */
  @IsOptional()
  @IsIn(SUBSCRIPTION_STATUSES)
  status?: string;

  /** When the change takes effect (now); also the cancellation time. */
  @IsOptional()
  @IsISO8601({ strict: true })
  effective_at?: string;
}

export class InvoiceListParams extends PageParams {
  @IsOptional()
  @IsUUID()
  subscription_id?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  customer_ref?: string;

  @IsOptional()
  @IsIn(INVOICE_STATUSES)
  status?: string;
}

export class InvoiceLocatorParams {
  @IsUUID()
  invoice_id: string;
}

export class CreateInvoiceParams {
  @IsUUID()
  subscription_id: string;

  /** The subscription's net MRR when absent. */
  @IsOptional()
  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  amount?: number;

  @IsOptional()
  @IsISO8601({ strict: true })
  issued_at?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  due_at?: string;

  @IsOptional()
  @IsIn(['draft', 'open'])
  status?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  external_id?: string;
}

export class UpdateInvoiceStatusParams {
  @IsUUID()
  invoice_id: string;

  @IsIn(INVOICE_STATUSES)
  status: string;
}

export class PaymentListParams extends PageParams {
  @IsOptional()
  @IsUUID()
  invoice_id?: string;

  @IsOptional()
  @IsIn(PAYMENT_STATUSES)
  status?: string;
}

export class RecordPaymentParams {
  @IsUUID()
  invoice_id: string;

  @IsNumber(MONEY)
  @Min(0.01)
  @Max(MAX_MONEY)
  amount: number;

  @IsIn(PAYMENT_STATUSES)
  status: string;

  /** The processor's decline code; only for failed payments (e.g. insufficient_funds, card_expired). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  failure_code?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  attempted_at?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  external_id?: string;
}
