import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericTransformer } from '../database/numeric.transformer.js';

export type OverBudgetAction = 'refuse' | 'downgrade';

/** A tenant's plan as the Brain API last reported it (POST /brain/sync-tenant/{tenant_id}). */
@Entity('tenant_settings')
export class TenantSettingsEntity {
  @PrimaryColumn('varchar')
  tenantId: string;

  @Column('varchar', { nullable: true })
  subscriptionTier: string | null;

  @Column('jsonb', { default: [] })
  enabledFeatures: string[];

  @Column('jsonb', { default: {} })
  apiLimits: Record<string, unknown>;

  @Column('integer', { nullable: true })
  requestsPerMinute: number | null;

  @Column('numeric', { precision: 14, scale: 6, nullable: true, transformer: numericTransformer })
  dailyBudgetUsd: number | null;

  @Column('varchar', { nullable: true })
  overBudgetAction: OverBudgetAction | null;

  @Column('jsonb', { default: {} })
  sourceData: Record<string, unknown>;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  syncedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
