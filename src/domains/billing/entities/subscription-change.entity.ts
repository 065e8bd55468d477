import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericTransformer } from '../../../database/numeric.transformer.js';

export type SubscriptionChangeReason = 'created' | 'updated' | 'cancelled';

/** The MRR history of a subscription: its billed (net) MRR from `effectiveAt` on. */
@Entity('subscription_changes')
export class SubscriptionChangeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  @Column('uuid')
  subscriptionId: string;

  @Column('varchar')
  customerRef: string;

  @Column({ type: 'timestamptz', precision: 3 })
  effectiveAt: Date;

  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: numericTransformer })
  mrrBefore: number;

  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: numericTransformer })
  mrrAfter: number;

  @Column('varchar')
  reason: SubscriptionChangeReason;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}
