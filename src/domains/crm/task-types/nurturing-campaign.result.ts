/** crm_nurturing_campaign's result schema, held by the compiler to the result its handler returns (describes<T>()). */
import { array, describes, int, nullable, num, object, oneOfValues, str } from '../../../tasks/result-schema.js';
import { type NurturingCampaignResult, TOUCHPOINT_FREQUENCIES, WEEKDAYS } from '../algorithms/index.js';
import { MODEL_VERSION, NARRATIVE, WARNINGS } from './analysis.shared.js';

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
