/**
 * The `crm_pipeline_optimization` operation. With step rates r_i (stage i to the next; the last to won),
 * p_i = Π_{j≥i} r_j is the chance a deal now at stage i closes; expected wins E = Σ c_i·p_i, expected
 * revenue E·D, velocity E·D/L per day. Raising r_i by 10 points adds D·Σ_{k≤i} c_k·p_k·(r_i′/r_i − 1). The
 * bottleneck (lowest rate) and the highest-leverage step (largest revenue uplift) are reported separately:
 * a weak early step loses many deals but each of them is worth little, a late step multiplies everything before it.
 */
import { CrmValidationError } from './field-errors.js';
import { parsePipelineRequest, type ParsedStage, type PipelineOptimizationRequest } from './pipeline-optimization-validation.js';
import { roundTo } from './stats.js';

export const PIPELINE_MODEL_VERSION = 'crm-pipeline-optimization/1.0.0';
export const UPLIFT_POINTS = 0.1;
export const DAYS_PER_MONTH = 30;
/** A stage is stalled when its deals average more than this × (cycle length ÷ open stages) days in it. */
export const STALL_FACTOR = 1.5;
const CYCLE_REDUCTION = 0.1;

export interface PipelineStageResult {
  name: string;
  next_stage: string;
  count: number;
  rate: number;
  rate_source: 'given' | 'implied';
  drop_off: number;
  deals_lost: number;
  p_close: number;
  days_in_stage: number | null;
  stalled: boolean | null;
}

export interface PipelineScenario {
  name: string;
  stage: string | null;
  rate_from: number | null;
  rate_to: number | null;
  expected_wins: number;
  expected_revenue: number;
  revenue_uplift: number;
  velocity_per_day: number;
}

export interface PipelineRecommendation {
  type: 'highest_leverage' | 'bottleneck' | 'stalled_stage' | 'data_quality' | 'cycle_time';
  stage: string | null;
  message: string;
}

export interface PipelineOptimizationResult {
  summary: {
    open_deals: number;
    pipeline_value: number;
    weighted_value: number;
    expected_wins: number;
    expected_revenue: number;
    velocity_per_day: number;
    velocity_per_month: number;
  };
  stages: PipelineStageResult[];
  bottleneck: { stage: string; next_stage: string; rate: number; deals_lost: number };
  highest_leverage: { stage: string; next_stage: string; rate: number; improved_rate: number; revenue_uplift: number; wins_uplift: number };
  scenarios: PipelineScenario[];
  recommendations: PipelineRecommendation[];
  warnings: string[];
  model_version: string;
  ai_explanation: string | null;
}

/** Chance of closing from each stage: p_i = Π_{j≥i} r_j. */
export function closeProbabilities(rates: readonly number[]): number[] {
  const p = new Array<number>(rates.length);
  let product = 1;
  for (let i = rates.length - 1; i >= 0; i--) {
    product *= rates[i];
    p[i] = product;
  }
  return p;
}

export function expectedWins(counts: readonly number[], rates: readonly number[]): number {
  const p = closeProbabilities(rates);
  return counts.reduce((total, count, i) => total + count * p[i], 0);
}

/** Extra expected wins from raising step i by UPLIFT_POINTS (capped at 1). */
export function winsUplift(counts: readonly number[], rates: readonly number[], i: number): number {
  const improved = Math.min(1, rates[i] + UPLIFT_POINTS);
  if (improved === rates[i]) return 0;
  if (rates[i] === 0) {
    // r_i = 0 leaves nothing to scale: recompute the funnel with the new rate.
    const changed = rates.map((rate, j) => (j === i ? improved : rate));
    return expectedWins(counts, changed) - expectedWins(counts, rates);
  }
  const p = closeProbabilities(rates);
  let upstream = 0;
  for (let k = 0; k <= i; k++) upstream += counts[k] * p[k];
  return upstream * (improved / rates[i] - 1);
}

/** Analyses the funnel; throws CrmValidationError on input that breaks a rule. */
export function optimizePipeline(request: PipelineOptimizationRequest): PipelineOptimizationResult {
  const { errors, pipeline } = parsePipelineRequest(request);
  if (!pipeline) throw new CrmValidationError(errors);
  const { stages, dealSize, cycleDays } = pipeline;
  const warnings = [...pipeline.warnings];
  const counts = stages.map((stage) => stage.count);
  const rates = stages.map((stage) => stage.rate);
  const p = closeProbabilities(rates);
  const wins = expectedWins(counts, rates);
  const revenue = wins * dealSize;
  const velocity = revenue / cycleDays;
  const openDeals = counts.reduce((a, b) => a + b, 0);
  const stallDays = (STALL_FACTOR * cycleDays) / stages.length;

  const stageResults = stages.map((stage, i): PipelineStageResult => ({
    name: stage.name,
    next_stage: stage.nextStage,
    count: stage.count,
    rate: roundTo(stage.rate, 4),
    rate_source: stage.rateSource,
    drop_off: roundTo(1 - stage.rate, 4),
    deals_lost: roundTo(stage.count * (1 - stage.rate), 2),
    p_close: roundTo(p[i], 6),
    days_in_stage: stage.daysInStage,
    stalled: stage.daysInStage === null ? null : stage.daysInStage > stallDays,
  }));

  const uplifts = stages.map((_, i) => winsUplift(counts, rates, i));
  const bottleneckIndex = argBest(stages, (a, b) => a.rate - b.rate || b.count * (1 - b.rate) - a.count * (1 - a.rate));
  const leverageIndex = argBest(uplifts, (a, b) => b - a);
  const leverage = stages[leverageIndex];
  const bottleneck = stages[bottleneckIndex];

  const scenarios: PipelineScenario[] = stages.map((stage, i) => ({
    name: `+${UPLIFT_POINTS * 100} points on ${stage.name} → ${stage.nextStage}`,
    stage: stage.name,
    rate_from: roundTo(stage.rate, 4),
    rate_to: roundTo(Math.min(1, stage.rate + UPLIFT_POINTS), 4),
    expected_wins: roundTo(wins + uplifts[i], 4),
    expected_revenue: roundTo((wins + uplifts[i]) * dealSize, 2),
    revenue_uplift: roundTo(uplifts[i] * dealSize, 2),
    velocity_per_day: roundTo(((wins + uplifts[i]) * dealSize) / cycleDays, 2),
  }));
  scenarios.push({
    name: `sales cycle ${CYCLE_REDUCTION * 100}% shorter`,
    stage: null,
    rate_from: null,
    rate_to: null,
    expected_wins: roundTo(wins, 4),
    expected_revenue: roundTo(revenue, 2),
    revenue_uplift: 0,
    velocity_per_day: roundTo(revenue / (cycleDays * (1 - CYCLE_REDUCTION)), 2),
  });

  return {
    summary: {
      open_deals: openDeals,
      pipeline_value: roundTo(openDeals * dealSize, 2),
      weighted_value: roundTo(
        counts.reduce((total, count, i) => total + count * dealSize * p[i], 0),
        2,
      ),
      expected_wins: roundTo(wins, 4),
      expected_revenue: roundTo(revenue, 2),
      velocity_per_day: roundTo(velocity, 2),
      velocity_per_month: roundTo(velocity * DAYS_PER_MONTH, 2),
    },
    stages: stageResults,
    bottleneck: {
      stage: bottleneck.name,
      next_stage: bottleneck.nextStage,
      rate: roundTo(bottleneck.rate, 4),
      deals_lost: roundTo(bottleneck.count * (1 - bottleneck.rate), 2),
    },
    highest_leverage: {
      stage: leverage.name,
      next_stage: leverage.nextStage,
      rate: roundTo(leverage.rate, 4),
      improved_rate: roundTo(Math.min(1, leverage.rate + UPLIFT_POINTS), 4),
      revenue_uplift: roundTo(uplifts[leverageIndex] * dealSize, 2),
      wins_uplift: roundTo(uplifts[leverageIndex], 4),
    },
    scenarios,
    recommendations: recommendations(stages, stageResults, uplifts, dealSize, bottleneckIndex, leverageIndex, stallDays, cycleDays),
    warnings,
    model_version: PIPELINE_MODEL_VERSION,
    ai_explanation: null,
  };
}

/** Index of the best item by `compare` (negative = a first); the earliest wins ties. */
function argBest<T>(items: readonly T[], compare: (a: T, b: T) => number): number {
  let best = 0;
  for (let i = 1; i < items.length; i++) if (compare(items[i], items[best]) < 0) best = i;
  return best;
}

function money(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function percent(rate: number): string {
  return `${roundTo(rate * 100, 1)}%`;
}

function recommendations(
  stages: ParsedStage[],
  results: PipelineStageResult[],
  uplifts: number[],
  dealSize: number,
  bottleneckIndex: number,
  leverageIndex: number,
  stallDays: number,
  cycleDays: number,
): PipelineRecommendation[] {
  const list: PipelineRecommendation[] = [];
  const leverage = stages[leverageIndex];
  const bottleneck = stages[bottleneckIndex];
  const improved = Math.min(1, leverage.rate + UPLIFT_POINTS);
  list.push({
    type: 'highest_leverage',
    stage: leverage.name,
    message:
      `Raise ${leverage.name} → ${leverage.nextStage} from ${percent(leverage.rate)} to ${percent(improved)}: ` +
      `+${money(uplifts[leverageIndex] * dealSize)} expected revenue, the largest gain of any single step.`,
  });
  if (bottleneckIndex !== leverageIndex) {
    list.push({
      type: 'bottleneck',
      stage: bottleneck.name,
      message:
        `${bottleneck.name} → ${bottleneck.nextStage} converts only ${percent(bottleneck.rate)} and loses ` +
        `${money(bottleneck.count * (1 - bottleneck.rate))} deals; +10 points there adds ${money(uplifts[bottleneckIndex] * dealSize)}.`,
    });
  }
  results.forEach((stage) => {
    if (stage.stalled) {
      list.push({
        type: 'stalled_stage',
        stage: stage.name,
        message:
          `Deals average ${roundTo(stage.days_in_stage ?? 0, 1)} days in ${stage.name}, above the ${roundTo(stallDays, 1)}-day pace ` +
          `of a ${cycleDays}-day cycle; review and unblock them.`,
      });
    }
  });
  const implied = stages.filter((stage) => stage.rateSource === 'implied').map((stage) => stage.name);
  if (implied.length > 0) {
    list.push({
      type: 'data_quality',
      stage: null,
      message:
        `Rates for ${implied.join(', ')} are implied from today's stage counts; ` +
        'measured conversion rates would make this analysis sharper.',
    });
  }
  list.push({
    type: 'cycle_time',
    stage: null,
    message:
      `Cutting the ${cycleDays}-day cycle by ${CYCLE_REDUCTION * 100}% raises velocity by ` +
      `${roundTo((1 / (1 - CYCLE_REDUCTION) - 1) * 100, 1)}% with no change in win rates.`,
  });
  return list;
}
