import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericTransformer } from '../database/numeric.transformer.js';
import type { CachedChat } from './llm-cache.types.js';

/** One cached chat completion of one tenant (never shared across tenants). */
@Entity('llm_cache')
export class LlmCacheEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  /** sha256 of model + messages + tools + parameters. */
  @Column('char', { length: 64 })
  key: string;

  @Column('varchar')
  model: string;

  @Column('jsonb')
  response: CachedChat;

  @Column('integer', { default: 0 })
  inputTokens: number;

  @Column('integer', { default: 0 })
  outputTokens: number;

  @Column('integer', { default: 0 })
  cachedTokens: number;

  /** What the original call cost; every hit saves this much. */
  @Column({ type: 'numeric', precision: 14, scale: 6, default: 0, transformer: numericTransformer })
  costUsd: number;

  @Column('integer', { default: 0 })
  hits: number;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastHitAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3 })
  expiresAt: Date;
}
