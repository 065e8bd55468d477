import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A tenant's lead: the fields lead scoring reads, its pipeline status and its last computed score. */
@Entity('leads')
export class LeadEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  @Column('varchar', { nullable: true })
  externalId: string | null;

  @Column('varchar')
  email: string;

  @Column('varchar', { nullable: true })
  name: string | null;

  @Column('varchar', { nullable: true })
  company: string | null;

  @Column('varchar', { nullable: true })
  role: string | null;

  /** Employees ("120") or a band ("51-200", "1000+"). */
  @Column('varchar', { nullable: true })
  companySize: string | null;

  @Column('double precision', { nullable: true })
  engagementScore: number | null;

  @Column('integer', { nullable: true })
  websiteVisits: number | null;

  @Column('boolean', { nullable: true })
  demoRequested: boolean | null;

  @Column('integer', { nullable: true })
  pricingPageVisits: number | null;

  @Column('integer', { nullable: true })
  contentDownloads: number | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastActivityAt: Date | null;

  @Column('varchar', { nullable: true })
  source: string | null;

  @Column('varchar', { default: 'new' })
  status: string;

  @Column('double precision', { nullable: true })
  score: number | null;

  @Column('char', { length: 1, nullable: true })
  grade: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  scoredAt: Date | null;

  @Column('jsonb', { default: {} })
  attributes: Record<string, unknown>;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
