import { type EntityManager, In } from 'typeorm';
import type { FieldError } from '../../../common/problem.js';
import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
import { SyncParams } from '../../shared/dto/sync.params.js';
import { SYNC_RESULT_FIELDS, SYNC_RESULT_OPTIONAL, type SyncResult } from '../../shared/task-kit.js';
import { checkSyncUrl } from '../../shared/upstream-fetch.js';
import { duplicateIds, fetchPayload, malformed, type SyncSource, syncUrl } from '../../shared/upstream-sync.js';
import { describes, int, object } from '../../../tasks/result-schema.js';
import { InvoiceEntity, type InvoiceStatus } from '../entities/invoice.entity.js';
import { PaymentEntity, type PaymentStatus } from '../entities/payment.entity.js';
import { SubscriptionEntity } from '../entities/subscription.entity.js';
import type { BillingSyncConfig } from '../billing.config.js';
import { type UpstreamInvoice, type UpstreamPayment, UpstreamPaymentsPayload } from './payments-sync.payload.js';

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

const sameInvoice = (a: UpstreamInvoice, b: UpstreamInvoice): boolean =>
  a.customer_ref === b.customer_ref &&
  a.subscription_id === b.subscription_id &&
  a.amount === b.amount &&
  Date.parse(a.issued_at) === Date.parse(b.issued_at) &&
  (a.due_at === undefined ? b.due_at === undefined : b.due_at !== undefined && Date.parse(a.due_at) === Date.parse(b.due_at)) &&
  a.status === b.status;

/** One invoice per upstream id; the same id must describe the same invoice everywhere in the payload. */
function distinctInvoices(payments: UpstreamPayment[]): { invoices: Map<string, UpstreamInvoice>; errors: FieldError[] } {
  const invoices = new Map<string, UpstreamInvoice>();
  const errors: FieldError[] = [];
  payments.forEach((payment, index) => {
    const known = invoices.get(payment.invoice.id);
    if (!known) invoices.set(payment.invoice.id, payment.invoice);
    else if (!sameInvoice(known, payment.invoice))
      errors.push({ field: `payments[${index}].invoice`, message: `differs from an earlier payment's invoice ${payment.invoice.id}` });
  });
  return { invoices, errors };
}

const sameTime = (a: Date | null, b: Date | null): boolean => (a === null ? b === null : b !== null && a.getTime() === b.getTime());

async function upsertInvoices(
  m: EntityManager,
  tenantId: string,
  invoices: Map<string, UpstreamInvoice>,
): Promise<{ ids: Map<string, string>; counts: Counts; unlinked: number }> {
  const upstream = [...invoices.values()];
  const subscriptionRefs = [...new Set(upstream.flatMap((invoice) => (invoice.subscription_id ? [invoice.subscription_id] : [])))];
  const subscriptions = subscriptionRefs.length
    ? await m.getRepository(SubscriptionEntity).findBy({ tenantId, externalId: In(subscriptionRefs) })
    : [];
  const subscriptionIds = new Map(subscriptions.map((s) => [s.externalId as string, s.id]));
  const existing = upstream.length
    ? await m.getRepository(InvoiceEntity).findBy({ tenantId, externalId: In(upstream.map((i) => i.id)) })
    : [];
  const ids = new Map<string, string>();
  const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
  let unlinked = 0;
  for (const invoice of upstream) {
    const subscriptionId = invoice.subscription_id ? (subscriptionIds.get(invoice.subscription_id) ?? null) : null;
    if (invoice.subscription_id && subscriptionId === null) unlinked += 1;
    const fields = {
      subscriptionId,
      customerRef: invoice.customer_ref,
      amount: invoice.amount,
      issuedAt: new Date(invoice.issued_at),
      dueAt: invoice.due_at ? new Date(invoice.due_at) : null,
      status: invoice.status as InvoiceStatus,
    };
    const current = existing.find((row) => row.externalId === invoice.id);
    if (!current) {
      ids.set(invoice.id, (await m.getRepository(InvoiceEntity).save({ tenantId, externalId: invoice.id, ...fields })).id);
      counts.created += 1;
      continue;
    }
    ids.set(invoice.id, current.id);
    const same =
      current.subscriptionId === fields.subscriptionId &&
      current.customerRef === fields.customerRef &&
      current.amount === fields.amount &&
      sameTime(current.issuedAt, fields.issuedAt) &&
      sameTime(current.dueAt, fields.dueAt) &&
      current.status === fields.status;
    if (same) counts.unchanged += 1;
    else {
      await m.getRepository(InvoiceEntity).update({ tenantId, id: current.id }, { ...fields, updatedAt: new Date() });
      counts.updated += 1;
    }
  }
  return { ids, counts, unlinked };
}

async function upsertPayments(
  m: EntityManager,
  tenantId: string,
  payments: UpstreamPayment[],
  invoiceIds: Map<string, string>,
): Promise<Counts> {
  const existing = payments.length
    ? await m.getRepository(PaymentEntity).findBy({ tenantId, externalId: In(payments.map((p) => p.id)) })
    : [];
  const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
  for (const payment of payments) {
    const fields = {
      invoiceId: invoiceIds.get(payment.invoice.id) as string,
      amount: payment.amount,
      status: payment.status as PaymentStatus,
      failureCode: payment.status === 'failed' ? (payment.failure_code ?? null) : null,
      attemptedAt: new Date(payment.attempted_at),
    };
    const current = existing.find((row) => row.externalId === payment.id);
    if (!current) {
      await m.getRepository(PaymentEntity).insert({ tenantId, externalId: payment.id, ...fields });
      counts.created += 1;
    } else if (
      current.invoiceId === fields.invoiceId &&
      current.amount === fields.amount &&
      current.status === fields.status &&
      current.failureCode === fields.failureCode &&
      sameTime(current.attemptedAt, fields.attemptedAt)
    ) {
      counts.unchanged += 1;
    } else {
      await m.getRepository(PaymentEntity).update({ tenantId, id: current.id }, { ...fields, updatedAt: new Date() });
      counts.updated += 1;
    }
  }
  return counts;
}

/** What sync_payments answers: the payments' counts, and the invoices' beside them. */
export type PaymentsSyncResult = SyncResult & { invoices: Counts; unlinked_invoices: number };

const PAYMENTS_SYNC_SCHEMA = describes<PaymentsSyncResult>()(
  object(
    {
      ...SYNC_RESULT_FIELDS,
      invoices: object({ created: int(), updated: int(), unchanged: int() }, { description: 'Invoices upserted by upstream id.' }),
      unlinked_invoices: int(),
    },
    { optional: [...SYNC_RESULT_OPTIONAL, 'invoices', 'unlinked_invoices'] },
  ),
);

/** sync_payments: payment attempts with their invoices from the payment processor, in one transaction. */
export function paymentsSyncTaskType(config: BillingSyncConfig, allowPrivate: boolean): TaskTypeDefinition {
  const source: SyncSource = { allowPrivate, token: config.token };
  const definition: TaskTypeDefinition<SyncParams, PaymentsSyncResult> = {
    type: 'sync_payments',
    effect: 'update',
    domain: 'billing',
    description:
      'Imports payment attempts with their invoices from the payment processor (source_url or BILLING_PAYMENTS_URL answering {"payments": [{id, amount, status, failure_code, attempted_at, invoice: {id, customer_ref, amount, issued_at, status}}]}): the whole payload is validated first, then invoices and payments are upserted by upstream id in one transaction.',
    complexity: 'simple',
    strategy: 'direct_api',
    requiresAi: false,
    parameters: SyncParams,
    resultSchema: PAYMENTS_SYNC_SCHEMA,
    check: (p) => checkSyncUrl(syncUrl(p.source_url, config.paymentsUrl), 'BILLING_PAYMENTS_URL', allowPrivate),
    run: async (context, p) => {
      const url = syncUrl(p.source_url, config.paymentsUrl) as string;
      const { payload, attempts } = await fetchPayload(UpstreamPaymentsPayload, 'payments', url, p, source, context.signal);
      const { invoices, errors } = distinctInvoices(payload.payments);
      const problems = [
        ...duplicateIds(
          payload.payments.map((payment) => payment.id),
          'payments',
        ),
        ...errors,
        ...payload.payments.flatMap((payment, index) =>
          payment.failure_code !== undefined && payment.status !== 'failed'
            ? [{ field: `payments[${index}].failure_code`, message: 'is only for failed payments' }]
            : [],
        ),
      ];
      if (problems.length > 0) throw malformed(url, problems, attempts);
      const outcome = await context.write(async (m) => {
        const upserted = await upsertInvoices(m, context.tenantId, invoices);
        return { ...upserted, payments: await upsertPayments(m, context.tenantId, payload.payments, upserted.ids) };
      });
      return {
        aiMode: 'deterministic',
        result: {
          status: 'completed',
          source_url: url,
          attempts,
          received: payload.payments.length,
          ...outcome.payments,
          invoices: outcome.counts,
          unlinked_invoices: outcome.unlinked,
        },
      };
    },
  };
  return definition;
}
