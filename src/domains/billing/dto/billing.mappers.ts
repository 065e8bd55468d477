import type { InvoiceEntity } from '../entities/invoice.entity.js';
import type { PaymentEntity } from '../entities/payment.entity.js';
import type { SubscriptionChangeEntity } from '../entities/subscription-change.entity.js';
import type { SubscriptionEntity } from '../entities/subscription.entity.js';
import { BILLABLE_STATUSES } from '../algorithms/subscription-optimization.js';

const cents = (value: number): number => Math.round(value * 100) / 100;
const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** What the subscription bills per month: list MRR less the discount, 0 unless active or past due. */
export function netMrr(subscription: Pick<SubscriptionEntity, 'mrr' | 'discountPct' | 'status'>): number {
  return BILLABLE_STATUSES.has(subscription.status) ? cents(subscription.mrr * (1 - subscription.discountPct / 100)) : 0;
}

export function toSubscriptionDto(subscription: SubscriptionEntity) {
  return {
    subscription_id: subscription.id,
    customer_ref: subscription.customerRef,
    plan: subscription.plan,
    mrr: subscription.mrr,
    net_mrr: netMrr(subscription),
    seats: subscription.seats,
    discount_pct: subscription.discountPct,
    discount_ends_at: iso(subscription.discountEndsAt),
    status: subscription.status,
    started_at: subscription.startedAt.toISOString(),
    cancelled_at: iso(subscription.cancelledAt),
    external_id: subscription.externalId,
    created_at: subscription.createdAt.toISOString(),
    updated_at: subscription.updatedAt.toISOString(),
  };
}

export function toChangeDto(change: SubscriptionChangeEntity) {
  return {
    effective_at: change.effectiveAt.toISOString(),
    mrr_before: change.mrrBefore,
    mrr_after: change.mrrAfter,
    reason: change.reason,
  };
}

export function toInvoiceDto(invoice: InvoiceEntity, amountPaid?: number) {
  return {
    invoice_id: invoice.id,
    subscription_id: invoice.subscriptionId,
    customer_ref: invoice.customerRef,
    amount: invoice.amount,
    issued_at: invoice.issuedAt.toISOString(),
    due_at: iso(invoice.dueAt),
    status: invoice.status,
    external_id: invoice.externalId,
    created_at: invoice.createdAt.toISOString(),
    updated_at: invoice.updatedAt.toISOString(),
    ...(amountPaid !== undefined ? { amount_paid: amountPaid, amount_due: cents(Math.max(0, invoice.amount - amountPaid)) } : {}),
  };
}

export function toPaymentDto(payment: PaymentEntity) {
  return {
    payment_id: payment.id,
    invoice_id: payment.invoiceId,
    amount: payment.amount,
    status: payment.status,
    failure_code: payment.failureCode,
    attempted_at: payment.attemptedAt.toISOString(),
    external_id: payment.externalId,
    created_at: payment.createdAt.toISOString(),
  };
}

export type SubscriptionDto = ReturnType<typeof toSubscriptionDto>;
export type MrrChangeDto = ReturnType<typeof toChangeDto>;
export type InvoiceDto = ReturnType<typeof toInvoiceDto>;
export type PaymentDto = ReturnType<typeof toPaymentDto>;
