import { describe, expect, it } from 'vitest';
import { fillDays, insightsFor } from '../task-types/activity-trends.js';
import type { KpiSnapshot } from '../task-types/kpi-snapshot.js';
import { buildReport, kpiHighlights } from './report.js';

const KPIS: KpiSnapshot = {
  status: 'ok',
  message: null,
  window_days: 30,
  since: '2026-02-01T00:00:00.000Z',
  tasks: {
    total: 10,
    completed: 7,
    failed: 1,
    timed_out: 0,
    cancelled: 2,
    in_progress: 0,
    success_rate: 0.875,
    cost_usd: 0.0123,
    avg_duration_ms: 120,
    llm_calls: 0,
    tokens: 0,
    by_domain: {},
  },
  domains: {
    cms: { content_items: { available: true, total: 4, created_in_window: 3, by_status: { draft: 3, published: 1 } } },
    crm: {
      customers: { available: true, total: 0, created_in_window: 0, by_status: null },
      deals: { available: false, reason: 'the table does not exist' },
    },
  },
  not_available: ['crm.deals'],
};

describe('analytics report synthesis', () => {
  it('writes KPI highlights from the numbers', () => {
    // success rate 7 / (7 + 1 + 0) = 0.875 → 87.5 %
    expect(kpiHighlights(KPIS)).toEqual([
      'Tasks: 10 in the last 30 days, success rate 87.5% (7 completed, 1 failed), cost $0.0123.',
      'cms.content_items: 4 records (3 new in 30 days).',
      'Not available: crm.deals.',
    ]);
  });

  it('adds trend and anomaly highlights for posted metrics', () => {
    // signups 2 4 6 8 10: slope 2, mean 6 → relative change 2 × 4 / 6 = +133.3 %, r² 1.
    // load 10 10 10 10 10 50: x̄ 2.5, ȳ 16.667, Sxy 100, Sxx 17.5 → slope 5.714286, relative 5.714286 × 5 / 16.667 = +171.4 %;
    // Syy 1333.33 → r² = 100² / (17.5 × 1333.33) = 0.428571. MAD 0 → scale = mean |dev| 6.6667 × 1.2533 = 8.3553 → z(50) = 40 / 8.3553 = 4.7874.
    const report = buildReport({
      kpis: KPIS,
      insights: insightsFor({ signups: [2, 4, 6, 8, 10], load: [10, 10, 10, 10, 10, 50], tiny: [1, 2] }, 3.5),
    });
    expect(report).toMatchObject({
      report_type: 'business_report',
      status: 'ok',
      window_days: 30,
      insights: { source: 'posted_metrics', summary: { analysed: 2, not_enough_data: 1, anomalies: 1 } },
    });
    expect(report.highlights.slice(3)).toEqual([
      'signups is trending up (+133.3% over the series), r² 1.',
      'load is trending up (+171.4% over the series), r² 0.428571.',
      'load: 1 anomaly at #5 = 50 (z 4.7874).',
      'tiny: not enough data (2 points; 3 needed).',
    ]);
  });

  it('answers not enough data when there are no tasks, records or analysable series', () => {
    const empty: KpiSnapshot = { ...KPIS, status: 'not_enough_data', tasks: { ...KPIS.tasks, total: 0 }, domains: {}, not_available: [] };
    expect(buildReport({ kpis: empty, insights: insightsFor({ tiny: [1] }, 3.5) })).toMatchObject({
      status: 'not_enough_data',
      message:
        'Not enough data for a report: no tasks or domain records in the window and no metric series with 3 or more points. Post metrics or run some tasks first.',
    });
  });

  it('zero-fills quiet days between the first active day and today', () => {
    expect(
      fillDays(
        [
          { day: '2026-03-01', tasks: 2, failed: 1, cost_usd: 0.5 },
          { day: '2026-03-03', tasks: 1, failed: 0, cost_usd: 0 },
        ],
        '2026-03-04',
      ),
    ).toEqual([
      { day: '2026-03-01', tasks: 2, failed: 1, cost_usd: 0.5 },
      { day: '2026-03-02', tasks: 0, failed: 0, cost_usd: 0 },
      { day: '2026-03-03', tasks: 1, failed: 0, cost_usd: 0 },
      { day: '2026-03-04', tasks: 0, failed: 0, cost_usd: 0 },
    ]);
    expect(fillDays([], '2026-03-04')).toEqual([]);
  });
});
