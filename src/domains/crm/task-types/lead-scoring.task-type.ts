/**
 * crm_lead_scoring: one posted lead, a posted list, or the tenant's stored leads (whose scores are saved).
 * The numbers come from the algorithms; the StrategyExecutor adds a narrative when an LLM runs it.
 */
import type { FieldError } from '../../../common/problem.js';
import type { TaskRunContext, TaskTypeDefinition } from '../../../tasks/task-type.js';
import { rankLeads, runLeadScoring, validateLeadScoringRequest } from '../algorithms/index.js';
import { LeadScoringParams } from '../dto/crm-analysis.params.js';
import { AI_STRATEGIES, computed, noStoredData, storedRowErrors } from './analysis.shared.js';
import { loadStoredLeads, saveLeadScores } from './crm-stored-data.js';
import { LEAD_SCORING_SCHEMA, type LeadScoringResult } from './lead-scoring.result.js';

export async function scoreLeads(context: TaskRunContext, p: LeadScoringParams): Promise<LeadScoringResult> {
  if (p.lead_data !== undefined || p.leads !== undefined) {
    return computed(() => runLeadScoring({ lead_data: p.lead_data, leads: p.leads, scoring_criteria: p.scoring_criteria }));
  }
  const stored = await loadStoredLeads(context.manager, context.tenantId);
  if (stored.leads.length === 0) {
    if (p.allow_empty) return null;
    throw noStoredData(
      'lead_data',
      'No lead_data was posted and the tenant has no stored leads: post lead_data (or leads[]), or add leads with create_lead or sync_crm_contacts (target "leads").',
    );
  }
  const ranking = computed(
    () => rankLeads(stored.leads, p.scoring_criteria),
    (errors) =>
      storedRowErrors(
        errors,
        'leads',
        stored.leads.map((lead) => lead.lead_id ?? ''),
        'lead',
      ),
  );
  // Each ranked lead carries its request index; save its score on its row.
  await context.write((manager) =>
    saveLeadScores(
      manager,
      context.tenantId,
      ranking.leads.map((lead) => stored.ids[lead.index]),
      ranking.leads,
    ),
  );
  if (stored.total > stored.leads.length) {
    ranking.warnings.push(`the tenant has ${stored.total} leads; the newest ${stored.leads.length} were scored`);
  }
  return { ...ranking, source: 'stored', stored_leads: stored.total };
}

function checkLeadScoring(p: LeadScoringParams): FieldError[] {
  if (p.lead_data === undefined && p.leads === undefined)
    return validateLeadScoringRequest({ lead_data: {}, scoring_criteria: p.scoring_criteria });
  return validateLeadScoringRequest(p);
}

export function leadScoringTaskType(): TaskTypeDefinition<LeadScoringParams, LeadScoringResult> {
  return {
    type: 'crm_lead_scoring',
    effect: 'update',
    domain: 'crm',
    description:
      "Scores and qualifies one lead (lead_data) or a ranked list (leads; the tenant's stored leads when none are posted, saving their scores): fit, engagement and behaviour with decay, grade A–D, status, matrix cell and next action.",
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'crm_lead_specialist',
    parameters: LeadScoringParams,
    resultSchema: LEAD_SCORING_SCHEMA,
    check: checkLeadScoring,
    run: async (context, p) => ({ aiMode: 'deterministic', result: await scoreLeads(context, p) }),
  };
}
