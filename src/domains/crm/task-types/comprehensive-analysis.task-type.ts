/**
 * comprehensive_crm_analysis: the CRM supervisor's multi-agent plan over the other analyses (leads, nurturing,
 * customers, churn, pipeline) and its synthesis; as a crew, the analytics supervisor adds metric insights. The
 * deterministic fallback computes the same parts directly.
 */
import { ValidationProblem, type FieldError } from '../../../common/problem.js';
import type { PlanStep, TaskRunContext, TaskTypeDefinition } from '../../../tasks/task-type.js';
import {
  type ChurnCustomer,
  type CustomerRecord,
  DEFAULT_DURATION_DAYS,
  DEFAULT_FREQUENCY,
  type Grade,
  type LeadData,
  type NurturingCampaignResult,
  optimizePipeline,
  type PipelineOptimizationResult,
  planNurturingCampaign,
  rankLeads,
  validateChurnAnalysisRequest,
  validateLeadScoringRequest,
  validateNurturingCampaignRequest,
  validatePipelineOptimizationRequest,
  validateSegmentationRequest,
} from '../algorithms/index.js';
import {
  ChurnAnalysisParams,
  ComprehensiveAnalysisParams,
  type LeadScoringParams,
  type NurturingCampaignParams,
  type SegmentationParams,
} from '../dto/crm-analysis.params.js';
import { AI_STRATEGIES, computed } from './analysis.shared.js';
import type { ChurnOutcome } from './churn-analysis.result.js';
import { churn } from './churn-analysis.task-type.js';
import { COMPREHENSIVE_SCHEMA, type ComprehensiveAnalysis, type MetricInsights } from './comprehensive-analysis.result.js';
import type { SegmentationOutcome } from './customer-segmentation.result.js';
import { segment } from './customer-segmentation.task-type.js';
import type { LeadScoringResult } from './lead-scoring.result.js';
import { scoreLeads } from './lead-scoring.task-type.js';

/** Renames an error path's prefix (`customer_data[2].ltv` → `customers[2].ltv`). */
function renamed(errors: FieldError[], from: string, to: string): FieldError[] {
  return errors.map((error) =>
    error.field === from || error.field.startsWith(`${from}.`) || error.field.startsWith(`${from}[`)
      ? { ...error, field: `${to}${error.field.slice(from.length)}` }
      : error,
  );
}

const DEFAULT_CAMPAIGN_OBJECTIVE = 'Convert scored leads into sales meetings';

/** Nurturing segment of a grade: A high value, B and C warm, D cold (disqualified leads get none). */
const SEGMENT_OF_GRADE: Record<Grade, string> = { A: 'high_value_leads', B: 'warm_leads', C: 'warm_leads', D: 'cold_leads' };
const SEGMENT_ORDER = ['high_value_leads', 'warm_leads', 'cold_leads'];

/** Lead count per nurturing segment of the scored leads, best segment first. */
export function scoredSegments(leads: LeadData[], criteria?: LeadScoringParams['scoring_criteria']): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const lead of rankLeads(leads, criteria).leads) {
    if (lead.qualification_status === 'disqualified') continue;
    const name = SEGMENT_OF_GRADE[lead.grade];
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return Object.fromEntries(SEGMENT_ORDER.filter((name) => name in counts).map((name) => [name, counts[name]]));
}

const has = (list: unknown[] | undefined): boolean => Array.isArray(list) && list.length > 0;

/** Nothing posted: the analysis reads the tenant's stored leads and customers. */
export function storedMode(p: ComprehensiveAnalysisParams): boolean {
  return !has(p.leads) && !has(p.customers) && p.pipeline === undefined && p.campaigns === undefined;
}

export const segmentationInput = (p: ComprehensiveAnalysisParams): SegmentationParams =>
  storedMode(p)
    ? { allow_empty: true, segment_count: p.segment_count }
    : {
        customer_data: p.customers ?? [],
        segmentation_type: 'behavioral',
        segment_count: p.segment_count ?? Math.min(4, Math.max(1, (p.customers ?? []).length)),
      };

const leadsInput = (p: ComprehensiveAnalysisParams): LeadScoringParams =>
  storedMode(p) ? { allow_empty: true, scoring_criteria: p.scoring_criteria } : { leads: p.leads, scoring_criteria: p.scoring_criteria };

/** Customers as churn rows: segmentation's recency/tenure are churn's days_since_last_activity/tenure_days. */
const churnInput = (p: ComprehensiveAnalysisParams): ChurnAnalysisParams =>
  storedMode(p)
    ? { allow_empty: true }
    : {
        customer_data: (p.customers ?? []).map((customer: CustomerRecord): ChurnCustomer => {
          const row: ChurnCustomer = { ...customer };
          if (row.days_since_last_activity === undefined && typeof customer.recency === 'number')
            row.days_since_last_activity = customer.recency;
          if (row.tenure_days === undefined && typeof customer.tenure === 'number') row.tenure_days = customer.tenure;
          return row;
        }),
      };

const nurturingInput = (p: ComprehensiveAnalysisParams): NurturingCampaignParams => {
  const settings = p.campaigns ?? {};
  return {
    lead_segments: settings.lead_segments ?? (has(p.leads) ? Object.keys(scoredSegments(p.leads ?? [], p.scoring_criteria)) : []),
    campaign_objective: settings.campaign_objective ?? DEFAULT_CAMPAIGN_OBJECTIVE,
    duration_days: settings.duration_days ?? DEFAULT_DURATION_DAYS,
    touchpoint_frequency: settings.touchpoint_frequency ?? DEFAULT_FREQUENCY,
    ...(settings.start_date !== undefined ? { start_date: settings.start_date } : {}),
  };
};

const runsLeads = (p: ComprehensiveAnalysisParams): boolean => has(p.leads) || storedMode(p);
const runsCustomers = (p: ComprehensiveAnalysisParams): boolean => has(p.customers) || storedMode(p);
const runsNurturing = (p: ComprehensiveAnalysisParams): boolean => {
  if (storedMode(p)) return false;
  if (p.campaigns?.lead_segments !== undefined) return true;
  return has(p.leads) && nurturingInput(p).lead_segments.length > 0;
};
const runsPipeline = (p: ComprehensiveAnalysisParams): boolean => p.pipeline !== undefined;

export function checkComprehensive(p: ComprehensiveAnalysisParams): FieldError[] {
  const errors: FieldError[] = [];
  if (has(p.leads)) errors.push(...validateLeadScoringRequest({ leads: p.leads, scoring_criteria: p.scoring_criteria }));
  if (p.leads !== undefined && !has(p.leads)) errors.push({ field: 'leads', message: 'must not be empty' });
  if (has(p.customers)) {
    const segmentation = renamed(validateSegmentationRequest(segmentationInput(p)), 'customer_data', 'customers');
    const churnErrors = renamed(validateChurnAnalysisRequest(churnInput(p)), 'customer_data', 'customers');
    const seen = new Set(segmentation.map((error) => error.field));
    errors.push(...segmentation, ...churnErrors.filter((error) => !seen.has(error.field)));
  }
  if (p.customers !== undefined && !has(p.customers)) errors.push({ field: 'customers', message: 'must not be empty' });
  if (p.pipeline !== undefined) {
    errors.push(...renamed(validatePipelineOptimizationRequest({ pipeline_data: p.pipeline }), 'pipeline_data', 'pipeline'));
  }
  if (p.campaigns !== undefined && errors.length === 0) {
    if (p.campaigns.lead_segments === undefined && !has(p.leads)) {
      errors.push({
        field: 'campaigns.lead_segments',
        message: 'is required when no leads are posted (the segments come from the scored leads otherwise)',
      });
    } else if (runsNurturing(p)) {
      const campaignErrors = validateNurturingCampaignRequest(nurturingInput(p));
      errors.push(...campaignErrors.map((error) => ({ ...error, field: `campaigns.${error.field}` })));
    }
  }
  return errors;
}

/** A part's result, or null when it had nothing to work on (an empty store answers null, wrapped as {value: null} by a crew). */
function present(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object' && 'value' in value && value.value === null) return null;
  return value;
}

/**
 * The CRM supervisor's synthesis: each part's computed result, and the lead segments the nurturing plan used.
 * Each part is the result of the plan step's task type (crm_lead_scoring for `leads`, …), typed by its definition.
 */
function synthesize(raw: Record<string, unknown>, p: ComprehensiveAnalysisParams): ComprehensiveAnalysis {
  const results = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, present(value)]));
  const parts = Object.keys(results)
    .filter((key) => results[key] !== null)
    .sort();
  const synthesis: ComprehensiveAnalysis = {
    lead_scoring: (results.leads ?? null) as LeadScoringResult,
    segmentation: (results.customers ?? null) as SegmentationOutcome,
    insights: (results.metrics ?? null) as MetricInsights | null,
    parts,
  };
  // Parts beyond the crew's scoring/segmentation/insights appear only when they ran.
  if ('nurturing' in results) {
    synthesis.nurturing_campaign = results.nurturing as NurturingCampaignResult | null;
    if (p.campaigns?.lead_segments === undefined && has(p.leads))
      synthesis.lead_segments = scoredSegments(p.leads ?? [], p.scoring_criteria);
  }
  if ('churn' in results) synthesis.churn_analysis = results.churn as ChurnOutcome;
  if ('pipeline' in results) synthesis.pipeline_optimization = results.pipeline as PipelineOptimizationResult | null;
  if (parts.length === 0) {
    throw new ValidationProblem(
      [{ field: 'leads', message: 'nothing to analyse: post leads, customers, pipeline or campaigns, or store leads/customers first' }],
      'Nothing to analyse: no data was posted and the tenant has no stored leads or customers. Post leads, customers, pipeline or campaigns, or add records with create_lead/create_customer or sync_crm_contacts.',
    );
  }
  return synthesis;
}

const PLAN: PlanStep<ComprehensiveAnalysisParams>[] = [
  {
    id: 'leads',
    agent: 'crm_lead_specialist',
    instructions: 'Score and rank the leads',
    taskType: 'crm_lead_scoring',
    parameters: leadsInput,
    when: runsLeads,
  },
  {
    id: 'nurturing',
    agent: 'crm_lead_specialist',
    instructions: 'Plan a nurturing campaign for the scored lead segments',
    taskType: 'crm_nurturing_campaign',
    parameters: nurturingInput,
    when: runsNurturing,
  },
  {
    id: 'customers',
    agent: 'crm_customer_specialist',
    instructions: 'Segment the customers',
    taskType: 'crm_customer_segmentation',
    parameters: segmentationInput,
    when: runsCustomers,
  },
  {
    id: 'churn',
    agent: 'crm_customer_specialist',
    instructions: 'Rank the customers by churn risk with revenue at risk and drivers',
    taskType: 'analyze_customer_churn',
    parameters: churnInput,
    when: runsCustomers,
  },
  {
    id: 'pipeline',
    agent: 'crm_lead_specialist',
    instructions: 'Find the pipeline bottleneck and the highest-leverage step',
    taskType: 'crm_pipeline_optimization',
    parameters: (p) => ({ pipeline_data: p.pipeline }),
    when: runsPipeline,
  },
];

/**
 * The crew: the CRM supervisor runs the whole CRM analysis (its multi-agent plan over the four specialists'
 * operations), and the analytics supervisor the metric insights when metrics are posted; the master merges them.
 */
const CREW_PLAN: PlanStep<ComprehensiveAnalysisParams>[] = [
  {
    id: 'crm',
    agent: 'crm_supervisor',
    instructions: 'Analyse leads, customers, campaigns and pipeline with the CRM specialists',
    taskType: 'comprehensive_crm_analysis',
  },
  {
    id: 'metrics',
    agent: 'analytics_supervisor',
    instructions: 'Find trends and anomalies in the CRM metrics',
    taskType: 'analytics_insights_generation',
    parameters: (p) => ({ metrics: p.metrics }),
    when: (p) => Boolean(p.metrics && Object.keys(p.metrics).length),
  },
];

/** The master's merge: the CRM supervisor's synthesis plus the analytics insights. */
function synthesizeCrew(results: Record<string, unknown>): ComprehensiveAnalysis {
  const crm = (results.crm ?? {}) as ComprehensiveAnalysis;
  const insights = present(results.metrics) as MetricInsights | null;
  const parts = [...(crm.parts ?? []), ...(insights ? ['metrics'] : [])].sort();
  return { ...crm, insights, parts };
}

/** The deterministic fallback: the multi-agent plan's parts computed directly. */
async function comprehensive(context: TaskRunContext, p: ComprehensiveAnalysisParams): Promise<ComprehensiveAnalysis> {
  const results: Record<string, unknown> = {};
  if (runsLeads(p)) results.leads = await scoreLeads(context, leadsInput(p));
  if (runsNurturing(p)) results.nurturing = computed(() => planNurturingCampaign(nurturingInput(p)));
  if (runsCustomers(p)) {
    results.customers = await segment(context, segmentationInput(p));
    results.churn = await churn(context, churnInput(p));
  }
  if (runsPipeline(p)) results.pipeline = computed(() => optimizePipeline({ pipeline_data: p.pipeline as NonNullable<typeof p.pipeline> }));
  return synthesize(results, p);
}

export function comprehensiveAnalysisTaskType(): TaskTypeDefinition<ComprehensiveAnalysisParams, ComprehensiveAnalysis> {
  return {
    type: 'comprehensive_crm_analysis',
    effect: 'update',
    domain: 'crm',
    description:
      "Full CRM analysis by the CRM specialists, synthesised by the CRM supervisor: leads → scoring and a nurturing plan for the scored segments, customers → segmentation and churn, pipeline → optimisation (the tenant's stored leads and customers when nothing is posted); as a crew with metrics, the analytics domain adds insights.",
    complexity: 'expert',
    strategy: 'crew_workflow',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'crm_supervisor',
    parameters: ComprehensiveAnalysisParams,
    bulkInput: true,
    resultSchema: COMPREHENSIVE_SCHEMA,
    check: checkComprehensive,
    plan: PLAN,
    crewPlan: CREW_PLAN,
    synthesize,
    synthesizeCrew,
    run: async (context, p) => ({ aiMode: 'deterministic', result: await comprehensive(context, p) }),
  };
}
