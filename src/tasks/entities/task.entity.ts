import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericTransformer } from '../../database/numeric.transformer.js';
import type { AiMode, Decision, TaskStatus } from '../task.types.js';

@Entity('tasks')
export class TaskEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { generated: 'uuid' })
  workflowId: string;

  @Column('varchar')
  tenantId: string;

  @Column('varchar', { nullable: true })
  userId: string | null;

  @Column('varchar', { nullable: true })
  sessionId: string | null;

  @Column('varchar')
  type: string;

  @Column('varchar', { nullable: true })
  domain: string | null;

  @Column('text')
  description: string;

  /** json, not jsonb: key order is kept (some parameters are ordered maps). */
  @Column('json', { default: {} })
  parameters: Record<string, unknown>;

  @Column('jsonb', { default: {} })
  metadata: Record<string, unknown>;

  @Column('smallint', { default: 5 })
  priority: number;

  @Column('integer', { default: 0 })
  dataVolume: number;

  @Column('boolean', { default: false })
  requiresAi: boolean;

  @Column('boolean', { default: false })
  multiDomain: boolean;

  @Column('varchar', { nullable: true })
  preferredStrategy: string | null;

  @Column('boolean', { default: false })
  forceCrew: boolean;

  @Column('boolean', { default: false })
  asyncExecution: boolean;

  @Column('varchar', { nullable: true })
  complexity: string | null;

  @Column('varchar', { nullable: true })
  category: string | null;

  @Column('varchar', { nullable: true })
  strategy: string | null;

  @Column('jsonb', { nullable: true })
  decision: Decision | null;

  @Column('varchar', { default: 'pending' })
  status: TaskStatus;

  @Column('varchar', { nullable: true })
  aiMode: AiMode | null;

  @Column('jsonb', { nullable: true })
  result: unknown;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('text', { nullable: true })
  guidance: string | null;

  @Column('jsonb', { default: [] })
  agentsUsed: string[];

  @Column('jsonb', { default: [] })
  fallbackChain: string[];

  @Column('jsonb', { default: [] })
  recommendations: string[];

  @Column('boolean', { default: false })
  cacheHit: boolean;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column('integer')
  timeoutS: number;

  @Column('text', { nullable: true })
  callbackUrl: string | null;

  @Column('varchar', { nullable: true })
  idempotencyKey: string | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  enqueuedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column('integer', { nullable: true })
  durationMs: number | null;

  @Column('integer', { nullable: true })
  queueWaitMs: number | null;

  @Column('integer', { default: 0 })
  llmCalls: number;

  @Column('integer', { default: 0 })
  inputTokens: number;

  @Column('integer', { default: 0 })
  outputTokens: number;

  @Column('integer', { default: 0 })
  cachedTokens: number;

  @Column({ type: 'numeric', precision: 14, scale: 6, default: 0, transformer: numericTransformer })
  costUsd: number;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  cancelRequestedAt: Date | null;

  @Column('varchar', { nullable: true })
  workerId: string | null;

  /** X-Request-Id of the request that submitted the task: its log lines name it, on whichever instance runs it. */
  @Column('varchar', { nullable: true })
  requestId: string | null;
}
