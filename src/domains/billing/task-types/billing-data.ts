import { type EntityManager, In, LessThan } from 'typeorm';
import type { DunningInvoice } from '../algorithms/dunning-plan.js';
import type { MrrEvent } from '../algorithms/revenue-analysis.js';
import type { SubscriptionRecord } from '../algorithms/subscription-optimization.js';
import type { PostedInvoice, PostedMrrEvent, PostedSubscription } from '../dto/billing-analysis.params.js';
import { InvoiceEntity } from '../entities/invoice.entity.js';
import { PaymentEntity } from '../entities/payment.entity.js';
import { SubscriptionChangeEntity } from '../entities/subscription-change.entity.js';
import { SubscriptionEntity } from '../entities/subscription.entity.js';

/** The tenant's MRR history up to `before`. */
export async function storedMrrEvents(manager: EntityManager, tenantId: string, before: Date): Promise<MrrEvent[]> {
  const changes = await manager.getRepository(SubscriptionChangeEntity).find({
    where: { tenantId, effectiveAt: LessThan(before) },
    order: { effectiveAt: 'ASC', createdAt: 'ASC' },
  });
  return changes.map((change) => ({
    customerRef: change.customerRef,
    subscriptionRef: change.subscriptionId,
    effectiveAt: change.effectiveAt,
    mrr: change.mrrAfter,
  }));
}

export function postedMrrEvents(events: PostedMrrEvent[]): MrrEvent[] {
  return events.map((event) => ({
    customerRef: event.customer_ref,
    subscriptionRef: event.subscription_ref ?? event.customer_ref,
    effectiveAt: new Date(event.effective_at),
    mrr: event.mrr,
  }));
}

export async function storedSubscriptions(manager: EntityManager, tenantId: string): Promise<SubscriptionRecord[]> {
  const rows = await manager.getRepository(SubscriptionEntity).findBy({ tenantId });
  return rows.map((row) => ({
    subscriptionRef: row.id,
    customerRef: row.customerRef,
    plan: row.plan,
    mrr: row.mrr,
    seats: row.seats,
    discountPct: row.discountPct,
    discountEndsAt: row.discountEndsAt,
    status: row.status,
  }));
}

export function postedSubscriptions(subscriptions: PostedSubscription[]): SubscriptionRecord[] {
  return subscriptions.map((s, index) => ({
    subscriptionRef: s.subscription_ref ?? `#${index + 1}`,
    customerRef: s.customer_ref,
    plan: s.plan,
    mrr: s.mrr,
    seats: s.seats,
    discountPct: s.discount_pct ?? 0,
    discountEndsAt: s.discount_ends_at ? new Date(s.discount_ends_at) : null,
    status: s.status ?? 'active',
  }));
}

/** Open invoices of the tenant that have at least one failed payment, with all their attempts. */
export async function storedDunningInvoices(manager: EntityManager, tenantId: string): Promise<DunningInvoice[]> {
  const invoices = await manager
    .getRepository(InvoiceEntity)
    .createQueryBuilder('invoice')
    .where('invoice.tenant_id = :tenantId AND invoice.status = :open', { tenantId, open: 'open' })
    .andWhere(
      `EXISTS (SELECT 1 FROM payments p WHERE p.tenant_id = invoice.tenant_id AND p.invoice_id = invoice.id AND p.status = 'failed')`,
    )
    .getMany();
  if (invoices.length === 0) return [];
  const payments = await manager.getRepository(PaymentEntity).findBy({ tenantId, invoiceId: In(invoices.map((i) => i.id)) });
  return invoices.map((invoice) => ({
    invoiceRef: invoice.id,
    customerRef: invoice.customerRef,
    amount: invoice.amount,
    payments: payments
      .filter((payment) => payment.invoiceId === invoice.id)
      .map((payment) => ({
        amount: payment.amount,
        status: payment.status,
        failureCode: payment.failureCode,
        attemptedAt: payment.attemptedAt,
      })),
  }));
}

export function postedDunningInvoices(invoices: PostedInvoice[]): DunningInvoice[] {
  return invoices.map((invoice) => ({
    invoiceRef: invoice.invoice_ref,
    customerRef: invoice.customer_ref,
    amount: invoice.amount,
    payments: invoice.payments.map((payment) => ({
      amount: payment.amount,
      status: payment.status,
      failureCode: payment.failure_code ?? null,
      attemptedAt: new Date(payment.attempted_at),
    })),
  }));
}

/** [first day of last month, first day of this month) in UTC. */
export function lastCalendarMonth(now = new Date()): { start: Date; end: Date } {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { start, end };
}
