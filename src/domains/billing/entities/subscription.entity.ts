import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericTransformer } from '../../../database/numeric.transformer.js';

export const SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'paused', 'cancelled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** A tenant's customer subscription: plan, list MRR, seats in use and any discount. */
@Entity('subscriptions')
export class SubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  @Column('varchar', { nullable: true })
  externalId: string | null;

  @Column('varchar')
  customerRef: string;

  @Column('varchar')
  plan: string;

  /** List monthly recurring revenue before the discount. */
  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: numericTransformer })
  mrr: number;

  /** Seats in use. */
  @Column('integer', { default: 1 })
  seats: number;

  @Column({ type: 'numeric', precision: 5, scale: 2, default: 0, transformer: numericTransformer })
  discountPct: number;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  discountEndsAt: Date | null;

  @Column('varchar', { default: 'active' })
  status: SubscriptionStatus;

  @Column({ type: 'timestamptz', precision: 3 })
  startedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  cancelledAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
