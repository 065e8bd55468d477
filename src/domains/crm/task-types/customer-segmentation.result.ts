/** crm_customer_segmentation's result schema, held by the compiler to the result its handler returns (describes<T>()). */
import { array, describes, id, int, nullable, num, object, oneOfValues, record, str } from '../../../tasks/result-schema.js';
import { SEGMENTATION_TYPES, type SegmentationResult } from '../algorithms/index.js';
import { MODEL_VERSION, NARRATIVE, WARNINGS } from './analysis.shared.js';

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
