import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericTransformer } from '../../../database/numeric.transformer.js';

/** A tenant's deal (opportunity) in the sales pipeline. */
@Entity('deals')
export class DealEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  @Column('varchar', { nullable: true })
  externalId: string | null;

  @Column('varchar')
  name: string;

  @Column('varchar')
  stage: string;

  @Column({ type: 'numeric', precision: 14, scale: 2, default: 0, transformer: numericTransformer })
  amount: number;

  @Column('char', { length: 3, nullable: true })
  currency: string | null;

  @Column('double precision', { nullable: true })
  probability: number | null;

  @Column('uuid', { nullable: true })
  customerId: string | null;

  @Column('uuid', { nullable: true })
  leadId: string | null;

  /** YYYY-MM-DD. */
  @Column('date', { nullable: true })
  expectedCloseDate: string | null;

  @Column('integer', { nullable: true })
  daysInStage: number | null;

  @Column('jsonb', { default: {} })
  attributes: Record<string, unknown>;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
