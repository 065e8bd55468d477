import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { runtimeInfo, SERVICE_VERSION } from '../config/runtime.js';
import { QueueService } from '../execution/queue.service.js';
import { WORKER_ID } from '../execution/worker-id.js';
import { WorkerService } from '../execution/worker.service.js';
import type { MonitoringConfigDto } from './dto/alert-response.dto.js';
import type { BreakdownDto, MonitoringStateDto, StatisticsResponseDto, StatusResponseDto } from './dto/status-response.dto.js';
import { MONITORING_SETTINGS, type LevelThresholds, type MonitoringSettings } from './monitoring-settings.js';
import { type MonitoringState, MonitoringStateService } from './monitoring-state.service.js';
import { round, seconds } from './stats/format.js';
import { distribution, recentDecisions } from '../tasks/statistics/task-activity.queries.js';
import { type GroupStats, successRate, windowStats } from '../tasks/statistics/task-stats.queries.js';

const DISTRIBUTION_WINDOW_HOURS = 24;
const RECENT_DECISIONS = 10;

function breakdown(groups: GroupStats[]): Record<string, BreakdownDto> {
  return Object.fromEntries(
    groups.map((group) => [
      group.key ?? 'none',
      {
        executions: group.executions,
        completed: group.completed,
        failed: group.failed,
        timed_out: group.timedOut,
        cancelled: group.cancelled,
        success_rate: round(successRate(group)),
        avg_execution_time: seconds(group.avgMs),
        cost_usd: round(group.costUsd, 6) ?? 0,
      },
    ]),
  );
}

export function toStateDto(state: MonitoringState): MonitoringStateDto {
  return { active: state.active, source: state.source, changed_at: state.changedAt?.toISOString() ?? null };
}

function thresholds(levels: LevelThresholds): { warning: number; error: number; critical: number } {
  return { warning: levels.warning, error: levels.error, critical: levels.critical };
}

/** Service information and all-time task statistics (`/status`, `/statistics`), and the monitoring switch. */
@Injectable()
export class StatusService {
  private readonly startedAt = new Date();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MONITORING_SETTINGS) private readonly settings: MonitoringSettings,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: QueueService,
    private readonly worker: WorkerService,
    private readonly monitoring: MonitoringStateService,
  ) {}

  async status(): Promise<StatusResponseDto> {
    const windowS = DISTRIBUTION_WINDOW_HOURS * 3600;
    const [depth, state, strategies, complexities, decisions] = await Promise.all([
      this.queue.depth().catch(() => null),
      this.monitoring.state(),
      distribution(this.dataSource, 'strategy', windowS),
      distribution(this.dataSource, 'complexity', windowS),
      recentDecisions(this.dataSource, RECENT_DECISIONS),
    ]);
    const now = new Date();
    return {
      service: 'ai-crew-system',
      status: 'operational',
      version: SERVICE_VERSION,
      runtime: runtimeInfo(),
      environment: this.config.server.environment,
      uptime_seconds: Math.round((now.getTime() - this.startedAt.getTime()) / 100) / 10,
      started_at: this.startedAt.toISOString(),
      ai_mode: this.config.llm.enabled ? 'llm' : 'deterministic',
      model: this.config.llm.enabled ? this.config.llm.model : null,
      database: this.config.database.kind,
      worker: { enabled: this.worker.enabled, slots: this.worker.slots, busy: this.worker.busy, instance_id: WORKER_ID },
      queue: { depth },
      monitoring: toStateDto(state),
      distribution_window_hours: DISTRIBUTION_WINDOW_HOURS,
      strategy_distribution: strategies,
      complexity_distribution: complexities,
      recent_decisions: decisions.map((d) => ({
        task_id: d.taskId,
        type: d.type,
        domain: d.domain,
        strategy: d.strategy,
        complexity: d.complexity,
        confidence: d.confidence,
        rule: d.rule,
        reasoning: d.reasoning,
        created_at: d.createdAt.toISOString(),
      })),
      timestamp: now.toISOString(),
    };
  }

  async statistics(): Promise<StatisticsResponseDto> {
    // One scan of all tasks for the totals and the four breakdowns.
    const { overall, groups } = await windowStats(this.dataSource, ['status', 'strategy', 'domain', 'type'], {});
    const { status: byStatus, strategy: byStrategy, domain: byDomain, type: byType } = groups;
    return {
      total_tasks: overall.executions,
      by_status: Object.fromEntries(byStatus.map((group) => [group.key ?? 'none', group.executions])),
      by_strategy: breakdown(byStrategy),
      by_domain: breakdown(byDomain),
      by_type: breakdown(byType),
      success_rate: round(successRate(overall)),
      tokens: {
        input: overall.inputTokens,
        output: overall.outputTokens,
        cached: overall.cachedTokens,
        total: overall.inputTokens + overall.outputTokens,
        llm_calls: overall.llmCalls,
      },
      cost: {
        total_usd: round(overall.costUsd, 6) ?? 0,
        per_task_usd: overall.executions > 0 ? round(overall.costUsd / overall.executions, 6) : null,
      },
      cache_hits: overall.cacheHits,
      timestamp: new Date().toISOString(),
    };
  }

  async setMonitoring(active: boolean): Promise<MonitoringConfigDto> {
    return this.monitoringConfig(await this.monitoring.setActive(active));
  }

  monitoringConfig(state: MonitoringState): MonitoringConfigDto {
    return {
      ...toStateDto(state),
      window_minutes: this.settings.windowMinutes,
      min_samples: this.settings.minSamples,
      cooldown_minutes: this.settings.cooldownMinutes,
      evaluation_interval_seconds: this.settings.evaluationIntervalS,
      webhook_configured: this.config.monitoring.alertWebhookUrl !== undefined,
      thresholds: {
        execution_time_seconds: thresholds(this.settings.executionTimeS),
        success_rate: thresholds(this.settings.successRate),
        cost_per_hour_usd: thresholds(this.settings.costPerHourUsd),
        queue_wait_seconds: thresholds(this.settings.queueWaitS),
      },
    };
  }
}
