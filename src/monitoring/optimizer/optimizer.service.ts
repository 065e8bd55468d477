import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { type RoutingOverride, RoutingOverrideStore } from '../../delegation/routing-override.store.js';
import type { OptimizeResponseDto, RecommendationDto, RoutingOverrideDto } from '../dto/alert-response.dto.js';
import { MONITORING_SETTINGS, type MonitoringSettings } from '../monitoring-settings.js';
import { type GroupStats, type TaskStats, windowStats } from '../../tasks/statistics/task-stats.queries.js';
import { type Recommendation, recommend } from './optimizer-rules.js';
import { agentFailures, repeatedInputs, strategyUsage } from '../../tasks/statistics/optimizer.queries.js';

/** Window stats a caller already has (the summary), so they are not measured twice. */
export interface MeasuredWindow {
  overall: TaskStats;
  byType: GroupStats[];
  byStrategy: GroupStats[];
}

export function toOverrideDto(override: RoutingOverride): RoutingOverrideDto {
  return {
    id: override.id,
    task_type: override.taskType,
    from_strategy: override.fromStrategy,
    to_strategy: override.toStrategy,
    reason: override.reason,
    created_at: override.createdAt.toISOString(),
  };
}

function isApplied(recommendation: Recommendation, overrides: RoutingOverride[]): boolean {
  const target = recommendation.override;
  if (!target) return false;
  return overrides.some(
    (o) =>
      o.fromStrategy === target.fromStrategy &&
      o.toStrategy === target.toStrategy &&
      (o.taskType === target.taskType || o.taskType === null),
  );
}

export function toRecommendationDto(recommendation: Recommendation, overrides: RoutingOverride[]): RecommendationDto {
  return {
    category: recommendation.category,
    priority: recommendation.priority,
    ...(recommendation.strategy ? { strategy: recommendation.strategy } : {}),
    ...(recommendation.taskType ? { task_type: recommendation.taskType } : {}),
    recommendation: recommendation.recommendation,
    details: recommendation.details,
    expected_impact: recommendation.expectedImpact,
    applicable: recommendation.applicable,
    applied: isApplied(recommendation, overrides),
  };
}

/** Turns measured history into recommendations and applies the safe ones as routing overrides. */
@Injectable()
export class OptimizerService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MONITORING_SETTINGS) private readonly settings: MonitoringSettings,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly overrides: RoutingOverrideStore,
  ) {}

  async recommendations(windowS: number, measured?: MeasuredWindow): Promise<Recommendation[]> {
    const filter = { windowS };
    const [window, usage, repeats, failures] = await Promise.all([
      measured ??
        windowStats(this.dataSource, ['type', 'strategy'], filter).then(({ overall, groups }) => ({
          overall,
          byType: groups.type,
          byStrategy: groups.strategy,
        })),
      strategyUsage(this.dataSource, windowS),
      repeatedInputs(this.dataSource, windowS),
      agentFailures(this.dataSource, windowS),
    ]);
    const singleAgentByType = new Map(
      usage.filter((row) => row.strategy === 'single_agent').map((row) => [row.type, { p50Ms: row.p50Ms, avgCostUsd: row.avgCostUsd }]),
    );
    return recommend(
      { ...window, strategyUsage: usage, singleAgentByType, repeats, agentFailures: failures },
      {
        settings: this.settings,
        cachingEnabled: this.config.crew.cachingEnabled,
        maxConcurrentWorkflows: this.config.crew.maxConcurrentWorkflows,
        workerEnabled: this.config.crew.workerEnabled,
      },
    );
  }

  /** Recommendations as the wire shows them, each marked applied when an override in force covers it. */
  async recommendationDtos(windowS: number, measured?: MeasuredWindow): Promise<RecommendationDto[]> {
    const [recommendations, active] = await Promise.all([this.recommendations(windowS, measured), this.overrides.activeOverrides()]);
    return recommendations.map((r) => toRecommendationDto(r, active));
  }

  async optimize(hours: number, apply: boolean): Promise<OptimizeResponseDto> {
    const recommendations = await this.recommendations(hours * 3600);
    let appliedNow: RoutingOverride[] = [];
    if (apply) {
      const applied = await this.overrides.apply(
        recommendations.flatMap((r) =>
          r.applicable && r.override
            ? [
                {
                  ...r.override,
                  reason: r.recommendation,
                  evidence: { ...r.details, expected_impact: r.expectedImpact },
                  source: 'optimizer',
                },
              ]
            : [],
        ),
      );
      appliedNow = applied.filter((override) => override.created);
    }
    const active = await this.overrides.activeOverrides();
    return {
      generated_at: new Date().toISOString(),
      period_hours: hours,
      recommendations: recommendations.map((r) => toRecommendationDto(r, active)),
      applied_now: appliedNow.map(toOverrideDto),
      active_overrides: active.map(toOverrideDto),
    };
  }
}
