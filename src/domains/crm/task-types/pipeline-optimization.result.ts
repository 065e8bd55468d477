/** crm_pipeline_optimization's result schema, held by the compiler to the result its handler returns (describes<T>()). */
import { array, bool, describes, nullable, num, object, oneOfValues, str } from '../../../tasks/result-schema.js';
import type { PipelineOptimizationResult } from '../algorithms/index.js';
import { MODEL_VERSION, NARRATIVE, WARNINGS } from './analysis.shared.js';

export const PIPELINE_SCHEMA = describes<PipelineOptimizationResult>()(
  object({
    summary: object({
      open_deals: num(),
      pipeline_value: num(),
      weighted_value: num(),
      expected_wins: num(),
      expected_revenue: num(),
      velocity_per_day: num(),
      velocity_per_month: num(),
    }),
    stages: array(
      object({
        name: str(),
        next_stage: str(),
        count: num(),
        rate: num(),
        rate_source: oneOfValues(['given', 'implied'] as const),
        drop_off: num(),
        deals_lost: num(),
        p_close: num(),
        days_in_stage: nullable(num()),
        stalled: nullable(bool()),
      }),
    ),
    bottleneck: object({ stage: str(), next_stage: str(), rate: num(), deals_lost: num() }),
    highest_leverage: object({
      stage: str(),
      next_stage: str(),
      rate: num(),
      improved_rate: num(),
      revenue_uplift: num(),
      wins_uplift: num(),
    }),
    scenarios: array(
      object({
        name: str(),
        stage: nullable(str()),
        rate_from: nullable(num()),
        rate_to: nullable(num()),
        expected_wins: num(),
        expected_revenue: num(),
        revenue_uplift: num(),
        velocity_per_day: num(),
      }),
    ),
    recommendations: array(
      object({
        type: oneOfValues(['highest_leverage', 'bottleneck', 'stalled_stage', 'data_quality', 'cycle_time'] as const),
        stage: nullable(str()),
        message: str(),
      }),
    ),
    warnings: WARNINGS,
    model_version: MODEL_VERSION,
    ai_explanation: NARRATIVE('explanation'),
  }),
);
