import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The domains a connection's records are meant for. */
export const TARGET_DOMAINS = ['crm', 'ecommerce', 'analytics', 'billing', 'cms'] as const;
export type TargetDomain = (typeof TARGET_DOMAINS)[number];

/** An upstream API a tenant syncs from. The auth secret stays in the environment: only its variable's name is stored. */
@Entity('integration_connections')
export class IntegrationConnectionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  @Column('varchar')
  name: string;

  @Column('varchar')
  baseUrl: string;

  @Column('varchar', { nullable: true })
  authHeaderRef: string | null;

  @Column('varchar', { default: 'Authorization' })
  authHeaderName: string;

  @Column('varchar', { nullable: true })
  schedule: string | null;

  @Column('varchar')
  targetDomain: TargetDomain;

  @Column('integer', { default: 10000 })
  timeoutMs: number;

  @Column('boolean', { default: true })
  enabled: boolean;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
