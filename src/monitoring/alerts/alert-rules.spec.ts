import { describe, expect, it } from 'vitest';
import { loadMonitoringSettings } from '../monitoring-settings.js';
import type { GroupStats, TaskStats } from '../../tasks/statistics/task-stats.queries.js';
import { type AlertInputs, evaluateAlertRules, levelFor } from './alert-rules.js';

const settings = loadMonitoringSettings({});

function stats(overrides: Partial<TaskStats> = {}): TaskStats {
  return {
    executions: 0,
    completed: 0,
    failed: 0,
    timedOut: 0,
    cancelled: 0,
    running: 0,
    pending: 0,
    outcomes: 0,
    avgMs: null,
    p50Ms: null,
    p95Ms: null,
    maxMs: null,
    queued: 0,
    queueAvgMs: null,
    queueP95Ms: null,
    llmCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    costUsd: 0,
    cacheHits: 0,
    ...overrides,
  };
}

const group = (key: string, overrides: Partial<TaskStats>): GroupStats => ({ key, ...stats(overrides) });

function inputs(overrides: Partial<AlertInputs> = {}): AlertInputs {
  return { overall: stats(), byStrategy: [], byType: [], oldestPendingWaitS: null, ...overrides };
}

describe('levelFor', () => {
  it('answers the worst level reached, inclusive at each threshold, in the bad direction', () => {
    expect(levelFor(59.999, settings.executionTimeS)).toBeNull();
    expect(levelFor(60, settings.executionTimeS)).toEqual({ level: 'warning', threshold: 60 });
    expect(levelFor(120, settings.executionTimeS)).toEqual({ level: 'error', threshold: 120 });
    expect(levelFor(1e9, settings.executionTimeS)).toEqual({ level: 'critical', threshold: 300 });
    expect(levelFor(0.9001, settings.successRate)).toBeNull();
    expect(levelFor(0.9, settings.successRate)).toEqual({ level: 'warning', threshold: 0.9 });
    expect(levelFor(0.75, settings.successRate)).toEqual({ level: 'error', threshold: 0.8 });
    expect(levelFor(0, settings.successRate)).toEqual({ level: 'critical', threshold: 0.7 });
  });
});

describe('evaluateAlertRules', () => {
  it('raises nothing for a quiet window', () => {
    expect(evaluateAlertRules(inputs(), settings)).toEqual([]);
    expect(evaluateAlertRules(inputs({ overall: stats({ outcomes: 100, completed: 100, p95Ms: 1000 }) }), settings)).toEqual([]);
  });

  it('names the strategies at or over the threshold as affected components', () => {
    const [alert] = evaluateAlertRules(
      inputs({
        overall: stats({ outcomes: 10, completed: 10, p95Ms: 130_000 }),
        byStrategy: [group('crew_workflow', { outcomes: 5, p95Ms: 200_000 }), group('direct_db', { outcomes: 5, p95Ms: 50 })],
      }),
      settings,
    );
    expect(alert).toEqual({
      level: 'error',
      metricType: 'execution_time',
      message: 'High execution time detected: p95 130 s over the last 60 min (error threshold 120 s)',
      currentValue: 130,
      threshold: 120,
      affectedComponents: ['strategy:crew_workflow'],
      suggestedActions: expect.arrayContaining(['Review the complexity and data volume of the slowest task types']),
    });
  });

  it('needs ALERT_MIN_SAMPLES outcomes for latency and success rate, none for cost', () => {
    const few = stats({ outcomes: 4, completed: 0, failed: 4, p95Ms: 900_000, costUsd: 5 });
    expect(evaluateAlertRules(inputs({ overall: few }), settings).map((a) => a.metricType)).toEqual(['cost_per_hour']);
    const strict = loadMonitoringSettings({ ALERT_MIN_SAMPLES: '1' });
    expect(evaluateAlertRules(inputs({ overall: few }), strict).map((a) => `${a.metricType}:${a.level}`)).toEqual([
      'execution_time:critical',
      'success_rate:critical',
      'cost_per_hour:warning',
    ]);
  });

  it('scales the window cost to an hour and names the three costliest task types', () => {
    const thirtyMinutes = loadMonitoringSettings({ ALERT_WINDOW_MINUTES: '30' });
    const [alert] = evaluateAlertRules(
      inputs({
        overall: stats({ costUsd: 10 }),
        byType: [
          group('a', { costUsd: 1 }),
          group('b', { costUsd: 4 }),
          group('c', { costUsd: 3 }),
          group('d', { costUsd: 2 }),
          group('e', {}),
        ],
      }),
      thirtyMinutes,
    );
    expect(alert).toMatchObject({ metricType: 'cost_per_hour', level: 'error', currentValue: 20, threshold: 20 });
    expect(alert.affectedComponents).toEqual(['task_type:b', 'task_type:c', 'task_type:d']);
    expect(alert.message).toBe('High LLM cost detected: $20 per hour over the last 30 min (error threshold $20)');
  });

  it('takes the larger of the p95 queue wait and the oldest pending task', () => {
    const p95 = evaluateAlertRules(inputs({ overall: stats({ queued: 5, queueP95Ms: 40_000 }), oldestPendingWaitS: 10 }), settings);
    expect(p95.map((a) => [a.metricType, a.level, a.currentValue, a.message])).toEqual([
      ['queue_wait', 'warning', 40, 'High queue wait detected: p95 40 s over the last 60 min (warning threshold 30 s)'],
    ]);
    const stuck = evaluateAlertRules(inputs({ overall: stats({ queued: 5, queueP95Ms: 40_000 }), oldestPendingWaitS: 301.5 }), settings);
    expect(stuck.map((a) => [a.level, a.currentValue, a.message])).toEqual([
      ['critical', 301.5, 'Queue backlog detected: the oldest queued task has waited 301.5 s (critical threshold 300 s)'],
    ]);
    // Too few queued tasks for a p95 and nothing waiting: no alert.
    expect(evaluateAlertRules(inputs({ overall: stats({ queued: 2, queueP95Ms: 400_000 }) }), settings)).toEqual([]);
  });
});
