import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DOMAINS, type Domain } from '../../../tasks/task.types.js';

/** The domains a connection's records are meant for: every domain but integrations (the table's CHECK lists the same). */
export type TargetDomain = Exclude<Domain, 'integrations'>;
export const TARGET_DOMAINS: readonly TargetDomain[] = DOMAINS.filter((domain): domain is TargetDomain => domain !== 'integrations');

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
