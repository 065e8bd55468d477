import { Column, Entity, PrimaryColumn } from 'typeorm';

export const SYNC_RUN_STATUSES = ['succeeded', 'failed', 'cancelled'] as const;
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number];

export const ERROR_CLASSES = [
  'timeout',
  'network',
  'rate_limited',
  'http_4xx',
  'http_5xx',
  'http_other',
  'malformed',
  'config',
  'cancelled',
] as const;
/** Why a sync failed: http_4xx excludes 429, which is rate_limited. */
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** One sync of one connection, successful or not. */
@Entity('sync_runs')
export class SyncRunEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  @Column('uuid')
  connectionId: string;

  @Column('uuid', { nullable: true })
  taskId: string | null;

  @Column('varchar')
  url: string;

  @Column({ type: 'timestamptz', precision: 3 })
  startedAt: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  finishedAt: Date;

  @Column('integer')
  durationMs: number;

  @Column('varchar')
  status: SyncRunStatus;

  @Column('integer', { default: 1 })
  attempts: number;

  @Column('integer', { nullable: true })
  httpStatus: number | null;

  @Column('integer', { default: 0 })
  records: number;

  @Column('integer', { default: 0 })
  inserted: number;

  @Column('integer', { default: 0 })
  updated: number;

  @Column('integer', { default: 0 })
  unchanged: number;

  @Column('varchar', { nullable: true })
  errorClass: ErrorClass | null;

  @Column('text', { nullable: true })
  error: string | null;
}
