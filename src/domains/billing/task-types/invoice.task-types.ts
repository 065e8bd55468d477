import { array, describes, nullable, num, object, str } from '../../../tasks/result-schema.js';
import type { EntityManager } from 'typeorm';
import { ConflictProblem, NotFoundProblem } from '../../../common/problem.js';
import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
import { isUniqueViolation } from '../../shared/db-errors.js';
import { directDbType, type ListPage, listSchema, pageOf } from '../../shared/task-kit.js';
import { type InvoiceDto, netMrr, type PaymentDto, toInvoiceDto, toPaymentDto } from '../dto/billing.mappers.js';
import {
  CreateInvoiceParams,
  InvoiceListParams,
  InvoiceLocatorParams,
  PaymentListParams,
  RecordPaymentParams,
  UpdateInvoiceStatusParams,
} from '../dto/billing.params.js';
import { InvoiceEntity, type InvoiceStatus } from '../entities/invoice.entity.js';
import { PaymentEntity, type PaymentStatus } from '../entities/payment.entity.js';
import { findSubscription } from './subscription.task-types.js';

const PAYMENT_SCHEMA = describes<PaymentDto>()(
  object({
    payment_id: str({ format: 'uuid' }),
    invoice_id: str({ format: 'uuid' }),
    amount: num(),
    status: str(),
    failure_code: nullable(str()),
    attempted_at: str({ format: 'date-time' }),
    external_id: nullable(str()),
    created_at: str({ format: 'date-time' }),
  }),
);

/** An invoice as the invoice task types answer it (get_invoice adds its payment attempts). */
export type InvoiceResult = InvoiceDto & { payments?: PaymentDto[] };

const INVOICE_SCHEMA = describes<InvoiceResult>()(
  object(
    {
      invoice_id: str({ format: 'uuid' }),
      subscription_id: nullable(str()),
      customer_ref: str(),
      amount: num(),
      issued_at: str({ format: 'date-time' }),
      due_at: nullable(str({ format: 'date-time' })),
      status: str(),
      external_id: nullable(str()),
      created_at: str({ format: 'date-time' }),
      updated_at: str({ format: 'date-time' }),
      amount_paid: num(),
      amount_due: num(),
      payments: array(PAYMENT_SCHEMA, { description: 'get_invoice only: the payment attempts, oldest first.' }),
    },
    { optional: ['subscription_id', 'due_at', 'external_id', 'created_at', 'updated_at', 'amount_paid', 'amount_due', 'payments'] },
  ),
);

export interface PaymentRecorded {
  payment: PaymentDto;
  invoice: InvoiceResult;
}

const cents = (value: number): number => Math.round(value * 100) / 100;

async function findInvoice(manager: EntityManager, tenantId: string, id: string): Promise<InvoiceEntity> {
  const invoice = await manager.getRepository(InvoiceEntity).findOneBy({ tenantId, id });
  if (!invoice) throw new NotFoundProblem(`No invoice ${id} for this tenant.`);
  return invoice;
}

async function amountPaid(manager: EntityManager, tenantId: string, invoiceId: string): Promise<number> {
  const payments = await manager.getRepository(PaymentEntity).findBy({ tenantId, invoiceId, status: 'succeeded' });
  return cents(payments.reduce((sum, payment) => sum + payment.amount, 0));
}

export function invoiceTaskTypes(): TaskTypeDefinition[] {
  return [
    directDbType<InvoiceListParams, ListPage<'invoices', InvoiceResult>>('billing', {
      type: 'get_invoice_list',
      description: "Lists the tenant's invoices, most recently issued first; filter by subscription, customer or status.",
      parameters: InvoiceListParams,
      resultSchema: listSchema('invoices', INVOICE_SCHEMA),
      run: async (context, p) => {
        const { limit, offset } = pageOf(p);
        const [rows, total] = await context.manager.getRepository(InvoiceEntity).findAndCount({
          where: {
            tenantId: context.tenantId,
            ...(p.subscription_id ? { subscriptionId: p.subscription_id } : {}),
            ...(p.customer_ref ? { customerRef: p.customer_ref } : {}),
            ...(p.status ? { status: p.status as InvoiceStatus } : {}),
          },
          order: { issuedAt: 'DESC', id: 'DESC' },
          take: limit,
          skip: offset,
        });
        return { count: rows.length, total, limit, offset, invoices: rows.map((invoice) => toInvoiceDto(invoice)) };
      },
    }),
    directDbType<InvoiceLocatorParams, InvoiceResult>('billing', {
      type: 'get_invoice',
      description: 'One invoice with its payment attempts, amount paid and amount due.',
      parameters: InvoiceLocatorParams,
      resultSchema: INVOICE_SCHEMA,
      run: async (context, p) => {
        const invoice = await findInvoice(context.manager, context.tenantId, p.invoice_id);
        const payments = await context.manager.getRepository(PaymentEntity).find({
          where: { tenantId: context.tenantId, invoiceId: invoice.id },
          order: { attemptedAt: 'ASC', id: 'ASC' },
        });
        const paid = cents(payments.filter((x) => x.status === 'succeeded').reduce((sum, x) => sum + x.amount, 0));
        return { ...toInvoiceDto(invoice, paid), payments: payments.map(toPaymentDto) };
      },
    }),
    directDbType<CreateInvoiceParams, InvoiceResult>('billing', {
      type: 'create_invoice',
      effect: 'create',
      description: "Issues an invoice for a subscription of the tenant (amount defaults to the subscription's billed MRR).",
      parameters: CreateInvoiceParams,
      resultSchema: INVOICE_SCHEMA,
      run: async (context, p) => {
        const subscription = await findSubscription(context.manager, context.tenantId, p.subscription_id);
        try {
          const invoice = await context.write((m) =>
            m.getRepository(InvoiceEntity).save({
              tenantId: context.tenantId,
              subscriptionId: subscription.id,
              customerRef: subscription.customerRef,
              amount: p.amount ?? netMrr(subscription),
              issuedAt: p.issued_at ? new Date(p.issued_at) : new Date(),
              dueAt: p.due_at ? new Date(p.due_at) : null,
              status: (p.status ?? 'open') as InvoiceStatus,
              externalId: p.external_id ?? null,
            }),
          );
          return toInvoiceDto(invoice, 0);
        } catch (error) {
          if (isUniqueViolation(error, 'invoices_tenant_external_id_key'))
            throw new ConflictProblem(`An invoice with external_id ${p.external_id} already exists for this tenant.`);
          throw error;
        }
      },
    }),
    directDbType<UpdateInvoiceStatusParams, InvoiceResult>('billing', {
      type: 'update_invoice_status',
      effect: 'update',
      description: 'Moves an invoice to a new status (e.g. void, uncollectible); void invoices are final (409).',
      parameters: UpdateInvoiceStatusParams,
      resultSchema: INVOICE_SCHEMA,
      run: async (context, p) => {
        const invoice = await findInvoice(context.manager, context.tenantId, p.invoice_id);
        if (invoice.status === 'void' && p.status !== 'void') {
          throw new ConflictProblem(`Invoice ${invoice.id} is void, which is final.`, { invoice_status: 'void' });
        }
        invoice.status = p.status as InvoiceStatus;
        invoice.updatedAt = new Date();
        return context.write(async (m) => {
          await m
            .getRepository(InvoiceEntity)
            .update({ tenantId: context.tenantId, id: invoice.id }, { status: invoice.status, updatedAt: invoice.updatedAt });
          return toInvoiceDto(invoice, await amountPaid(m, context.tenantId, invoice.id));
        });
      },
    }),
    directDbType<PaymentListParams, ListPage<'payments', PaymentDto>>('billing', {
      type: 'get_payment_list',
      description: "Lists the tenant's payment attempts, most recent first; filter by invoice or status.",
      parameters: PaymentListParams,
      resultSchema: listSchema('payments', PAYMENT_SCHEMA),
      run: async (context, p) => {
        const { limit, offset } = pageOf(p);
        const [rows, total] = await context.manager.getRepository(PaymentEntity).findAndCount({
          where: {
            tenantId: context.tenantId,
            ...(p.invoice_id ? { invoiceId: p.invoice_id } : {}),
            ...(p.status ? { status: p.status as PaymentStatus } : {}),
          },
          order: { attemptedAt: 'DESC', id: 'DESC' },
          take: limit,
          skip: offset,
        });
        return { count: rows.length, total, limit, offset, payments: rows.map(toPaymentDto) };
      },
    }),
    directDbType<RecordPaymentParams, PaymentRecorded>('billing', {
      type: 'record_payment',
      effect: 'create',
      description:
        'Records a payment attempt on an open invoice (a failed one with its decline code); the invoice becomes paid once succeeded payments cover it.',
      parameters: RecordPaymentParams,
      resultSchema: describes<PaymentRecorded>()(object({ payment: PAYMENT_SCHEMA, invoice: INVOICE_SCHEMA })),
      check: (p) =>
        p.failure_code !== undefined && p.status !== 'failed' ? [{ field: 'failure_code', message: 'is only for failed payments' }] : [],
      run: async (context, p) => {
        const tenantId = context.tenantId;
        try {
          return await context.write(async (m) => {
            const invoice = await findInvoice(m, tenantId, p.invoice_id);
            if (invoice.status !== 'open' && invoice.status !== 'draft') {
              throw new ConflictProblem(`Invoice ${invoice.id} is ${invoice.status}; payments are recorded on open invoices only.`, {
                invoice_status: invoice.status,
              });
            }
            const payment = await m.getRepository(PaymentEntity).save({
              tenantId,
              invoiceId: invoice.id,
              amount: p.amount,
              status: p.status as PaymentStatus,
              failureCode: p.status === 'failed' ? (p.failure_code ?? null) : null,
              attemptedAt: p.attempted_at ? new Date(p.attempted_at) : new Date(),
              externalId: p.external_id ?? null,
            });
            const paid = await amountPaid(m, tenantId, invoice.id);
            if (paid >= invoice.amount) {
              invoice.status = 'paid';
              invoice.updatedAt = new Date();
              await m.getRepository(InvoiceEntity).update({ tenantId, id: invoice.id }, { status: 'paid', updatedAt: invoice.updatedAt });
            }
            return { payment: toPaymentDto(payment), invoice: toInvoiceDto(invoice, paid) };
          });
        } catch (error) {
          if (isUniqueViolation(error, 'payments_tenant_external_id_key'))
            throw new ConflictProblem(`A payment with external_id ${p.external_id} already exists for this tenant.`);
          throw error;
        }
      },
    }),
  ];
}
