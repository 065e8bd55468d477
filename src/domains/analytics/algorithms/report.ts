import type { ActivityTrends, InsightsResult } from '../task-types/activity-trends.js';
import type { MetricInsight } from './insights.js';
import type { KpiSnapshot } from '../task-types/kpi-snapshot.js';

export interface ReportParts {
  kpis?: KpiSnapshot;
  /** Insights over the tenant's task history (when no metrics were posted)… */
  activity?: ActivityTrends;
  /** …or over the posted metrics. */
  insights?: InsightsResult;
}

export interface Report {
  report_type: 'business_report';
  status: 'ok' | 'not_enough_data';
  message: string | null;
  window_days: number | null;
  kpis: KpiSnapshot | null;
  insights: (InsightsResult & { source: 'posted_metrics' | 'task_history' }) | null;
  highlights: string[];
}

const percent = (value: number): string => `${Math.round(value * 1000) / 10}%`;
const MAX_ANOMALIES_LISTED = 3;

export function kpiHighlights(kpis: KpiSnapshot): string[] {
  const lines: string[] = [];
  const t = kpis.tasks;
  if (t.total > 0) {
    const rate = t.success_rate === null ? 'no finished tasks' : `success rate ${percent(t.success_rate)}`;
    lines.push(
      `Tasks: ${t.total} in the last ${kpis.window_days} days, ${rate} (${t.completed} completed, ${t.failed + t.timed_out} failed), cost $${t.cost_usd}.`,
    );
  }
  for (const [domain, tables] of Object.entries(kpis.domains)) {
    for (const [table, kpi] of Object.entries(tables)) {
      if (!kpi.available || kpi.total === 0) continue;
      const recent = kpi.created_in_window === null ? '' : ` (${kpi.created_in_window} new in ${kpis.window_days} days)`;
      lines.push(`${domain}.${table}: ${kpi.total} record${kpi.total === 1 ? '' : 's'}${recent}.`);
    }
  }
  if (kpis.not_available.length) lines.push(`Not available: ${kpis.not_available.join(', ')}.`);
  return lines;
}

function metricHighlights(metric: MetricInsight): string[] {
  if (metric.status === 'not_enough_data' || !metric.trend)
    return [`${metric.metric}: not enough data (${metric.points} points; 3 needed).`];
  const { direction, relative_change: change, r2 } = metric.trend;
  const lines = [
    direction === 'flat'
      ? `${metric.metric} is flat (r² ${r2}).`
      : `${metric.metric} is trending ${direction}${change === null ? '' : ` (${change > 0 ? '+' : ''}${percent(change)} over the series)`}, r² ${r2}.`,
  ];
  if (metric.anomalies.length) {
    const listed = metric.anomalies
      .slice(0, MAX_ANOMALIES_LISTED)
      .map((a) => `#${a.index} = ${a.value} (z ${a.robust_z})`)
      .join(', ');
    const more = metric.anomalies.length > MAX_ANOMALIES_LISTED ? ` and ${metric.anomalies.length - MAX_ANOMALIES_LISTED} more` : '';
    lines.push(`${metric.metric}: ${metric.anomalies.length} anomal${metric.anomalies.length === 1 ? 'y' : 'ies'} at ${listed}${more}.`);
  }
  return lines;
}

/**
 * The report's synthesis: sections kpis, insights (posted metrics, else the task-history series) and
 * highlights — one line per fact, written by code from the numbers. "Not enough data" when there are
 * neither tasks, nor domain records, nor a metric series to analyse.
 */
export function buildReport(parts: ReportParts): Report {
  const kpis = parts.kpis ?? null;
  const insights = parts.insights
    ? { ...parts.insights, source: 'posted_metrics' as const }
    : parts.activity && parts.activity.status === 'ok'
      ? { ...parts.activity.insights, source: 'task_history' as const }
      : null;
  const highlights = [...(kpis ? kpiHighlights(kpis) : []), ...(insights ? insights.metrics.flatMap(metricHighlights) : [])];
  const noKpis = !kpis || kpis.status === 'not_enough_data';
  const noInsights = !insights || insights.summary.analysed === 0;
  const empty = noKpis && noInsights;
  return {
    report_type: 'business_report',
    status: empty ? 'not_enough_data' : 'ok',
    message: empty
      ? 'Not enough data for a report: no tasks or domain records in the window and no metric series with 3 or more points. Post metrics or run some tasks first.'
      : null,
    window_days: kpis?.window_days ?? null,
    kpis,
    insights,
    highlights,
  };
}
