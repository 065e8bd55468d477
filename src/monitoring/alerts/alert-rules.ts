import type { AlertLevel, LevelThresholds, MonitoringSettings } from '../monitoring-settings.js';
import type { GroupStats, TaskStats } from '../../tasks/statistics/task-stats.queries.js';
import { successRate } from '../../tasks/statistics/task-stats.queries.js';

export const ALERT_METRICS = ['execution_time', 'success_rate', 'cost_per_hour', 'queue_wait'] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

/** An alert the rules raise; stored and sent as DESIGN.md §10's shape. */
export interface AlertCandidate {
  level: AlertLevel;
  metricType: AlertMetric;
  message: string;
  currentValue: number;
  threshold: number;
  affectedComponents: string[];
  suggestedActions: string[];
}

/** What the rules look at: the alert window's tasks and the queue as it is now. */
export interface AlertInputs {
  overall: TaskStats;
  byStrategy: GroupStats[];
  byType: GroupStats[];
  oldestPendingWaitS: number | null;
}

/** The worst level whose threshold the value reached (≥ for 'above' metrics, ≤ for 'below' ones). */
export function levelFor(value: number, thresholds: LevelThresholds): { level: AlertLevel; threshold: number } | null {
  const reached = (threshold: number) => (thresholds.direction === 'above' ? value >= threshold : value <= threshold);
  if (reached(thresholds.critical)) return { level: 'critical', threshold: thresholds.critical };
  if (reached(thresholds.error)) return { level: 'error', threshold: thresholds.error };
  if (reached(thresholds.warning)) return { level: 'warning', threshold: thresholds.warning };
  return null;
}

function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function format(value: number): string {
  return String(round(value, 3));
}

const ACTIONS: Record<AlertMetric, string[]> = {
  execution_time: [
    'Review the complexity and data volume of the slowest task types',
    'Consider optimizing agent selection or a lighter strategy (POST /api/crew/optimize)',
    'Check the LLM provider latency (gen_ai_client_operation_duration_seconds)',
  ],
  success_rate: [
    'Inspect recent failed tasks (GET /api/crew/tasks?status=failed) and their guidance',
    'Check the LLM provider and upstream integrations for errors',
    'Review failing agents in POST /api/crew/optimize',
  ],
  cost_per_hour: [
    'Find the costliest task types in GET /api/crew/performance/summary (cost.per_task_type)',
    'Enable or extend response caching (ENABLE_CREW_CACHING, CREW_CACHE_TTL_SECONDS)',
    'Route simple task types to cheaper strategies or a cheaper OPENAI_MODEL',
  ],
  queue_wait: [
    'Raise MAX_CONCURRENT_WORKFLOWS or add instances with WORKER_ENABLED=true',
    'Check that workers are running and the database is healthy',
    'Lower the priority of bulk background work',
  ],
};

function candidate(
  metricType: AlertMetric,
  value: number,
  thresholds: LevelThresholds,
  describe: (level: AlertLevel, threshold: number) => string,
  affected: (threshold: number) => string[],
): AlertCandidate | null {
  const hit = levelFor(value, thresholds);
  if (!hit) return null;
  return {
    level: hit.level,
    metricType,
    message: describe(hit.level, hit.threshold),
    currentValue: round(value, 6),
    threshold: hit.threshold,
    affectedComponents: affected(hit.threshold),
    suggestedActions: ACTIONS[metricType],
  };
}

/**
 * Applies the four alert rules to the window's measurements. Latency and success rate need at least
 * `minSamples` tasks that ended in the window; cost and a waiting queue alert on any volume.
 */
export function evaluateAlertRules(inputs: AlertInputs, settings: MonitoringSettings): AlertCandidate[] {
  const window = `over the last ${settings.windowMinutes} min`;
  const alerts: (AlertCandidate | null)[] = [];
  const { overall } = inputs;

  if (overall.outcomes >= settings.minSamples && overall.p95Ms !== null) {
    const p95S = overall.p95Ms / 1000;
    alerts.push(
      candidate(
        'execution_time',
        p95S,
        settings.executionTimeS,
        (level, threshold) => `High execution time detected: p95 ${format(p95S)} s ${window} (${level} threshold ${threshold} s)`,
        (threshold) =>
          inputs.byStrategy
            .filter((group) => group.key !== null && group.p95Ms !== null && group.p95Ms / 1000 >= threshold)
            .map((group) => `strategy:${group.key}`),
      ),
    );
  }

  const rate = successRate(overall);
  if (overall.outcomes >= settings.minSamples && rate !== null) {
    alerts.push(
      candidate(
        'success_rate',
        rate,
        settings.successRate,
        (level, threshold) =>
          `Low success rate detected: ${format(rate * 100)}% of ${overall.outcomes} tasks ${window} (${level} threshold ${format(threshold * 100)}%)`,
        (threshold) =>
          inputs.byStrategy
            .filter((group) => {
              const groupRate = successRate(group);
              return group.key !== null && groupRate !== null && groupRate <= threshold;
            })
            .map((group) => `strategy:${group.key}`),
      ),
    );
  }

  const costPerHour = (overall.costUsd * 60) / settings.windowMinutes;
  alerts.push(
    candidate(
      'cost_per_hour',
      costPerHour,
      settings.costPerHourUsd,
      (level, threshold) => `High LLM cost detected: $${format(costPerHour)} per hour ${window} (${level} threshold $${threshold})`,
      () =>
        [...inputs.byType]
          .filter((group) => group.costUsd > 0)
          .sort((a, b) => b.costUsd - a.costUsd)
          .slice(0, 3)
          .map((group) => `task_type:${group.key}`),
    ),
  );

  const p95WaitS = overall.queued >= settings.minSamples && overall.queueP95Ms !== null ? overall.queueP95Ms / 1000 : null;
  const waitS = Math.max(p95WaitS ?? 0, inputs.oldestPendingWaitS ?? 0);
  if (p95WaitS !== null || inputs.oldestPendingWaitS !== null) {
    const oldestDominates = (inputs.oldestPendingWaitS ?? 0) > (p95WaitS ?? 0);
    alerts.push(
      candidate(
        'queue_wait',
        waitS,
        settings.queueWaitS,
        (level, threshold) =>
          oldestDominates
            ? `Queue backlog detected: the oldest queued task has waited ${format(waitS)} s (${level} threshold ${threshold} s)`
            : `High queue wait detected: p95 ${format(waitS)} s ${window} (${level} threshold ${threshold} s)`,
        () => ['queue', 'workers'],
      ),
    );
  }

  return alerts.filter((alert): alert is AlertCandidate => alert !== null);
}
