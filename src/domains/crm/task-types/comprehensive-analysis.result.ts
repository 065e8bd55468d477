/**
 * comprehensive_crm_analysis's result schema, held by the compiler to the synthesis it returns (describes<T>());
 * each part is the schema of the task type that computes it.
 */
import { array, describes, int, nullable, num, object, oneOfValues, record, str } from '../../../tasks/result-schema.js';
import type { NurturingCampaignResult, PipelineOptimizationResult } from '../algorithms/index.js';
import { CHURN_RESULT_SCHEMA, type ChurnOutcome } from './churn-analysis.result.js';
import { SEGMENTATION_RESULT_SCHEMA, type SegmentationOutcome } from './customer-segmentation.result.js';
import { LEAD_SCORING_SCHEMA, type LeadScoringResult } from './lead-scoring.result.js';
import { NURTURING_SCHEMA } from './nurturing-campaign.result.js';
import { PIPELINE_SCHEMA } from './pipeline-optimization.result.js';

/** Metric insights as the analytics domain answers them (analytics_insights_generation; a domain does not import another). */
export interface MetricInsights {
  metrics: {
    metric: string;
    status: 'ok' | 'not_enough_data';
    points: number;
    mean: number | null;
    median: number | null;
    mad: number | null;
    trend: { slope: number; intercept: number; r2: number; relative_change: number | null; direction: 'up' | 'down' | 'flat' } | null;
    anomalies: { index: number; value: number; robust_z: number }[];
  }[];
  summary: { analysed: number; not_enough_data: number; anomalies: number; z_threshold: number };
}

const INSIGHTS_SCHEMA = describes<MetricInsights>()(
  object(
    {
      metrics: array(
        object({
          metric: str(),
          status: oneOfValues(['ok', 'not_enough_data'] as const),
          points: int(),
          mean: nullable(num()),
          median: nullable(num()),
          mad: nullable(num()),
          trend: nullable(
            object({
              slope: num(),
              intercept: num(),
              r2: num(),
              relative_change: nullable(num()),
              direction: oneOfValues(['up', 'down', 'flat'] as const),
            }),
          ),
          anomalies: array(object({ index: int(), value: num(), robust_z: num() })),
        }),
      ),
      summary: object({ analysed: int(), not_enough_data: int(), anomalies: int(), z_threshold: num() }),
    },
    {
      description:
        'The analytics domain’s insights over the posted metrics (crew with metrics); the result of analytics_insights_generation.',
    },
  ),
);

/** The CRM supervisor's synthesis (and, in a crew, the master's merge with the analytics insights). */
export interface ComprehensiveAnalysis {
  lead_scoring: LeadScoringResult;
  segmentation: SegmentationOutcome;
  insights: MetricInsights | null;
  nurturing_campaign?: NurturingCampaignResult | null;
  lead_segments?: Record<string, number>;
  churn_analysis?: ChurnOutcome;
  pipeline_optimization?: PipelineOptimizationResult | null;
  parts: string[];
}

export const COMPREHENSIVE_SCHEMA = describes<ComprehensiveAnalysis>()(
  object(
    {
      lead_scoring: LEAD_SCORING_SCHEMA,
      segmentation: SEGMENTATION_RESULT_SCHEMA,
      insights: nullable(INSIGHTS_SCHEMA),
      nurturing_campaign: nullable(NURTURING_SCHEMA),
      lead_segments: record(int(), { description: 'Scored leads per nurturing segment (when the segments came from the scoring).' }),
      churn_analysis: CHURN_RESULT_SCHEMA,
      pipeline_optimization: nullable(PIPELINE_SCHEMA),
      parts: array(str(), { description: 'The parts that ran: leads, nurturing, customers, churn, pipeline, metrics.' }),
    },
    { optional: ['nurturing_campaign', 'lead_segments', 'churn_analysis', 'pipeline_optimization'] },
  ),
);
