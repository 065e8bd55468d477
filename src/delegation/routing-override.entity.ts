import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Strategy } from '../tasks/task.types.js';

/** A strategy downgrade applied by the optimizer (`POST /optimize?apply=true`); the delegation engine honours active ones. */
@Entity('routing_overrides')
export class RoutingOverrideEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** null: every task type that would run with `fromStrategy`. */
  @Column('varchar', { nullable: true })
  taskType: string | null;

  @Column('varchar')
  fromStrategy: Strategy;

  @Column('varchar')
  toStrategy: Strategy;

  @Column('text')
  reason: string;

  /** The measurements that justified the override (counts, durations, agents per task). */
  @Column('jsonb', { default: {} })
  evidence: Record<string, unknown>;

  @Column('varchar', { default: 'optimizer' })
  source: string;

  @Column('boolean', { default: true })
  active: boolean;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;
}
