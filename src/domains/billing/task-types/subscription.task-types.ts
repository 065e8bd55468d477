import { array, bool, describes, int, nullable, num, object, str } from '../../../tasks/result-schema.js';
import type { EntityManager } from 'typeorm';
import { ConflictProblem, NotFoundProblem } from '../../../common/problem.js';
import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
import { isUniqueViolation } from '../../shared/db-errors.js';
import { directDbType, type ListPage, listSchema, pageOf } from '../../shared/task-kit.js';
import { type MrrChangeDto, netMrr, type SubscriptionDto, toChangeDto, toSubscriptionDto } from '../dto/billing.mappers.js';
import {
  CreateSubscriptionParams,
  SubscriptionListParams,
  SubscriptionLocatorParams,
  UpdateSubscriptionParams,
} from '../dto/billing.params.js';
import { InvoiceEntity } from '../entities/invoice.entity.js';
import { type SubscriptionChangeReason, SubscriptionChangeEntity } from '../entities/subscription-change.entity.js';
import { SubscriptionEntity, type SubscriptionStatus } from '../entities/subscription.entity.js';

/** A subscription as the subscription task types answer it (get_subscription adds its MRR history). */
export type SubscriptionResult = SubscriptionDto & { mrr_history?: MrrChangeDto[] };

export const SUBSCRIPTION_SCHEMA = describes<SubscriptionResult>()(
  object(
    {
      subscription_id: str({ format: 'uuid' }),
      customer_ref: str(),
      plan: str(),
      mrr: num({ description: 'list MRR before the discount' }),
      net_mrr: num({ description: 'billed MRR: after the discount, 0 unless active or past_due' }),
      seats: int(),
      discount_pct: num(),
      discount_ends_at: nullable(str({ format: 'date-time' })),
      status: str(),
      started_at: str({ format: 'date-time' }),
      cancelled_at: nullable(str({ format: 'date-time' })),
      external_id: nullable(str()),
      created_at: str({ format: 'date-time' }),
      updated_at: str({ format: 'date-time' }),
      mrr_history: array(
        describes<MrrChangeDto>()(
          object({ effective_at: str({ format: 'date-time' }), mrr_before: num(), mrr_after: num(), reason: str() }),
        ),
        { description: 'get_subscription only: MRR changes, oldest first.' },
      ),
    },
    {
      optional: [
        'seats',
        'discount_pct',
        'discount_ends_at',
        'started_at',
        'cancelled_at',
        'external_id',
        'created_at',
        'updated_at',
        'mrr_history',
      ],
    },
  ),
);

export interface SubscriptionDeleted {
  deleted: true;
  subscription_id: string;
}

export async function findSubscription(manager: EntityManager, tenantId: string, id: string): Promise<SubscriptionEntity> {
  const subscription = await manager.getRepository(SubscriptionEntity).findOneBy({ tenantId, id });
  if (!subscription) throw new NotFoundProblem(`No subscription ${id} for this tenant.`);
  return subscription;
}

async function recordChange(
  m: EntityManager,
  subscription: SubscriptionEntity,
  before: number,
  after: number,
  effectiveAt: Date,
  reason: SubscriptionChangeReason,
): Promise<void> {
  await m.getRepository(SubscriptionChangeEntity).insert({
    tenantId: subscription.tenantId,
    subscriptionId: subscription.id,
    customerRef: subscription.customerRef,
    effectiveAt,
    mrrBefore: before,
    mrrAfter: after,
    reason,
  });
}

export function subscriptionTaskTypes(): TaskTypeDefinition[] {
  return [
    directDbType<SubscriptionListParams, ListPage<'subscriptions', SubscriptionResult>>('billing', {
      type: 'get_subscription_list',
      description: "Lists the tenant's subscriptions, newest first; filter by customer_ref, status or plan.",
      parameters: SubscriptionListParams,
      resultSchema: listSchema('subscriptions', SUBSCRIPTION_SCHEMA),
      run: async (context, p) => {
        const { limit, offset } = pageOf(p);
        const [rows, total] = await context.manager.getRepository(SubscriptionEntity).findAndCount({
          where: {
            tenantId: context.tenantId,
            ...(p.customer_ref ? { customerRef: p.customer_ref } : {}),
            ...(p.status ? { status: p.status as SubscriptionStatus } : {}),
            ...(p.plan ? { plan: p.plan } : {}),
          },
          order: { createdAt: 'DESC', id: 'DESC' },
          take: limit,
          skip: offset,
        });
        return { count: rows.length, total, limit, offset, subscriptions: rows.map(toSubscriptionDto) };
      },
    }),
    directDbType<SubscriptionLocatorParams, SubscriptionResult>('billing', {
      type: 'get_subscription',
      description: 'One subscription with its MRR history.',
      parameters: SubscriptionLocatorParams,
      resultSchema: SUBSCRIPTION_SCHEMA,
      run: async (context, p) => {
        const subscription = await findSubscription(context.manager, context.tenantId, p.subscription_id);
        const changes = await context.manager.getRepository(SubscriptionChangeEntity).find({
          where: { tenantId: context.tenantId, subscriptionId: subscription.id },
          order: { effectiveAt: 'ASC', createdAt: 'ASC' },
        });
        return { ...toSubscriptionDto(subscription), mrr_history: changes.map(toChangeDto) };
      },
    }),
    directDbType<CreateSubscriptionParams, SubscriptionResult>('billing', {
      type: 'create_subscription',
      effect: 'create',
      description:
        'Creates a subscription (mrr is the list price per month; discount_pct comes off it) and starts its MRR history at started_at.',
      parameters: CreateSubscriptionParams,
      resultSchema: SUBSCRIPTION_SCHEMA,
      run: async (context, p) => {
        try {
          return await context.write(async (m) => {
            const subscription = await m.getRepository(SubscriptionEntity).save({
              tenantId: context.tenantId,
              customerRef: p.customer_ref,
              plan: p.plan,
              mrr: p.mrr,
              seats: p.seats ?? 1,
              discountPct: p.discount_pct ?? 0,
              discountEndsAt: p.discount_ends_at ? new Date(p.discount_ends_at) : null,
              status: (p.status ?? 'active') as SubscriptionStatus,
              startedAt: p.started_at ? new Date(p.started_at) : new Date(),
              externalId: p.external_id ?? null,
            });
            await recordChange(m, subscription, 0, netMrr(subscription), subscription.startedAt, 'created');
            return toSubscriptionDto(subscription);
          });
        } catch (error) {
          if (isUniqueViolation(error, 'subscriptions_tenant_external_id_key'))
            throw new ConflictProblem(`A subscription with external_id ${p.external_id} already exists for this tenant.`);
          throw error;
        }
      },
    }),
    directDbType<UpdateSubscriptionParams, SubscriptionResult>('billing', {
      type: 'update_subscription',
      effect: 'update',
      description:
        'Changes plan, price, seats, discount or status of a subscription; a change of billed MRR is recorded at effective_at (expansion, contraction, churn for the revenue analysis). Cancelled subscriptions are final (409).',
      parameters: UpdateSubscriptionParams,
      resultSchema: SUBSCRIPTION_SCHEMA,
      check: (p) =>
        Object.entries(p).some(([key, value]) => !['subscription_id', 'effective_at'].includes(key) && value !== undefined)
          ? []
          : [{ field: '', message: 'give at least one field to change' }],
      run: async (context, p) =>
        context.write(async (m) => {
          const subscription = await findSubscription(m, context.tenantId, p.subscription_id);
          if (subscription.status === 'cancelled') {
            throw new ConflictProblem(`Subscription ${subscription.id} is cancelled, which is final; create a new subscription instead.`, {
              subscription_status: 'cancelled',
            });
          }
          const effectiveAt = p.effective_at ? new Date(p.effective_at) : new Date();
          const before = netMrr(subscription);
          const status = (p.status ?? subscription.status) as SubscriptionStatus;
          const changes: Partial<SubscriptionEntity> = {
            ...(p.plan !== undefined ? { plan: p.plan } : {}),
            ...(p.mrr !== undefined ? { mrr: p.mrr } : {}),
            ...(p.seats !== undefined ? { seats: p.seats } : {}),
            ...(p.discount_pct !== undefined ? { discountPct: p.discount_pct } : {}),
            ...(p.discount_ends_at !== undefined
              ? { discountEndsAt: p.discount_ends_at === null ? null : new Date(p.discount_ends_at) }
              : {}),
            status,
            cancelledAt: status === 'cancelled' ? effectiveAt : null,
            updatedAt: new Date(),
          };
          Object.assign(subscription, changes);
          await m.getRepository(SubscriptionEntity).update({ tenantId: context.tenantId, id: subscription.id }, changes);
          const after = netMrr(subscription);
          if (after !== before)
            await recordChange(m, subscription, before, after, effectiveAt, status === 'cancelled' ? 'cancelled' : 'updated');
          return toSubscriptionDto(subscription);
        }),
    }),
    directDbType<SubscriptionLocatorParams, SubscriptionDeleted>('billing', {
      type: 'delete_subscription',
      effect: 'delete',
      description: 'Deletes a subscription and its MRR history; refused (409) while invoices refer to it — cancel it instead.',
      parameters: SubscriptionLocatorParams,
      resultSchema: describes<SubscriptionDeleted>()(object({ deleted: bool(), subscription_id: str() })),
      run: async (context, p) => {
        const subscription = await findSubscription(context.manager, context.tenantId, p.subscription_id);
        const invoices = await context.manager
          .getRepository(InvoiceEntity)
          .countBy({ tenantId: context.tenantId, subscriptionId: subscription.id });
        if (invoices > 0) {
          throw new ConflictProblem(
            `Subscription ${subscription.id} has ${invoices} invoice(s) and cannot be deleted; update it with status cancelled instead.`,
            { invoices },
          );
        }
        await context.write((m) => m.getRepository(SubscriptionEntity).delete({ tenantId: context.tenantId, id: subscription.id }));
        return { deleted: true, subscription_id: subscription.id };
      },
    }),
  ];
}
