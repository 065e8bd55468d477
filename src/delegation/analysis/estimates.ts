import type { Strategy } from '../../tasks/task.types.js';

/** USD per 1M tokens (the config's `ModelPrice` fits). */
export interface TokenPrice {
  input: number;
  output: number;
}

/** gpt-4o-mini's list price, the default model's (`OPENAI_MODEL`). */
export const DEFAULT_TOKEN_PRICE: TokenPrice = { input: 0.15, output: 0.6 };

/** Typical wall time in seconds when there is no history (README: direct < 1 s, single agent 15–30 s, crew 60–120 s). */
export const STATIC_TIME_S: Readonly<Record<Strategy, number>> = {
  direct_db: 0.05,
  direct_api: 0.5,
  single_agent: 20,
  multi_agent: 45,
  crew_workflow: 90,
};

/**
 * Assumed tokens per task: one agent's tool loop (a few calls with a growing context); a supervisor's plan,
 * two or three specialists and a synthesis; the master's plan over several such domain crews.
 */
export const STATIC_TOKENS: Readonly<Record<Strategy, { input: number; output: number }>> = {
  direct_db: { input: 0, output: 0 },
  direct_api: { input: 0, output: 0 },
  single_agent: { input: 6_000, output: 1_500 },
  multi_agent: { input: 20_000, output: 5_000 },
  crew_workflow: { input: 50_000, output: 12_000 },
};

export const MIN_HISTORY_SAMPLES = 3;

/** One finished task of the recent past. */
export interface HistorySample {
  taskType: string;
  strategy: Strategy;
  durationS: number;
  costUsd: number;
}

export interface EstimateOptions {
  /** Only samples of this type count; all types when absent. */
  taskType?: string;
  history?: readonly HistorySample[];
  price?: TokenPrice;
}

export interface Estimate {
  estimatedCost: number;
  estimatedTime: number;
  source: 'history' | 'static';
  /** History samples of this type and strategy (also when too few to use). */
  samples: number;
}

export interface BudgetCheck {
  allowed: boolean;
  /** The tenant's remaining budget in USD before this task; null when unlimited. */
  remaining: number | null;
  reason: string;
}

/**
 * Median duration and cost of the same task type and strategy when the history holds at least
 * `MIN_HISTORY_SAMPLES` of them (medians, so one runaway task does not move the estimate); else the static
 * time and the assumed tokens at `price`.
 */
export function estimate(strategy: Strategy, options: EstimateOptions = {}): Estimate {
  const samples = (options.history ?? []).filter(
    (sample) =>
      sample.strategy === strategy &&
      (options.taskType === undefined || sample.taskType === options.taskType) &&
      isAmount(sample.durationS) &&
      isAmount(sample.costUsd),
  );
  if (samples.length >= MIN_HISTORY_SAMPLES) {
    return {
      estimatedCost: roundUsd(median(samples.map((sample) => sample.costUsd))),
      estimatedTime: roundSeconds(median(samples.map((sample) => sample.durationS))),
      source: 'history',
      samples: samples.length,
    };
  }
  const price = options.price ?? DEFAULT_TOKEN_PRICE;
  const tokens = STATIC_TOKENS[strategy];
  return {
    estimatedCost: roundUsd((tokens.input * price.input + tokens.output * price.output) / 1_000_000),
    estimatedTime: STATIC_TIME_S[strategy],
    source: 'static',
    samples: samples.length,
  };
}

/**
 * Admission check: a task is allowed when its estimate fits the remaining budget (equal fits). A task that
 * costs nothing is always allowed, so an exhausted tenant can still run direct tasks.
 */
export function checkBudget(estimatedCost: number, remainingBudget?: number): BudgetCheck {
  if (!isAmount(estimatedCost)) throw new RangeError(`estimatedCost must be a number ≥ 0, got ${estimatedCost}`);
  if (remainingBudget === undefined) return { allowed: true, remaining: null, reason: 'The tenant has no budget limit.' };
  if (!Number.isFinite(remainingBudget)) throw new RangeError(`remainingBudget must be a finite number, got ${remainingBudget}`);
  const remaining = roundUsd(remainingBudget);
  if (estimatedCost === 0)
    return { allowed: true, remaining, reason: 'The task is estimated to cost nothing, so the budget does not limit it.' };
  if (estimatedCost <= remainingBudget) {
    return {
      allowed: true,
      remaining,
      reason: `The estimated ${usd(estimatedCost)} fits the remaining budget of ${usd(remainingBudget)} (${usd(remainingBudget - estimatedCost)} left after it).`,
    };
  }
  return {
    allowed: false,
    remaining,
    reason: `The estimated ${usd(estimatedCost)} exceeds the remaining budget of ${usd(remainingBudget)}.`,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function isAmount(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function roundSeconds(value: number): number {
  return Math.round(value * 1e3) / 1e3;
}

function usd(value: number): string {
  return value < 0 ? `-$${roundUsd(-value)}` : `$${roundUsd(value)}`;
}
