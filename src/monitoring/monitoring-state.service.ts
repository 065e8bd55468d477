import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

export interface MonitoringState {
  /** Alerts are evaluated. */
  active: boolean;
  /** 'config': MONITORING_ENABLED; 'runtime': POST /config/monitoring (kept in the database for every instance). */
  source: 'config' | 'runtime';
  changedAt: Date | null;
}

/** Other instances follow a runtime switch within this long. */
const CACHE_MS = 5000;

/** Whether alert evaluation is on: MONITORING_ENABLED until someone switches it at run time. */
@Injectable()
export class MonitoringStateService {
  private cache?: { at: number; state: MonitoringState };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async state(): Promise<MonitoringState> {
    if (this.cache && Date.now() - this.cache.at <= CACHE_MS) return this.cache.state;
    const rows = await this.dataSource.query<{ alerts_active: boolean; updated_at: Date }[]>(
      `SELECT alerts_active, updated_at FROM monitoring_settings WHERE id = 1`,
    );
    const row = rows[0];
    const state: MonitoringState = row
      ? { active: row.alerts_active, source: 'runtime', changedAt: new Date(row.updated_at) }
      : { active: this.config.monitoring.enabled, source: 'config', changedAt: null };
    this.cache = { at: Date.now(), state };
    return state;
  }

  async setActive(active: boolean): Promise<MonitoringState> {
    const rows = await this.dataSource.query<{ alerts_active: boolean; updated_at: Date }[]>(
      `INSERT INTO monitoring_settings (id, alerts_active, updated_at) VALUES (1, $1, now())
       ON CONFLICT (id) DO UPDATE SET alerts_active = EXCLUDED.alerts_active, updated_at = EXCLUDED.updated_at
       RETURNING alerts_active, updated_at`,
      [active],
    );
    const state: MonitoringState = { active: rows[0].alerts_active, source: 'runtime', changedAt: new Date(rows[0].updated_at) };
    this.cache = { at: Date.now(), state };
    return state;
  }
}
