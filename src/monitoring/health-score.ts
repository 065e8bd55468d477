import { levelFor } from './alerts/alert-rules.js';
import type { AlertLevel, MonitoringSettings } from './monitoring-settings.js';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthInputs {
  /** completed / (completed + failed + timed_out); null without any. */
  successRate: number | null;
  executionP95S: number | null;
  queueWaitS: number | null;
}

export interface HealthScore {
  score: number;
  status: HealthStatus;
  /** Points taken off and why, so the number can be explained. */
  penalties: { reason: string; points: number }[];
}

const LATENCY_PENALTY: Record<AlertLevel, number> = { warning: 5, error: 12, critical: 20 };
const QUEUE_PENALTY: Record<AlertLevel, number> = { warning: 3, error: 8, critical: 15 };

/**
 * 100 minus penalties: up to 50 for failures (one point per percent of tasks that did not complete), and
 * 5/12/20 for p95 execution time and 3/8/15 for queue wait at the warning/error/critical alert thresholds.
 * 80 or more is healthy, 50 or more degraded, below that unhealthy. No data: 100.
 */
export function healthScore(inputs: HealthInputs, settings: MonitoringSettings): HealthScore {
  const penalties: { reason: string; points: number }[] = [];
  if (inputs.successRate !== null && inputs.successRate < 1) {
    penalties.push({
      reason: `success rate ${Math.round(inputs.successRate * 1000) / 10}%`,
      points: Math.min(50, Math.round((1 - inputs.successRate) * 100)),
    });
  }
  const latency = inputs.executionP95S === null ? null : levelFor(inputs.executionP95S, settings.executionTimeS);
  if (latency) penalties.push({ reason: `p95 execution time at the ${latency.level} threshold`, points: LATENCY_PENALTY[latency.level] });
  const queue = inputs.queueWaitS === null ? null : levelFor(inputs.queueWaitS, settings.queueWaitS);
  if (queue) penalties.push({ reason: `queue wait at the ${queue.level} threshold`, points: QUEUE_PENALTY[queue.level] });
  const score = Math.max(0, 100 - penalties.reduce((sum, penalty) => sum + penalty.points, 0));
  return { score, status: score >= 80 ? 'healthy' : score >= 50 ? 'degraded' : 'unhealthy', penalties };
}
