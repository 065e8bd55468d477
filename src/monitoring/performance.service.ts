import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlertService } from './alerts/alert.service.js';
import { toAlertDto } from './alerts/alert.mapper.js';
import type { MetricsQuery, MetricType } from './dto/monitoring-query.dto.js';
import type { MetricSeriesDto, PerformanceSummaryDto, RateDto, SeriesPointDto, TimingDto } from './dto/performance-response.dto.js';
import { healthScore } from './health-score.js';
import { MONITORING_SETTINGS, type MonitoringSettings } from './monitoring-settings.js';
import { OptimizerService } from './optimizer/optimizer.service.js';
import { round, seconds } from './stats/format.js';
import { agentUsage, costPerHour, oldestPendingWaitS } from '../tasks/statistics/task-activity.queries.js';
import {
  bucketedStats,
  type GroupStats,
  overallStats,
  successRate,
  type TaskStats,
  windowStats,
} from '../tasks/statistics/task-stats.queries.js';

export const DEFAULT_HOURS = 24;
const TOP_TENANTS = 20;
const RECENT_ALERTS = 10;

interface SeriesDefinition {
  unit: string;
  /** The bucket's value, null when there is nothing to measure; `count` is how many tasks it rests on. */
  value(stats: TaskStats): { value: number | null; count: number; p95?: number | null };
}

const SERIES: Record<MetricType, SeriesDefinition> = {
  execution_time: {
    unit: 'seconds',
    value: (s) => ({ value: seconds(s.avgMs), count: s.outcomes, p95: seconds(s.p95Ms) }),
  },
  success_rate: { unit: 'ratio', value: (s) => ({ value: round(successRate(s)), count: s.outcomes }) },
  throughput: { unit: 'tasks', value: (s) => ({ value: s.executions, count: s.executions }) },
  queue_wait: { unit: 'seconds', value: (s) => ({ value: seconds(s.queueAvgMs), count: s.queued, p95: seconds(s.queueP95Ms) }) },
  cost: { unit: 'usd', value: (s) => ({ value: round(s.costUsd, 6), count: s.executions }) },
  tokens: { unit: 'tokens', value: (s) => ({ value: s.inputTokens + s.outputTokens, count: s.executions }) },
  cache_hit_rate: {
    unit: 'ratio',
    value: (s) => ({ value: s.executions > 0 ? round(s.cacheHits / s.executions) : null, count: s.executions }),
  },
};

/** Finer buckets for short windows; never coarser than an hour. */
export function bucketSeconds(hours: number): number {
  if (hours <= 3) return 300;
  if (hours <= 12) return 900;
  return 3600;
}

function rates(groups: GroupStats[]): Record<string, RateDto> {
  return Object.fromEntries(
    groups.map((g) => [g.key ?? 'none', { executions: g.executions, finished: g.outcomes, success_rate: round(successRate(g)) }]),
  );
}

function timings(groups: GroupStats[]): Record<string, TimingDto> {
  return Object.fromEntries(
    groups.map((g) => [
      g.key ?? 'none',
      { avg_seconds: seconds(g.avgMs), median_seconds: seconds(g.p50Ms), p95_seconds: seconds(g.p95Ms) },
    ]),
  );
}

/** The performance reports (`/performance/summary`, `/performance/metrics`), all computed from the database. */
@Injectable()
export class PerformanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MONITORING_SETTINGS) private readonly settings: MonitoringSettings,
    private readonly alerts: AlertService,
    private readonly optimizer: OptimizerService,
  ) {}

  async summary(hours: number): Promise<PerformanceSummaryDto> {
    const windowS = hours * 3600;
    const filter = { windowS };
    const db = this.dataSource;
    const [{ overall, groups }, perHour, agents, oldestPendingS, recentAlerts, now] = await Promise.all([
      windowStats(db, ['strategy', 'domain', 'type', 'tenant_id'], filter),
      costPerHour(db, windowS),
      agentUsage(db, windowS),
      oldestPendingWaitS(db),
      this.alerts.recent({ hours, limit: RECENT_ALERTS }),
      db.query<{ now: Date }[]>('SELECT now() AS now').then((rows) => new Date(rows[0].now)),
    ]);
    const { strategy: byStrategy, domain: byDomain, type: byType, tenant_id: byTenant } = groups;
    const recommendations = await this.optimizer.recommendationDtos(windowS, { overall, byType, byStrategy });
    const rate = successRate(overall);
    const queueP95S = seconds(overall.queueP95Ms);
    const health = healthScore(
      {
        successRate: rate,
        executionP95S: seconds(overall.p95Ms),
        queueWaitS: queueP95S === null && oldestPendingS === null ? null : Math.max(queueP95S ?? 0, oldestPendingS ?? 0),
      },
      this.settings,
    );
    const totalSteps = agents.reduce((sum, agent) => sum + agent.steps, 0);
    return {
      period: { hours, from: new Date(now.getTime() - windowS * 1000).toISOString(), to: now.toISOString() },
      totals: {
        executions: overall.executions,
        completed: overall.completed,
        failed: overall.failed,
        timed_out: overall.timedOut,
        cancelled: overall.cancelled,
        running: overall.running,
        pending: overall.pending,
      },
      success_rate: { overall: round(rate), by_strategy: rates(byStrategy), by_domain: rates(byDomain) },
      execution_time: {
        avg_seconds: seconds(overall.avgMs),
        median_seconds: seconds(overall.p50Ms),
        p95_seconds: seconds(overall.p95Ms),
        max_seconds: seconds(overall.maxMs),
        measured: overall.outcomes,
        by_strategy: timings(byStrategy),
      },
      queue_wait: {
        queued_tasks: overall.queued,
        avg_seconds: seconds(overall.queueAvgMs),
        p95_seconds: queueP95S,
        oldest_pending_seconds: round(oldestPendingS, 1),
      },
      strategy_distribution: Object.fromEntries(byStrategy.map((g) => [g.key ?? 'none', g.executions])),
      agent_utilization: agents.map((agent) => ({
        agent_id: agent.agentId,
        tasks: agent.tasks,
        steps: agent.steps,
        failed_steps: agent.failedSteps,
        busy_seconds: seconds(agent.busyMs) ?? 0,
        utilization: round(agent.busyMs / 1000 / windowS, 6) ?? 0,
        share_of_steps: round(totalSteps > 0 ? agent.steps / totalSteps : 0) ?? 0,
        cost_usd: round(agent.costUsd, 6) ?? 0,
      })),
      tokens: {
        input: overall.inputTokens,
        output: overall.outputTokens,
        cached: overall.cachedTokens,
        total: overall.inputTokens + overall.outputTokens,
        llm_calls: overall.llmCalls,
      },
      cost: {
        total_usd: round(overall.costUsd, 6) ?? 0,
        per_hour: perHour.map((h) => ({
          hour: h.hour.toISOString(),
          executions: h.executions,
          cost_usd: round(h.costUsd, 6) ?? 0,
          tokens: h.tokens,
        })),
        per_tenant: [...byTenant]
          .sort((a, b) => b.costUsd - a.costUsd || b.executions - a.executions)
          .slice(0, TOP_TENANTS)
          .map((g) => ({
            tenant_id: g.key ?? 'none',
            executions: g.executions,
            cost_usd: round(g.costUsd, 6) ?? 0,
            tokens: g.inputTokens + g.outputTokens,
          })),
        per_task_type: [...byType]
          .sort((a, b) => b.costUsd - a.costUsd || b.executions - a.executions)
          .map((g) => ({
            task_type: g.key ?? 'none',
            executions: g.executions,
            cost_usd: round(g.costUsd, 6) ?? 0,
            avg_cost_usd: round(g.executions > 0 ? g.costUsd / g.executions : 0, 6) ?? 0,
            tokens: g.inputTokens + g.outputTokens,
          })),
      },
      cache: { hits: overall.cacheHits, hit_rate: overall.executions > 0 ? round(overall.cacheHits / overall.executions) : null },
      health: { score: health.score, status: health.status, penalties: health.penalties },
      recent_alerts: recentAlerts.map(toAlertDto),
      recommendations,
      generated_at: now.toISOString(),
    };
  }

  async metricSeries(query: MetricsQuery): Promise<MetricSeriesDto> {
    const metricType = query.metric_type ?? 'execution_time';
    const hours = query.hours ?? DEFAULT_HOURS;
    const bucketS = bucketSeconds(hours);
    const definition = SERIES[metricType];
    const filter = { windowS: hours * 3600, strategy: query.strategy, domain: query.domain };
    const [buckets, whole] = await Promise.all([bucketedStats(this.dataSource, filter, bucketS), overallStats(this.dataSource, filter)]);
    const points: SeriesPointDto[] = buckets.map((bucket) => {
      const { value, count, p95 } = definition.value(bucket);
      return { timestamp: bucket.bucket.toISOString(), value, count, ...(p95 !== undefined ? { p95 } : {}) };
    });
    const total = definition.value(whole);
    return {
      metric_type: metricType,
      unit: definition.unit,
      hours,
      bucket_seconds: bucketS,
      filters: { strategy: query.strategy ?? null, domain: query.domain ?? null },
      points,
      summary: { count: total.count, value: total.value },
    };
  }
}
