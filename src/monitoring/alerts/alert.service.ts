import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TaskEvents } from '../../execution/task-events.js';
import { WORKER_ID } from '../../execution/worker-id.js';
import type { AlertListDto } from '../dto/alert-response.dto.js';
import type { AlertsQuery } from '../dto/monitoring-query.dto.js';
import { MONITORING_SETTINGS, type MonitoringSettings } from '../monitoring-settings.js';
import { MonitoringStateService } from '../monitoring-state.service.js';
import { oldestPendingWaitS } from '../../tasks/statistics/task-activity.queries.js';
import { windowStats } from '../../tasks/statistics/task-stats.queries.js';
import { AlertEntity } from './alert.entity.js';
import { toAlertDto } from './alert.mapper.js';
import { type AlertCandidate, evaluateAlertRules } from './alert-rules.js';
import { AlertWebhook } from './alert-webhook.js';

/** Completions arrive in bursts; evaluations triggered by them start at most this often. */
const MIN_GAP_MS = 1000;
/**
 * Under load the window holds many tasks and one evaluation costs more: the gap before the next one grows
 * so that evaluating takes at most this share of the time (an evaluation of 100 ms waits 2 s).
 */
const MAX_TIME_SHARE = 0.05;

/**
 * Evaluates the alert rules over the database (so every instance sees the same numbers) after task
 * completions and on a schedule, stores new alerts — the same metric and level at most once per
 * cool-down across all instances — and sends them to ALERT_WEBHOOK_URL.
 */
@Injectable()
export class AlertService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AlertService.name);
  private readonly shutdown = new AbortController();
  private readonly deliveries = new Set<Promise<void>>();
  private interval?: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private again = false;
  private lastStart = 0;
  private gapMs = MIN_GAP_MS;
  private unsubscribe?: () => void;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MONITORING_SETTINGS) private readonly settings: MonitoringSettings,
    private readonly state: MonitoringStateService,
    private readonly webhook: AlertWebhook,
    private readonly events: TaskEvents,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.events.onFinished(() => this.requestEvaluation());
    this.interval = setInterval(() => this.requestEvaluation(), this.settings.evaluationIntervalS * 1000);
    this.interval.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.interval);
    clearTimeout(this.timer);
    this.timer = undefined;
    this.shutdown.abort();
    await this.inFlight;
    await Promise.allSettled([...this.deliveries]);
  }

  /** Asks for an evaluation soon; bursts collapse into one, and one runs at a time. */
  requestEvaluation(): void {
    if (this.shutdown.signal.aborted) return;
    if (this.inFlight || this.timer) {
      this.again = true;
      return;
    }
    const delay = Math.max(0, this.lastStart + this.gapMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.again = false;
      const started = Date.now();
      this.lastStart = started;
      this.inFlight = this.evaluateIfActive()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn(`Alert evaluation failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          this.gapMs = Math.max(MIN_GAP_MS, (Date.now() - started) / MAX_TIME_SHARE);
          this.inFlight = undefined;
          if (this.again) this.requestEvaluation();
        });
    }, delay);
    this.timer.unref();
  }

  /** Evaluates unless monitoring is switched off; answers the alerts it stored. */
  async evaluateIfActive(): Promise<AlertEntity[]> {
    if (!(await this.state.state()).active) return [];
    return this.evaluate();
  }

  /** Measures the window, applies the rules and stores (and sends) what is not in its cool-down. */
  async evaluate(): Promise<AlertEntity[]> {
    const filter = { windowS: this.settings.windowMinutes * 60 };
    const [{ overall, groups }, oldest] = await Promise.all([
      windowStats(this.dataSource, ['strategy', 'type'], filter),
      oldestPendingWaitS(this.dataSource),
    ]);
    const candidates = evaluateAlertRules(
      { overall, byStrategy: groups.strategy, byType: groups.type, oldestPendingWaitS: oldest },
      this.settings,
    );
    const stored: AlertEntity[] = [];
    for (const candidate of candidates) {
      const alert = await this.store(candidate);
      if (!alert) continue;
      stored.push(alert);
      this.logger.warn(`Alert ${alert.level}: ${alert.message}`);
      if (this.webhook.url) this.send(alert);
    }
    return stored;
  }

  /** Inserts unless the same metric and level fired within the cool-down; serialised per metric and level across instances. */
  private store(candidate: AlertCandidate): Promise<AlertEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`crew-alert:${candidate.metricType}:${candidate.level}`]);
      const recent = await manager.query<unknown[]>(
        `SELECT 1 FROM alerts WHERE metric_type = $1 AND level = $2 AND created_at > now() - $3::float8 * interval '1 minute' LIMIT 1`,
        [candidate.metricType, candidate.level, this.settings.cooldownMinutes],
      );
      if (recent.length > 0) return null;
      const repository = manager.getRepository(AlertEntity);
      const saved = await repository.save(
        repository.create({
          level: candidate.level,
          metricType: candidate.metricType,
          message: candidate.message,
          currentValue: candidate.currentValue,
          threshold: candidate.threshold,
          windowMinutes: this.settings.windowMinutes,
          affectedComponents: candidate.affectedComponents,
          suggestedActions: candidate.suggestedActions,
          webhookStatus: this.webhook.url ? 'pending' : 'not_configured',
          instanceId: WORKER_ID,
        }),
      );
      return repository.findOneByOrFail({ id: saved.id });
    });
  }

  private send(alert: AlertEntity): void {
    const delivery = this.webhook
      .deliver(alert, this.shutdown.signal)
      .then(({ delivered, attempts }) =>
        this.dataSource
          .createQueryBuilder()
          .update(AlertEntity)
          .set({ webhookStatus: delivered ? 'delivered' : 'failed', webhookAttempts: attempts })
          .where('id = :id', { id: alert.id })
          .execute(),
      )
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.warn(`Alert ${alert.id} delivery state not recorded: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => this.deliveries.delete(delivery));
    this.deliveries.add(delivery);
  }

  async list(query: AlertsQuery): Promise<AlertListDto> {
    const alerts = await this.recent({
      hours: query.hours ?? 24,
      level: query.level,
      metricType: query.metric_type,
      limit: query.limit ?? 50,
    });
    return { alerts: alerts.map(toAlertDto), count: alerts.length };
  }

  /** Newest first. */
  recent(filter: { hours: number; level?: string; metricType?: string; limit: number }): Promise<AlertEntity[]> {
    const query = this.dataSource
      .getRepository(AlertEntity)
      .createQueryBuilder('a')
      .where(`a.created_at >= now() - CAST(:hours AS float8) * interval '1 hour'`, { hours: filter.hours })
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .take(filter.limit);
    if (filter.level) query.andWhere('a.level = :level', { level: filter.level });
    if (filter.metricType) query.andWhere('a.metric_type = :metricType', { metricType: filter.metricType });
    return query.getMany();
  }
}
