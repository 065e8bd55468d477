import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A record imported by a sync, staged for its target domain: unique per (tenant, connection, external id).
 * The integrations module never writes another domain's tables; the target domain reads from here.
 */
@Entity('integration_records')
export class IntegrationRecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  @Column('uuid')
  connectionId: string;

  @Column('varchar')
  targetDomain: string;

  @Column('varchar')
  externalId: string;

  @Column('jsonb')
  data: Record<string, unknown>;

  @Column('uuid', { nullable: true })
  syncRunId: string | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
