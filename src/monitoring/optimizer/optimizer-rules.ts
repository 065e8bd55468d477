import type { Strategy } from '../../tasks/task.types.js';
import type { MonitoringSettings } from '../monitoring-settings.js';
import type { AgentFailureRow, RepeatRow, StrategyUsageRow } from '../../tasks/statistics/optimizer.queries.js';
import type { GroupStats, TaskStats } from '../../tasks/statistics/task-stats.queries.js';

export type { AgentFailureRow, RepeatRow, StrategyUsageRow };

export type RecommendationCategory = 'strategy' | 'caching' | 'cost' | 'performance' | 'reliability' | 'scaling';
export type Priority = 'high' | 'medium' | 'low';

export interface Recommendation {
  category: RecommendationCategory;
  priority: Priority;
  strategy?: Strategy;
  taskType?: string;
  recommendation: string;
  /** The measurements behind it (snake_case keys: they go to the wire as they are). */
  details: Record<string, number | string | null>;
  expectedImpact: string;
  /** true: `POST /optimize?apply=true` can apply it (a strategy downgrade). */
  applicable: boolean;
  /** The routing override that applies it (applicable ones only). */
  override?: { taskType: string; fromStrategy: Strategy; toStrategy: Strategy };
}

export interface OptimizerInputs {
  strategyUsage: StrategyUsageRow[];
  /** single_agent completions of the same types, to quote what a downgrade would look like. */
  singleAgentByType: Map<string, { p50Ms: number | null; avgCostUsd: number }>;
  repeats: RepeatRow[];
  byType: GroupStats[];
  byStrategy: GroupStats[];
  agentFailures: AgentFailureRow[];
  overall: TaskStats;
}

export interface OptimizerContext {
  settings: MonitoringSettings;
  cachingEnabled: boolean;
  maxConcurrentWorkflows: number;
  workerEnabled: boolean;
}

/** Fewer observations than this say nothing. */
export const MIN_SAMPLES = 5;
/** A multi-agent or crew task type whose median is at most this (seconds)... */
export const FAST_MEDIAN_S = 15;
/** ...and that used one agent in at least this share of its tasks is over-provisioned. */
export const SINGLE_AGENT_SHARE = 0.8;
/** Repeated inputs: at least this many repeats, making up at least this share of the type's tasks. */
export const MIN_REPEATS = 3;
export const REPEAT_SHARE = 0.3;
/** A task type costing this much per task on average (USD) deserves attention; HIGH is urgent. */
export const COSTLY_AVG_USD = 0.05;
export const COSTLY_HIGH_USD = 0.5;
/** An agent whose steps fail at this rate (HIGH: urgent). */
export const FAILING_AGENT_RATE = 0.2;
export const FAILING_AGENT_HIGH = 0.5;

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const seconds = (ms: number | null) => (ms === null ? null : round(ms / 1000));
const percent = (share: number) => `${Math.round(share * 100)}%`;

function overProvisioned(inputs: OptimizerInputs): Recommendation[] {
  return inputs.strategyUsage.flatMap((row): Recommendation[] => {
    if (row.strategy !== 'multi_agent' && row.strategy !== 'crew_workflow') return [];
    if (row.completed < MIN_SAMPLES || row.p50Ms === null) return [];
    const share = row.singleAgentTasks / row.completed;
    if (row.p50Ms / 1000 > FAST_MEDIAN_S || share < SINGLE_AGENT_SHARE) return [];
    const single = inputs.singleAgentByType.get(row.type);
    const impact =
      single && single.p50Ms !== null
        ? `single_agent runs of ${row.type} took a median ${seconds(single.p50Ms)} s at $${round(single.avgCostUsd, 4)} per task, against ${seconds(row.p50Ms)} s at $${round(row.avgCostUsd, 4)} with ${row.strategy}`
        : `Fewer LLM calls per task: no supervisor planning and synthesis around work one agent already does (now $${round(row.avgCostUsd, 4)} per task)`;
    return [
      {
        category: 'strategy',
        priority: row.strategy === 'crew_workflow' ? 'high' : 'medium',
        strategy: row.strategy,
        taskType: row.type,
        recommendation: `Run ${row.type} as single_agent instead of ${row.strategy}: ${percent(share)} of its tasks used one agent and finished in a median ${seconds(row.p50Ms)} s`,
        details: {
          completed_tasks: row.completed,
          median_seconds: seconds(row.p50Ms),
          single_agent_share: round(share),
          avg_cost_usd: round(row.avgCostUsd, 6),
        },
        expectedImpact: impact,
        applicable: true,
        override: { taskType: row.type, fromStrategy: row.strategy, toStrategy: 'single_agent' },
      },
    ];
  });
}

function repeatedInputs(inputs: OptimizerInputs, context: OptimizerContext): Recommendation[] {
  return inputs.repeats.flatMap((row): Recommendation[] => {
    const repeats = row.tasks - row.distinctInputs;
    if (repeats < MIN_REPEATS || repeats / row.tasks < REPEAT_SHARE) return [];
    // Caching is on and already answers most repeats: nothing to gain.
    if (context.cachingEnabled && row.cacheHits * 2 >= repeats) return [];
    const avgCost = row.costUsd / row.tasks;
    return [
      {
        category: 'caching',
        priority: repeats / row.tasks >= 0.5 ? 'high' : 'medium',
        taskType: row.type,
        recommendation: context.cachingEnabled
          ? `Repeated inputs of ${row.type} miss the cache: raise CREW_CACHE_TTL_SECONDS so identical requests are answered from it`
          : `Enable ENABLE_CREW_CACHING: ${repeats} of ${row.tasks} ${row.type} tasks repeated an input already seen`,
        details: {
          tasks: row.tasks,
          distinct_inputs: row.distinctInputs,
          repeated: repeats,
          cache_hits: row.cacheHits,
          avg_cost_usd: round(avgCost, 6),
        },
        expectedImpact: `Up to ${repeats} LLM runs (${percent(repeats / row.tasks)}) answered from the cache, about $${round(avgCost * repeats, 4)} less per window`,
        applicable: false,
      },
    ];
  });
}

function costlyTypes(inputs: OptimizerInputs): Recommendation[] {
  const total = inputs.overall.costUsd;
  return inputs.byType.flatMap((group): Recommendation[] => {
    if (group.key === null || group.executions < MIN_SAMPLES) return [];
    const avg = group.costUsd / group.executions;
    if (avg < COSTLY_AVG_USD) return [];
    return [
      {
        category: 'cost',
        priority: avg >= COSTLY_HIGH_USD ? 'high' : 'medium',
        taskType: group.key,
        recommendation: `${group.key} costs $${round(avg, 4)} per task: use a cheaper OPENAI_MODEL for it, trim its prompts and data, or route it to a lighter strategy`,
        details: {
          tasks: group.executions,
          cost_usd: round(group.costUsd, 6),
          avg_cost_usd: round(avg, 6),
          share_of_cost: total > 0 ? round(group.costUsd / total) : null,
          avg_tokens: round((group.inputTokens + group.outputTokens) / group.executions, 1),
        },
        expectedImpact: `Halving its tokens saves about $${round(group.costUsd / 2, 4)} per window (${percent(total > 0 ? group.costUsd / total / 2 : 0)} of all cost)`,
        applicable: false,
      },
    ];
  });
}

function slowStrategies(inputs: OptimizerInputs, context: OptimizerContext): Recommendation[] {
  const limitS = context.settings.executionTimeS.warning;
  return inputs.byStrategy.flatMap((group): Recommendation[] => {
    if (group.key === null || group.outcomes < MIN_SAMPLES || group.p95Ms === null || group.p95Ms / 1000 < limitS) return [];
    const timedOut = group.outcomes > 0 ? group.timedOut / group.outcomes : 0;
    return [
      {
        category: 'performance',
        priority: group.p95Ms / 1000 >= context.settings.executionTimeS.error ? 'high' : 'medium',
        strategy: group.key as Strategy,
        recommendation: `${group.key} is slow (p95 ${seconds(group.p95Ms)} s, the alert threshold is ${limitS} s): reduce data volume per task, parallelise independent subtasks, or send simpler task types to a lighter strategy`,
        details: {
          tasks: group.outcomes,
          avg_seconds: seconds(group.avgMs),
          median_seconds: seconds(group.p50Ms),
          p95_seconds: seconds(group.p95Ms),
          timed_out_share: round(timedOut),
        },
        expectedImpact: `p95 under ${limitS} s ends the execution-time alerts and returns worker time: ${group.key} used ${round(((group.avgMs ?? 0) / 1000) * group.outcomes, 1)} s of it in the window`,
        applicable: false,
      },
    ];
  });
}

function failingAgents(inputs: OptimizerInputs): Recommendation[] {
  return inputs.agentFailures.flatMap((row): Recommendation[] => {
    if (row.steps < MIN_SAMPLES) return [];
    const rate = row.failed / row.steps;
    if (rate < FAILING_AGENT_RATE) return [];
    return [
      {
        category: 'reliability',
        priority: rate >= FAILING_AGENT_HIGH ? 'high' : 'medium',
        recommendation: `Agent ${row.agentId} fails ${percent(rate)} of its steps: review its tools, inputs and prompt${row.commonError ? ` (most common error: ${row.commonError.slice(0, 200)})` : ''}`,
        details: { agent_id: row.agentId, steps: row.steps, failed_steps: row.failed, failure_rate: round(rate) },
        expectedImpact: `Fixing it avoids ${row.failed} failed steps per window and the fallbacks and retries they cause`,
        applicable: false,
      },
    ];
  });
}

function queueSaturation(inputs: OptimizerInputs, context: OptimizerContext): Recommendation[] {
  const { overall } = inputs;
  const limitS = context.settings.queueWaitS.warning;
  if (overall.queued < MIN_SAMPLES || overall.queueP95Ms === null || overall.queueP95Ms / 1000 < limitS) return [];
  const slots = context.maxConcurrentWorkflows;
  return [
    {
      category: 'scaling',
      priority: overall.queueP95Ms / 1000 >= context.settings.queueWaitS.error ? 'high' : 'medium',
      recommendation: `Queued tasks wait too long (p95 ${seconds(overall.queueP95Ms)} s): raise MAX_CONCURRENT_WORKFLOWS (now ${slots} per instance) or add instances with WORKER_ENABLED=true`,
      details: {
        queued_tasks: overall.queued,
        avg_wait_seconds: seconds(overall.queueAvgMs),
        p95_wait_seconds: seconds(overall.queueP95Ms),
        max_concurrent_workflows: slots,
        worker_enabled: context.workerEnabled ? 'true' : 'false',
      },
      expectedImpact: `Doubling capacity to ${slots * 2} slots roughly halves the wait while workers are the bottleneck`,
      applicable: false,
    },
  ];
}

const PRIORITY_ORDER: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

/** Every rule over the window's measurements; most urgent first. */
export function recommend(inputs: OptimizerInputs, context: OptimizerContext): Recommendation[] {
  return [
    ...overProvisioned(inputs),
    ...repeatedInputs(inputs, context),
    ...costlyTypes(inputs),
    ...slowStrategies(inputs, context),
    ...failingAgents(inputs),
    ...queueSaturation(inputs, context),
  ].sort((a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority]);
}
