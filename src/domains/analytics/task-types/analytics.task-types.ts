/** The analytics task catalogue: KPI snapshot, metric insights, activity trends and the multi-agent report. */
import type { FieldError } from '../../../common/problem.js';
import type { PlanStep, TaskTypeDefinition } from '../../../tasks/task-type.js';
import { AI_STRATEGIES } from '../../shared/task-kit.js';
import { activityTrends, type ActivityTrends, insightsFor, type InsightsResult } from './activity-trends.js';
import { ACTIVITY_SCHEMA, INSIGHTS_RESULT_SCHEMA, KPI_SNAPSHOT_SCHEMA, REPORT_SCHEMA, type ReportResult } from './analytics.schemas.js';
import { ActivityTrendsParams, InsightsParams, KpiSnapshotParams, ReportParams } from '../dto/analytics.params.js';
import { MIN_POINTS } from '../algorithms/insights.js';
import { type DomainTables, kpiSnapshot, type KpiSnapshot } from './kpi-snapshot.js';
import { buildReport, type Report } from '../algorithms/report.js';

const MAX_METRICS = 50;
const MAX_POINTS = 10_000;
const DEFAULT_Z = 3.5;
const DEFAULT_KPI_DAYS = 30;
const DEFAULT_ACTIVITY_DAYS = 14;
/** A report's task-history series covers at most this many days. */
const MAX_SERIES_DAYS = 90;

function checkMetrics(metrics: Record<string, unknown>, field = 'metrics'): FieldError[] {
  const errors: FieldError[] = [];
  const entries = Object.entries(metrics);
  if (entries.length === 0) errors.push({ field, message: 'give at least one metric series' });
  if (entries.length > MAX_METRICS) errors.push({ field, message: `at most ${MAX_METRICS} metrics` });
  for (const [name, values] of entries) {
    if (!Array.isArray(values)) errors.push({ field: `${field}.${name}`, message: 'must be an array of numbers in time order' });
    else if (values.length > MAX_POINTS) errors.push({ field: `${field}.${name}`, message: `at most ${MAX_POINTS} points` });
    else if (!values.every((v) => typeof v === 'number' && Number.isFinite(v)))
      errors.push({ field: `${field}.${name}`, message: 'must contain only finite numbers' });
  }
  return errors;
}

const hasMetrics = (p: ReportParams): boolean => Boolean(p.metrics && Object.keys(p.metrics).length);
const hasCustomers = (p: ReportParams): boolean => Boolean(p.customers?.length);
const seriesDays = (p: ReportParams): number => Math.min(p.days ?? DEFAULT_KPI_DAYS, MAX_SERIES_DAYS);

/** The report's multi-agent plan: workers collect KPIs and series, the insights specialist analyses posted metrics. */
const REPORT_PLAN: PlanStep<ReportParams>[] = [
  {
    id: 'kpis',
    agent: 'analytics_data_worker',
    instructions: 'Collect the KPI snapshot across the domains',
    taskType: 'analytics_kpi_snapshot',
    parameters: (p) => ({ days: p.days ?? DEFAULT_KPI_DAYS }),
  },
  {
    id: 'activity',
    agent: 'analytics_calc_worker',
    instructions: "Build the tenant's daily task series and compute trend and anomalies",
    taskType: 'analytics_activity_trends',
    parameters: (p) => ({ days: seriesDays(p), z_threshold: p.z_threshold ?? DEFAULT_Z }),
    when: (p) => !hasMetrics(p),
  },
  {
    id: 'insights',
    agent: 'analytics_insights_specialist',
    instructions: 'Find trends and anomalies in the posted metric series',
    taskType: 'analytics_insights_generation',
    parameters: (p) => ({ metrics: p.metrics, z_threshold: p.z_threshold ?? DEFAULT_Z }),
    when: hasMetrics,
  },
];

/**
 * The crew: the analytics supervisor runs the report, and other domains contribute through the delegation
 * registry by task-type name (never by import) — the integrations' sync health always, the CRM's customer
 * segmentation when customers are posted.
 */
const REPORT_CREW_PLAN: PlanStep<ReportParams>[] = [
  { id: 'analytics', agent: 'analytics_supervisor', instructions: 'Build the business report', taskType: 'analytics_report_generation' },
  {
    id: 'integrations',
    agent: 'integrations_supervisor',
    instructions: 'Report the health of the data syncs',
    taskType: 'integrations_error_analysis',
    parameters: (p) => ({ days: p.days ?? DEFAULT_KPI_DAYS }),
  },
  {
    id: 'customers',
    agent: 'crm_supervisor',
    instructions: 'Segment the posted customers',
    taskType: 'crm_customer_segmentation',
    parameters: (p) => ({
      customer_data: p.customers,
      segmentation_type: 'behavioral',
      segment_count: p.segment_count ?? Math.min(4, Math.max(1, p.customers?.length ?? 1)),
    }),
    when: hasCustomers,
  },
];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Highlights from the other domains' parts, read defensively: their shapes belong to them. */
function crewHighlights(results: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const sync = results.integrations;
  if (isRecord(sync) && sync.status === 'ok' && isRecord(sync.overall)) {
    const { runs, failed, failure_rate: rate } = sync.overall;
    if (typeof runs === 'number' && typeof failed === 'number' && typeof rate === 'number') {
      lines.push(`Integrations: ${failed} of ${runs} sync runs failed (${Math.round(rate * 1000) / 10}%).`);
    }
  }
  const crm = results.customers;
  if (isRecord(crm) && Array.isArray(crm.segments)) lines.push(`CRM: the posted customers form ${crm.segments.length} segments.`);
  return lines;
}

/** Multi-agent: the plan's parts into the report. Crew: the report plus the other domains' parts. */
function synthesizeReport(results: Record<string, unknown>): ReportResult {
  if (!('analytics' in results)) {
    return buildReport({
      kpis: results.kpis as KpiSnapshot | undefined,
      activity: results.activity as ActivityTrends | undefined,
      insights: results.insights as InsightsResult | undefined,
    });
  }
  const report = results.analytics as Report;
  return {
    ...report,
    highlights: [...report.highlights, ...crewHighlights(results)],
    domains: {
      integrations: (results.integrations ?? null) as Record<string, unknown> | null,
      crm: (results.customers ?? null) as Record<string, unknown> | null,
    },
    parts: Object.keys(results).sort(),
  };
}

/** `domainTables` answers the tables each domain declares in the registry, read when a task runs. */
export function analyticsTaskTypes(domainTables: () => DomainTables): TaskTypeDefinition[] {
  const insights: TaskTypeDefinition<InsightsParams, InsightsResult> = {
    type: 'analytics_insights_generation',
    domain: 'analytics',
    description: `Trend (least squares) and anomalies (robust z-score, median/MAD) for each metric series; series under ${MIN_POINTS} points are reported as not enough data.`,
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'analytics_insights_specialist',
    parameters: InsightsParams,
    resultSchema: INSIGHTS_RESULT_SCHEMA,
    check: (p) => checkMetrics(p.metrics),
    run: (_context, p) => Promise.resolve({ aiMode: 'deterministic', result: insightsFor(p.metrics, p.z_threshold ?? DEFAULT_Z) }),
  };
  const kpis: TaskTypeDefinition<KpiSnapshotParams, KpiSnapshot> = {
    type: 'analytics_kpi_snapshot',
    domain: 'analytics',
    description:
      "KPIs across the domains from the database for one tenant: task counts, success rate and cost, and row counts (total, new in the window, by status) of the other domains' tables; a missing table is reported as not available.",
    complexity: 'simple',
    strategy: 'direct_db',
    requiresAi: false,
    parameters: KpiSnapshotParams,
    resultSchema: KPI_SNAPSHOT_SCHEMA,
    run: async (context, p) => ({
      aiMode: 'deterministic',
      result: await kpiSnapshot(context.manager, context.tenantId, context.taskId, p.days ?? DEFAULT_KPI_DAYS, domainTables()),
    }),
  };
  const activity: TaskTypeDefinition<ActivityTrendsParams, ActivityTrends> = {
    type: 'analytics_activity_trends',
    domain: 'analytics',
    description: "The tenant's task activity per UTC day (tasks, failures, cost) with least-squares trend and robust z-score anomalies.",
    complexity: 'simple',
    strategy: 'direct_db',
    requiresAi: false,
    parameters: ActivityTrendsParams,
    resultSchema: ACTIVITY_SCHEMA,
    run: async (context, p) => ({
      aiMode: 'deterministic',
      result: await activityTrends(
        context.manager,
        context.tenantId,
        context.taskId,
        p.days ?? DEFAULT_ACTIVITY_DAYS,
        p.z_threshold ?? DEFAULT_Z,
      ),
    }),
  };
  const report: TaskTypeDefinition<ReportParams, ReportResult> = {
    type: 'analytics_report_generation',
    domain: 'analytics',
    description:
      'Business report: the data worker collects KPIs, the calculation worker or the insights specialist finds trends and anomalies (posted metrics, else daily task history), the supervisor synthesises kpis, insights and highlights; as a crew, the integrations (sync health) and CRM (segments of posted customers) domains contribute.',
    complexity: 'complex',
    strategy: 'multi_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'analytics_reporting_specialist',
    parameters: ReportParams,
    resultSchema: REPORT_SCHEMA,
    check: (p) => [
      ...(p.metrics !== undefined ? checkMetrics(p.metrics) : []),
      ...(p.customers !== undefined && !p.customers.every(isRecord)
        ? [{ field: 'customers', message: 'must be an array of customer objects' }]
        : []),
    ],
    plan: REPORT_PLAN,
    crewPlan: REPORT_CREW_PLAN,
    synthesize: synthesizeReport,
    run: async (context, p) => {
      const snapshot = await kpiSnapshot(context.manager, context.tenantId, context.taskId, p.days ?? DEFAULT_KPI_DAYS, domainTables());
      const threshold = p.z_threshold ?? DEFAULT_Z;
      const parts = hasMetrics(p)
        ? { kpis: snapshot, insights: insightsFor(p.metrics ?? {}, threshold) }
        : { kpis: snapshot, activity: await activityTrends(context.manager, context.tenantId, context.taskId, seriesDays(p), threshold) };
      return { aiMode: 'deterministic', result: buildReport(parts) };
    },
  };
  return [insights, kpis, activity, report] as unknown as TaskTypeDefinition[];
}
