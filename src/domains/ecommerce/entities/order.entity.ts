import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericTransformer } from '../../../database/numeric.transformer.js';

export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Orders that did not become demand. */
export const NON_DEMAND_STATUSES: readonly OrderStatus[] = ['cancelled', 'refunded'];

/** A tenant's order; its lines are order_items. */
@Entity('orders')
export class OrderEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  @Column('varchar', { nullable: true })
  externalId: string | null;

  @Column('varchar')
  customerRef: string;

  @Column({ type: 'timestamptz', precision: 3 })
  orderedAt: Date;

  @Column('varchar', { default: 'paid' })
  status: OrderStatus;

  @Column({ type: 'numeric', precision: 14, scale: 2, default: 0, transformer: numericTransformer })
  total: number;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
