import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericTransformer } from '../../../database/numeric.transformer.js';

/** A tenant's customer: the fields segmentation and churn analysis read. */
@Entity('customers')
export class CustomerEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  @Column('varchar', { nullable: true })
  externalId: string | null;

  @Column('varchar')
  name: string;

  @Column('varchar', { nullable: true })
  email: string | null;

  @Column('varchar', { nullable: true })
  company: string | null;

  @Column({ type: 'numeric', precision: 14, scale: 2, nullable: true, transformer: numericTransformer })
  ltv: number | null;

  @Column('double precision', { nullable: true })
  engagementScore: number | null;

  @Column('double precision', { nullable: true })
  churnRisk: number | null;

  @Column('double precision', { nullable: true })
  engagementTrend: number | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastActivityAt: Date | null;

  @Column('integer', { nullable: true })
  recencyDays: number | null;

  @Column('integer', { nullable: true })
  frequency: number | null;

  @Column({ type: 'numeric', precision: 14, scale: 2, nullable: true, transformer: numericTransformer })
  monetary: number | null;

  @Column('integer', { nullable: true })
  tenureDays: number | null;

  @Column('integer', { nullable: true })
  supportTickets: number | null;

  @Column('integer', { nullable: true })
  paymentFailures: number | null;

  @Column('jsonb', { default: {} })
  attributes: Record<string, unknown>;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
