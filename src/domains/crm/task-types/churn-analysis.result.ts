/** analyze_customer_churn's result schema, held by the compiler to the result its handler returns (describes<T>()). */
import { array, describes, id, int, nullable, num, object, oneOfValues, str } from '../../../tasks/result-schema.js';
import type { ChurnAnalysisResult } from '../algorithms/index.js';
import { MODEL_VERSION, NARRATIVE, WARNINGS } from './analysis.shared.js';

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
