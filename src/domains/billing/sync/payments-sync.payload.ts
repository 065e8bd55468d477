import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MAX_MONEY, MONEY } from '../../shared/dto/money.js';
import { INVOICE_STATUSES } from '../entities/invoice.entity.js';
import { PAYMENT_STATUSES } from '../entities/payment.entity.js';

export const MAX_SYNC_PAYMENTS = 10_000;

/** The invoice a payment belongs to, as the payment processor answers it. */
export class UpstreamInvoice {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  id: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  customer_ref: string;

  /** The upstream id of the subscription (linked when this tenant has it). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subscription_id?: string;

  @IsNumber(MONEY)
  @Min(0)
  @Max(MAX_MONEY)
  amount: number;

  @IsISO8601({ strict: true })
  issued_at: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  due_at?: string;

  @IsIn(INVOICE_STATUSES)
  status: string;
}

export class UpstreamPayment {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  id: string;

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

  @IsObject()
  @ValidateNested()
  @Type(() => UpstreamInvoice)
  invoice: UpstreamInvoice;
}

export class UpstreamPaymentsPayload {
  @IsArray()
  @ArrayMaxSize(MAX_SYNC_PAYMENTS)
  @ValidateNested({ each: true })
  @Type(() => UpstreamPayment)
  payments: UpstreamPayment[];
}
