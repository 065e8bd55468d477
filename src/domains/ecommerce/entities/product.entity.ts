import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericTransformer } from '../../../database/numeric.transformer.js';

/** A tenant's product with its stock and the costs inventory optimization needs. */
@Entity('products')
export class ProductEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  @Column('varchar', { nullable: true })
  externalId: string | null;

  @Column('varchar')
  sku: string;

  @Column('varchar')
  name: string;

  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: numericTransformer })
  price: number;

  @Column({ type: 'numeric', precision: 14, scale: 2, nullable: true, transformer: numericTransformer })
  cost: number | null;

  @Column('integer', { default: 0 })
  stockOnHand: number;

  @Column('integer', { default: 7 })
  leadTimeDays: number;

  /** Cost of placing one replenishment order (S in the EOQ). */
  @Column({ type: 'numeric', precision: 14, scale: 2, default: 0, transformer: numericTransformer })
  orderingCost: number;

  /** Annual holding cost as a fraction of the unit cost. */
  @Column({ type: 'numeric', precision: 6, scale: 4, default: 0.25, transformer: numericTransformer })
  holdingCostRate: number;

  @Column('boolean', { default: true })
  active: boolean;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
