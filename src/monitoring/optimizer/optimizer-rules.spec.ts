import { describe, expect, it } from 'vitest';
import { loadMonitoringSettings } from '../monitoring-settings.js';
import type { GroupStats, TaskStats } from '../../tasks/statistics/task-stats.queries.js';
import { type OptimizerContext, type OptimizerInputs, recommend } from './optimizer-rules.js';

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

function inputs(overrides: Partial<OptimizerInputs> = {}): OptimizerInputs {
  return {
    strategyUsage: [],
    singleAgentByType: new Map(),
    repeats: [],
    byType: [],
    byStrategy: [],
    agentFailures: [],
    overall: stats(),
    ...overrides,
  };
}

const context: OptimizerContext = {
  settings: loadMonitoringSettings({}),
  cachingEnabled: true,
  maxConcurrentWorkflows: 10,
  workerEnabled: true,
};

describe('recommend', () => {
  it('answers nothing without history', () => {
    expect(recommend(inputs(), context)).toEqual([]);
  });

  it('over-provisioning: the override downgrades to single_agent; the boundaries are inclusive', () => {
    const row = { type: 't', strategy: 'multi_agent' as const, completed: 5, p50Ms: 15_000, avgCostUsd: 0.01, singleAgentTasks: 4 };
    const [found] = recommend(inputs({ strategyUsage: [row] }), context);
    expect(found).toMatchObject({
      category: 'strategy',
      applicable: true,
      override: { taskType: 't', fromStrategy: 'multi_agent', toStrategy: 'single_agent' },
      details: { completed_tasks: 5, median_seconds: 15, single_agent_share: 0.8 },
    });
    expect(recommend(inputs({ strategyUsage: [{ ...row, p50Ms: 15_001 }] }), context)).toEqual([]);
    expect(recommend(inputs({ strategyUsage: [{ ...row, singleAgentTasks: 3 }] }), context)).toEqual([]);
    expect(recommend(inputs({ strategyUsage: [{ ...row, strategy: 'single_agent' }] }), context)).toEqual([]);
  });

  it('repeated inputs: asks to enable caching when it is off, to extend it when it is on and missing', () => {
    const repeats = [{ type: 't', tasks: 10, distinctInputs: 7, cacheHits: 0, costUsd: 1 }];
    expect(recommend(inputs({ repeats }), { ...context, cachingEnabled: false })[0]).toMatchObject({
      category: 'caching',
      priority: 'medium',
      recommendation: 'Enable ENABLE_CREW_CACHING: 3 of 10 t tasks repeated an input already seen',
      expectedImpact: 'Up to 3 LLM runs (30%) answered from the cache, about $0.3 less per window',
    });
    expect(recommend(inputs({ repeats }), context)[0].recommendation).toContain('raise CREW_CACHE_TTL_SECONDS');
    // 2 repeats, or 3 repeats in 11 tasks (27%): not enough.
    expect(recommend(inputs({ repeats: [{ ...repeats[0], distinctInputs: 8 }] }), context)).toEqual([]);
    expect(recommend(inputs({ repeats: [{ ...repeats[0], tasks: 11, distinctInputs: 8 }] }), context)).toEqual([]);
  });

  it('orders high priority first', () => {
    const byStrategy: GroupStats[] = [{ key: 'multi_agent', ...stats({ outcomes: 5, p95Ms: 60_000, avgMs: 60_000 }) }];
    const agentFailures = [{ agentId: 'x', steps: 10, failed: 9, commonError: null }];
    expect(recommend(inputs({ byStrategy, agentFailures }), context).map((r) => [r.category, r.priority])).toEqual([
      ['reliability', 'high'],
      ['performance', 'medium'],
    ]);
  });

  it('queue saturation quotes the configured worker slots', () => {
    const [found] = recommend(inputs({ overall: stats({ queued: 5, queueP95Ms: 150_000, queueAvgMs: 90_000 }) }), {
      ...context,
      maxConcurrentWorkflows: 4,
    });
    expect(found).toMatchObject({
      category: 'scaling',
      priority: 'high',
      details: { queued_tasks: 5, avg_wait_seconds: 90, p95_wait_seconds: 150, max_concurrent_workflows: 4 },
      expectedImpact: 'Doubling capacity to 8 slots roughly halves the wait while workers are the bottleneck',
    });
  });
});
