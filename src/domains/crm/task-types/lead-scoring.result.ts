/** crm_lead_scoring's result schema, held by the compiler to the result its handler returns (describes<T>()). */
import { anyOf, array, bool, describes, int, nullable, num, object, oneOfValues, record, str } from '../../../tasks/result-schema.js';
import type { LeadRankingResult, LeadScoreResult } from '../algorithms/index.js';
import { MODEL_VERSION, NARRATIVE, WARNINGS } from './analysis.shared.js';

const GRADES = ['A', 'B', 'C', 'D'] as const;
const STATUSES = ['sales_ready', 'mql', 'nurture', 'disqualified'] as const;

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
