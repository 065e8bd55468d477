/**
 * Result schemas of the analytics task types, each held by the compiler to the type its handler returns
 * (describes<T>()).
 */
import {
  anyOf,
  array,
  bool,
  constant,
  describes,
  int,
  jsonValue,
  nullable,
  nullValue,
  num,
  object,
  oneOfValues,
  partial,
  record,
  str,
} from '../../../tasks/result-schema.js';
import type { ActivityTrends, InsightsResult } from './activity-trends.js';
import type { KpiSnapshot } from './kpi-snapshot.js';
import type { Report } from '../algorithms/report.js';

const STATUS = oneOfValues(['ok', 'not_enough_data'] as const);

const INSIGHTS_FIELDS = {
  metrics: array(
    partial({
      metric: str(),
      status: STATUS,
      points: int(),
      mean: nullable(num()),
      median: nullable(num()),
      mad: nullable(num()),
      trend: {
        ...nullable(
          object({
            slope: num(),
            intercept: num(),
            r2: num(),
            relative_change: nullable(num()),
            direction: oneOfValues(['up', 'down', 'flat'] as const),
          }),
        ),
        description: 'Least-squares trend; null with too few points.',
      },
      anomalies: array(object({ index: int(), value: num(), robust_z: num() })),
    }),
  ),
  summary: partial({ analysed: int(), not_enough_data: int(), anomalies: int(), z_threshold: num() }),
};

export const INSIGHTS_RESULT_SCHEMA = describes<InsightsResult>()(object(INSIGHTS_FIELDS));

const TABLE_KPI = partial({
  available: bool(),
  total: int(),
  created_in_window: nullable(int()),
  by_status: nullable(record(int(), { description: 'Rows per status.' })),
  reason: str(),
});

export const KPI_SNAPSHOT_SCHEMA = describes<KpiSnapshot>()(
  object(
    {
      status: STATUS,
      message: nullable(str()),
      window_days: int(),
      since: str({ format: 'date-time' }),
      tasks: partial({
        total: int(),
        completed: int(),
        failed: int(),
        timed_out: int(),
        cancelled: int(),
        in_progress: int(),
        success_rate: nullable(num()),
        cost_usd: num(),
        avg_duration_ms: nullable(num()),
        llm_calls: int(),
        tokens: int(),
        by_domain: record(partial({ total: int(), completed: int() }), { description: 'Tasks per domain.' }),
      }),
      domains: record(record(TABLE_KPI)),
      not_available: array(str()),
    },
    { optional: ['message', 'since'] },
  ),
);

export const ACTIVITY_SCHEMA = describes<ActivityTrends>()(
  object(
    {
      status: STATUS,
      message: nullable(str()),
      window_days: int(),
      days: array(str({ format: 'date' })),
      series: partial({ tasks_per_day: array(int()), failed_per_day: array(int()), cost_usd_per_day: array(num()) }),
      insights: INSIGHTS_RESULT_SCHEMA,
    },
    { optional: ['message', 'window_days'] },
  ),
);

/** Another domain's part of the crew report: that type's result, or null. */
const DOMAIN_PART = anyOf(record(jsonValue()), nullValue());

/** The report; as a crew, with the other domains' parts and the parts that ran. */
export type ReportResult = Report & {
  domains?: { integrations: Record<string, unknown> | null; crm: Record<string, unknown> | null };
  parts?: string[];
};

export const REPORT_SCHEMA = describes<ReportResult>()(
  object(
    {
      report_type: constant('business_report'),
      status: STATUS,
      message: nullable(str()),
      window_days: nullable(int()),
      kpis: anyOf(KPI_SNAPSHOT_SCHEMA, nullValue()),
      insights: anyOf(
        object({ ...INSIGHTS_FIELDS, source: oneOfValues(['posted_metrics', 'task_history'] as const) }, { optional: ['source'] }),
        nullValue(),
      ),
      highlights: array(str()),
      domains: partial(
        {
          integrations: { ...DOMAIN_PART, description: 'integrations_error_analysis result.' },
          crm: { ...DOMAIN_PART, description: 'crm_customer_segmentation result.' },
        },
        { description: "Crew only: the other domains' parts, each that type's result (its result_schema in the catalogue) or null." },
      ),
      parts: array(str(), { description: 'Crew only: the parts that ran.' }),
    },
    { optional: ['message', 'window_days', 'domains', 'parts'] },
  ),
);
