import type { EntityManager } from 'typeorm';
import { type DailyActivity, TaskHistory } from '../../../tasks/task-history.js';
import { analyzeMetric, type MetricInsight } from '../algorithms/insights.js';

export type { DailyActivity };

export interface InsightsResult {
  metrics: MetricInsight[];
  summary: { analysed: number; not_enough_data: number; anomalies: number; z_threshold: number };
}

export interface ActivityTrends {
  status: 'ok' | 'not_enough_data';
  message: string | null;
  window_days: number;
  days: string[];
  series: { tasks_per_day: number[]; failed_per_day: number[]; cost_usd_per_day: number[] };
  insights: InsightsResult;
}

const DAY_MS = 86_400_000;

/** Trend and anomalies for each named series (the analytics_insights_generation computation). */
export function insightsFor(metrics: Record<string, readonly number[]>, threshold: number): InsightsResult {
  const analysed = Object.entries(metrics).map(([name, values]) => analyzeMetric(name, values, threshold));
  return {
    metrics: analysed,
    summary: {
      analysed: analysed.filter((m) => m.status === 'ok').length,
      not_enough_data: analysed.filter((m) => m.status === 'not_enough_data').length,
      anomalies: analysed.reduce((sum, m) => sum + m.anomalies.length, 0),
      z_threshold: threshold,
    },
  };
}

/**
 * Zero-filled daily series from the first day with activity to `today` (UTC dates, YYYY-MM-DD), so a
 * quiet day counts as 0 rather than disappearing from the trend.
 */
export function fillDays(rows: readonly DailyActivity[], today: string): DailyActivity[] {
  if (rows.length === 0) return [];
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const filled: DailyActivity[] = [];
  for (let t = Date.parse(`${rows[0].day}T00:00:00Z`); t <= Date.parse(`${today}T00:00:00Z`); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    filled.push(byDay.get(day) ?? { day, tasks: 0, failed: 0, cost_usd: 0 });
  }
  return filled;
}

/** The tenant's task activity per UTC day over the last `days` days (without the asking task), with trend and anomalies. */
export async function activityTrends(
  manager: EntityManager,
  tenantId: string,
  selfTaskId: string,
  days: number,
  threshold: number,
): Promise<ActivityTrends> {
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const since = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS);
  // Task counts come from the task core, on the task's own manager.
  const rows = await new TaskHistory(manager).daily(tenantId, selfTaskId, since);
  const filled = fillDays(rows, today);
  const series = {
    tasks_per_day: filled.map((d) => d.tasks),
    failed_per_day: filled.map((d) => d.failed),
    cost_usd_per_day: filled.map((d) => Math.round(d.cost_usd * 1e6) / 1e6),
  };
  const empty = filled.length === 0;
  return {
    status: empty ? 'not_enough_data' : 'ok',
    message: empty ? `Not enough data: tenant ${tenantId} has no tasks in the last ${days} days.` : null,
    window_days: days,
    days: filled.map((d) => d.day),
    series,
    insights: insightsFor(empty ? {} : series, threshold),
  };
}
