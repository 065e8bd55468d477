import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AlertLevel } from '../monitoring-settings.js';
import type { AlertMetric } from './alert-rules.js';

export type WebhookStatus = 'not_configured' | 'pending' | 'delivered' | 'failed';

@Entity('alerts')
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  level: AlertLevel;

  @Column('varchar')
  metricType: AlertMetric;

  @Column('text')
  message: string;

  @Column('double precision')
  currentValue: number;

  @Column('double precision')
  threshold: number;

  @Column('integer')
  windowMinutes: number;

  @Column('jsonb', { default: [] })
  affectedComponents: string[];

  @Column('jsonb', { default: [] })
  suggestedActions: string[];

  @Column('varchar', { default: 'not_configured' })
  webhookStatus: WebhookStatus;

  @Column('integer', { default: 0 })
  webhookAttempts: number;

  @Column('varchar', { nullable: true })
  instanceId: string | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}
