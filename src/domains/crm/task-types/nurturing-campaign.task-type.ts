/** crm_nurturing_campaign: a campaign plan computed from the posted segments and cadence. */
import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
import { type NurturingCampaignResult, planNurturingCampaign, validateNurturingCampaignRequest } from '../algorithms/index.js';
import { NurturingCampaignParams } from '../dto/crm-analysis.params.js';
import { AI_STRATEGIES, computed } from './analysis.shared.js';
import { NURTURING_SCHEMA } from './nurturing-campaign.result.js';

export function nurturingCampaignTaskType(): TaskTypeDefinition<NurturingCampaignParams, NurturingCampaignResult> {
  return {
    type: 'crm_nurturing_campaign',
    domain: 'crm',
    description:
      'Plans a nurturing campaign: cadence from touchpoint_frequency (weekends moved to Monday), awareness/consideration/decision phases, one track per lead segment (channels by segment value), exit criteria, branching and KPIs.',
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'crm_lead_specialist',
    parameters: NurturingCampaignParams,
    resultSchema: NURTURING_SCHEMA,
    check: (p) => validateNurturingCampaignRequest(p),
    run: (_context, p) => Promise.resolve({ aiMode: 'deterministic', result: computed(() => planNurturingCampaign(p)) }),
  };
}
