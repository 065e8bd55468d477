import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const MOVEMENT_REASONS = ['sale', 'receipt', 'adjustment', 'return', 'damage'] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

/** A change of a product's stock on hand, with the stock after it (the inventory ledger). */
@Entity('inventory_movements')
export class InventoryMovementEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  @Column('uuid')
  productId: string;

  @Column('uuid', { nullable: true })
  orderId: string | null;

  @Column('integer')
  quantityChange: number;

  @Column('varchar')
  reason: MovementReason;

  @Column('integer')
  stockAfter: number;

  @Column('varchar', { nullable: true })
  note: string | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}
