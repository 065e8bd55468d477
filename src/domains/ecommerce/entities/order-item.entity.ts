import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericTransformer } from '../../../database/numeric.transformer.js';

/** One line of an order: a product, a quantity and the unit price charged. */
@Entity('order_items')
export class OrderItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  @Column('uuid')
  orderId: string;

  /** 1-based position of the line in its order. */
  @Column('integer')
  lineNo: number;

  @Column('uuid')
  productId: string;

  @Column('integer')
  quantity: number;

  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: numericTransformer })
  unitPrice: number;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}
