import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericTransformer } from '../../database/numeric.transformer.js';
import type { StepKind, StepStatus } from '../task.types.js';

@Entity('task_steps')
export class TaskStepEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  taskId: string;

  @Column('varchar')
  tenantId: string;

  @Column('uuid', { nullable: true })
  parentStepId: string | null;

  @Column('integer', { default: 1 })
  attempt: number;

  @Column('varchar', { nullable: true })
  agentId: string | null;

  @Column('varchar', { nullable: true })
  tier: string | null;

  @Column('varchar')
  kind: StepKind;

  @Column('varchar')
  name: string;

  @Column('varchar', { default: 'running' })
  status: StepStatus;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  startedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column('integer', { nullable: true })
  durationMs: number | null;

  @Column('integer', { default: 0 })
  inputTokens: number;

  @Column('integer', { default: 0 })
  outputTokens: number;

  @Column('integer', { default: 0 })
  cachedTokens: number;

  @Column({ type: 'numeric', precision: 14, scale: 6, default: 0, transformer: numericTransformer })
  costUsd: number;

  @Column('text', { nullable: true })
  inputSummary: string | null;

  @Column('text', { nullable: true })
  outputSummary: string | null;

  @Column('text', { nullable: true })
  error: string | null;
}
