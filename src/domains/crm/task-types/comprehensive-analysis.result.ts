/**
 * Result schemas of the CRM analyses, each held by the compiler to the type its handler returns (describes<T>()).
 */
import {
  anyOf,
  array,
  bool,
  describes,
  id,
  int,
  nullable,
  num,
  object,
  oneOfValues,
  record,
  str,
  type ValueOf,
} from '../../../tasks/result-schema.js';
import {
  type ChurnAnalysisResult,
  type LeadRankingResult,
  type LeadScoreResult,
  type NurturingCampaignResult,
  type PipelineOptimizationResult,
  SEGMENTATION_TYPES,
  type SegmentationResult,
  TOUCHPOINT_FREQUENCIES,
  WEEKDAYS,
} from '../algorithms/index.js';

const GRADES = ['A', 'B', 'C', 'D'] as const;
const STATUSES = ['sales_ready', 'mql', 'nurture', 'disqualified'] as const;
const WARNINGS = array(str(), { description: 'Data-quality notes (imputed values, ignored fields, caps).' });
const MODEL_VERSION = str({ description: 'Version of the deterministic model.' });
const NARRATIVE = (what: string) => nullable(str({ description: `The LLM's ${what}; null in deterministic mode.` }));

// ---- lead scoring ----

const APPLIED_WEIGHTS = object(
  { demographic_weight: num(), engagement_weight: num(), behavior_weight: num() },
  { description: 'Normalised weights.' },
);

const LEAD_SCORE_FIELDS = {
  lead_id: nullable(str({ description: 'lead_id or id as sent (as a string).' })),
  lead_score: num({ minimum: 0, maximum: 100 }),
  grade: oneOfValues(GRADES),
  qualification_status: oneOfValues(STATUSES),
  priority: oneOfValues(['high', 'medium', 'low', 'none'] as const),
  matrix_cell: str({ description: 'Fit × engagement cell, e.g. "A1".' }),
  components: object({ fit: num(), engagement: num(), behavior: num() }, { description: 'Component scores 0–100.' }),
  applied_weights: APPLIED_WEIGHTS,
  factors: array(
    object({
      factor: str(),
      value: nullable(anyOf(str(), num(), bool())),
      points: num({ description: 'Points added to lead_score (the factors add up to it).' }),
      direction: oneOfValues(['positive', 'negative', 'neutral'] as const),
    }),
  ),
  recommended_action: str(),
  warnings: WARNINGS,
  model_version: MODEL_VERSION,
  ai_explanation: NARRATIVE('explanation'),
};

export const LEAD_SCORE_SCHEMA = describes<LeadScoreResult>()(object(LEAD_SCORE_FIELDS, { description: 'One scored lead (lead_data).' }));

const RANKED_LEAD = object({
  ...LEAD_SCORE_FIELDS,
  rank: int({ minimum: 1 }),
  index: int({ minimum: 0, description: 'Position of the lead in the posted leads[] (or in the stored page).' }),
});

/** A ranking of posted leads, or of the tenant's stored leads (source "stored"). */
export type LeadRanking = LeadRankingResult & { source?: 'stored'; stored_leads?: number };

export const LEAD_RANKING_SCHEMA = describes<LeadRanking>()(
  object(
    {
      leads: array(RANKED_LEAD),
      count: int(),
      summary: object({ by_grade: record(int()), by_status: record(int()) }, { description: 'Leads per grade and per status.' }),
      applied_weights: APPLIED_WEIGHTS,
      warnings: WARNINGS,
      model_version: MODEL_VERSION,
      ai_explanation: NARRATIVE('explanation'),
      source: oneOfValues(['stored'] as const, { description: 'Present when the tenant’s stored leads were scored.' }),
      stored_leads: int({ description: 'The tenant’s stored leads (the newest were scored).' }),
    },
    { optional: ['source', 'stored_leads'], description: 'Several leads (leads[] or stored), ranked.' },
  ),
);

export type LeadScoringResult = LeadScoreResult | LeadRanking | null;
export const LEAD_SCORING_SCHEMA = describes<LeadScoringResult>()(nullable(anyOf(LEAD_SCORE_SCHEMA, LEAD_RANKING_SCHEMA)));

// ---- segmentation ----

export type Segmentation = SegmentationResult & { source?: 'stored'; stored_customers?: number };

const STATS = record(nullable(num()), { description: 'Feature → value (null when no customer of the segment has it).' });

export const SEGMENTATION_SCHEMA = describes<Segmentation>()(
  object(
    {
      segmentation_type: oneOfValues(SEGMENTATION_TYPES),
      segments: array(
        object({
          segment_id: int(),
          name: str(),
          size: int(),
          share: num({ minimum: 0, maximum: 1 }),
          customer_ids: array(id()),
          profile: object({ means: STATS, medians: STATS }),
          total_ltv: num(),
          ltv_share: num(),
          revenue_at_risk: nullable(num({ description: 'Σ ltv × churn_risk; null when no customer has a churn risk.' })),
          recommended_actions: array(str()),
        }),
      ),
      assignments: array(
        object(
          { customer_id: id(), segment_id: int(), rfm_score: str({ description: 'RFM quintile code, rfm only.' }) },
          { optional: ['rfm_score'] },
        ),
        { description: 'One per customer, in input order.' },
      ),
      quality: object({
        k_requested: nullable(int()),
        k_used: int(),
        silhouette: nullable(num()),
        inertia: nullable(num()),
        suggested_k: nullable(int()),
        seeds: array(int()),
        features: array(str(), { description: 'Features the clustering used (behavioral only).' }),
      }),
      warnings: WARNINGS,
      model_version: MODEL_VERSION,
      ai_summary: NARRATIVE('summary'),
      source: oneOfValues(['stored'] as const, { description: 'Present when the tenant’s stored customers were segmented.' }),
      stored_customers: int(),
    },
    { optional: ['source', 'stored_customers'] },
  ),
);
export type SegmentationOutcome = Segmentation | null;
export const SEGMENTATION_RESULT_SCHEMA = describes<SegmentationOutcome>()(nullable(SEGMENTATION_SCHEMA));

// ---- nurturing ----

const CHANNEL = oneOfValues(['email', 'linkedin', 'sales_call', 'retargeting'] as const);

export const NURTURING_SCHEMA = describes<NurturingCampaignResult>()(
  object({
    campaign: object({
      id: str(),
      name: str(),
      objective: str(),
      start_date: nullable(str({ format: 'date' })),
      cadence: object({
        frequency: oneOfValues(TOUCHPOINT_FREQUENCIES),
        interval_days: num(),
        touches: int(),
        send_window: object({ days: array(oneOfValues(WEEKDAYS)), start: str(), end: str(), timezone: str() }),
      }),
    }),
    tracks: array(
      object({
        segment: str(),
        tier: oneOfValues(['high_value', 'warm', 'cold'] as const),
        channels: array(CHANNEL),
        touchpoints: array(
          object({
            step: int(),
            day: int(),
            weekday: oneOfValues(WEEKDAYS),
            phase: oneOfValues(['awareness', 'consideration', 'decision'] as const),
            channel: CHANNEL,
            content_type: str(),
            theme: str(),
            cta: str(),
          }),
        ),
        exit_criteria: array(str()),
        branching: array(object({ trigger: str(), action: str() })),
      }),
    ),
    kpis: array(object({ metric: str(), target: num(), comparison: oneOfValues(['at_least', 'at_most'] as const) })),
    warnings: WARNINGS,
    model_version: MODEL_VERSION,
    ai_plan: NARRATIVE('plan'),
  }),
);

// ---- pipeline ----

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

// ---- churn ----

const SIGNAL = str({ description: 'A churn signal, e.g. inactivity, payment_failures.' });

export type ChurnAnalysis = ChurnAnalysisResult & { source?: 'stored'; stored_customers?: number };

export const CHURN_SCHEMA = describes<ChurnAnalysis>()(
  object(
    {
      customers: array(
        object({
          rank: int({ minimum: 1 }),
          customer_id: id(),
          churn_probability: num({ minimum: 0, maximum: 1 }),
          risk_band: oneOfValues(['high', 'medium', 'low'] as const),
          ltv: nullable(num()),
          revenue_at_risk: nullable(num()),
          drivers: array(object({ signal: SIGNAL, value: num(), contribution: num(), effect: oneOfValues(['raises', 'lowers'] as const) })),
          missing_signals: array(str()),
          recommended_action: str(),
        }),
        { description: 'Ranked by churn probability (the first top_n when given).' },
      ),
      summary: object({
        customers: int(),
        high_risk: int(),
        medium_risk: int(),
        low_risk: int(),
        average_probability: num(),
        total_ltv: num(),
        revenue_at_risk: num(),
        top_drivers: array(object({ signal: SIGNAL, customers: int() })),
      }),
      model: object({
        intercept: num(),
        base_rate: num(),
        coefficients: array(object({ signal: SIGNAL, field: str(), weight: num(), description: str() })),
        bands: object({ high: num(), medium: num() }),
      }),
      warnings: WARNINGS,
      model_version: MODEL_VERSION,
      ai_explanation: NARRATIVE('explanation'),
      source: oneOfValues(['stored'] as const, { description: 'Present when the tenant’s stored customers were analysed.' }),
      stored_customers: int(),
    },
    { optional: ['source', 'stored_customers'] },
  ),
);
export type ChurnOutcome = ChurnAnalysis | null;
export const CHURN_RESULT_SCHEMA = describes<ChurnOutcome>()(nullable(CHURN_SCHEMA));

// ---- comprehensive analysis ----

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

export type { ValueOf };
