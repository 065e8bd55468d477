/**
 * The CRM's AI task types. Each `run` is the deterministic computation (the numbers always come from code);
 * the StrategyExecutor runs it as single agent / multi-agent / crew and, with an LLM, adds a narrative.
 */
import { ValidationProblem, type FieldError } from '../../../common/problem.js';
import type { PlanStep, TaskRunContext, TaskTypeDefinition } from '../../../tasks/task-type.js';
import {
  analyzeChurn,
  type ChurnCustomer,
  CrmValidationError,
  type CustomerRecord,
  DEFAULT_DURATION_DAYS,
  DEFAULT_FREQUENCY,
  type Grade,
  type LeadData,
  type LeadRankingResult,
  type LeadScoreResult,
  type NurturingCampaignResult,
  optimizePipeline,
  type PipelineOptimizationResult,
  planNurturingCampaign,
  rankLeads,
  runLeadScoring,
  type SegmentationType,
  segmentCustomers,
  validateChurnAnalysisRequest,
  validateLeadScoringRequest,
  validateNurturingCampaignRequest,
  validatePipelineOptimizationRequest,
  validateSegmentationRequest,
} from '../algorithms/index.js';
import {
  ChurnAnalysisParams,
  ComprehensiveAnalysisParams,
  LeadScoringParams,
  NurturingCampaignParams,
  PipelineOptimizationParams,
  SegmentationParams,
} from '../dto/crm-analysis.params.js';
import {
  CHURN_RESULT_SCHEMA,
  type ChurnOutcome,
  COMPREHENSIVE_SCHEMA,
  type ComprehensiveAnalysis,
  LEAD_SCORING_SCHEMA,
  type LeadScoringResult,
  type MetricInsights,
  NURTURING_SCHEMA,
  PIPELINE_SCHEMA,
  SEGMENTATION_RESULT_SCHEMA,
  type SegmentationOutcome,
} from './comprehensive-analysis.result.js';
import { loadStoredChurnCustomers, loadStoredCustomers, loadStoredLeads, saveLeadScores } from './crm-stored-data.js';

const AI_STRATEGIES = ['single_agent', 'multi_agent', 'crew_workflow'] as const;

/** Runs a computation, answering its rule violations as 422 field errors (a failed task, no fallback). */
function computed<T>(work: () => T, describe?: (errors: FieldError[]) => FieldError[]): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof CrmValidationError) throw new ValidationProblem(describe ? describe(error.errors) : error.errors);
    throw error;
  }
}

/** Renames an error path's prefix (`customer_data[2].ltv` → `customers[2].ltv`). */
function renamed(errors: FieldError[], from: string, to: string): FieldError[] {
  return errors.map((error) =>
    error.field === from || error.field.startsWith(`${from}.`) || error.field.startsWith(`${from}[`)
      ? { ...error, field: `${to}${error.field.slice(from.length)}` }
      : error,
  );
}

/** Errors about stored rows name the stored record (`customer "c_17"`), not an index the caller never sent. */
function storedRowErrors(errors: FieldError[], list: string, ids: (string | number)[], noun: string): FieldError[] {
  const pattern = new RegExp(`^${list}\\[(\\d+)\\]`);
  return errors.map((error) => {
    const match = pattern.exec(error.field);
    if (!match) return error;
    const id = ids[Number(match[1])];
    return { field: error.field, message: `${error.message} (stored ${noun} "${String(id)}")` };
  });
}

function noStoredData(field: string, detail: string): ValidationProblem {
  return new ValidationProblem([{ field, message: detail }], detail);
}

/**
 * `stages` given as an object, as an ordered array. Object key order is the stage order, but a task's
 * parameters are stored as jsonb, which reorders keys; callers that hold the request as sent convert first.
 */
export function withOrderedStages<T>(pipeline: T): T {
  if (!pipeline || typeof pipeline !== 'object' || Array.isArray(pipeline)) return pipeline;
  const stages = (pipeline as { stages?: unknown }).stages;
  if (!stages || typeof stages !== 'object' || Array.isArray(stages)) return pipeline;
  const ordered = Object.entries(stages as Record<string, unknown>).map(([name, value]) =>
    value && typeof value === 'object' && !Array.isArray(value) ? { name, ...(value as Record<string, unknown>) } : { name, count: value },
  );
  return { ...pipeline, stages: ordered };
}

// ---- lead scoring ----

async function scoreLeads(context: TaskRunContext, p: LeadScoringParams): Promise<LeadScoringResult> {
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

// ---- segmentation ----

async function segment(context: TaskRunContext, p: SegmentationParams): Promise<SegmentationOutcome> {
  const request = { segmentation_type: p.segmentation_type, segment_count: p.segment_count };
  if (p.customer_data !== undefined) return computed(() => segmentCustomers({ customer_data: p.customer_data ?? [], ...request }));
  const type = (p.segmentation_type ?? 'behavioral') as SegmentationType;
  const stored = await loadStoredCustomers(context.manager, context.tenantId, type);
  if (stored.customers.length === 0) {
    if (p.allow_empty) return null;
    throw noStoredData(
      'customer_data',
      'No customer_data was posted and the tenant has no stored customers: post customer_data[], or add customers with create_customer or sync_crm_contacts.',
    );
  }
  const result = computed(
    () => segmentCustomers({ customer_data: stored.customers, ...request }),
    (errors) =>
      storedRowErrors(
        errors,
        'customer_data',
        stored.customers.map((customer) => customer.customer_id),
        'customer',
      ),
  );
  if (stored.total > stored.customers.length) {
    result.warnings.push(`the tenant has ${stored.total} customers; the newest ${stored.customers.length} were segmented`);
  }
  return { ...result, source: 'stored', stored_customers: stored.total };
}

function checkSegmentation(p: SegmentationParams): FieldError[] {
  if (p.customer_data !== undefined) return validateSegmentationRequest(p);
  // Nothing posted: check the rest against a placeholder row (the stored count is checked when it runs).
  const errors = validateSegmentationRequest({ customer_data: [{ customer_id: 'stored' }], segmentation_type: p.segmentation_type });
  return errors.filter((error) => !error.field.startsWith('customer_data'));
}

// ---- churn ----

async function churn(context: TaskRunContext, p: ChurnAnalysisParams): Promise<ChurnOutcome> {
  if (p.customer_data !== undefined) return computed(() => analyzeChurn({ customer_data: p.customer_data ?? [], top_n: p.top_n }));
  const stored = await loadStoredChurnCustomers(context.manager, context.tenantId);
  if (stored.customers.length === 0) {
    if (p.allow_empty) return null;
    throw noStoredData(
      'customer_data',
      'No customer_data was posted and the tenant has no stored customers: post customer_data[], or add customers with create_customer or sync_crm_contacts.',
    );
  }
  const result = computed(
    () => analyzeChurn({ customer_data: stored.customers, top_n: p.top_n }),
    (errors) =>
      storedRowErrors(
        errors,
        'customer_data',
        stored.customers.map((customer) => customer.customer_id),
        'customer',
      ),
  );
  if (stored.total > stored.customers.length) {
    result.warnings.push(`the tenant has ${stored.total} customers; the newest ${stored.customers.length} were analysed`);
  }
  return { ...result, source: 'stored', stored_customers: stored.total };
}

function checkChurn(p: ChurnAnalysisParams): FieldError[] {
  if (p.customer_data !== undefined) return validateChurnAnalysisRequest(p);
  return validateChurnAnalysisRequest({ customer_data: [{ customer_id: 'stored' }], top_n: p.top_n });
}

// ---- comprehensive analysis ----

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

/** The master supervisor's crew: CRM parts by the CRM supervisor, metric insights by the analytics supervisor. */
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

/** crm_lead_scoring, crm_customer_segmentation, crm_nurturing_campaign, crm_pipeline_optimization, analyze_customer_churn, comprehensive_crm_analysis. */
export function analysisTaskTypes(): TaskTypeDefinition[] {
  const scoring: TaskTypeDefinition<LeadScoringParams, LeadScoringResult> = {
    type: 'crm_lead_scoring',
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
  const segmentation: TaskTypeDefinition<SegmentationParams, SegmentationOutcome> = {
    type: 'crm_customer_segmentation',
    domain: 'crm',
    description:
      "Segments customers (customer_data, or the tenant's stored customers): behavioral k-means++ on standardised features (k by silhouette when segment_count is absent), value_based, rfm or lifecycle; profiles, revenue at risk and actions per segment.",
    complexity: 'complex',
    strategy: 'multi_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'crm_customer_specialist',
    parameters: SegmentationParams,
    bulkInput: true,
    resultSchema: SEGMENTATION_RESULT_SCHEMA,
    check: checkSegmentation,
    run: async (context, p) => ({ aiMode: 'deterministic', result: await segment(context, p) }),
  };
  const nurturing: TaskTypeDefinition<NurturingCampaignParams, NurturingCampaignResult> = {
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
  const pipeline: TaskTypeDefinition<PipelineOptimizationParams, PipelineOptimizationResult> = {
    type: 'crm_pipeline_optimization',
    domain: 'crm',
    description:
      'Analyses the sales funnel: close probability per stage, expected wins and revenue, sales velocity, weighted pipeline, +10-point uplift per step, the bottleneck and the highest-leverage step (reported separately), stalled stages.',
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'crm_lead_specialist',
    parameters: PipelineOptimizationParams,
    resultSchema: PIPELINE_SCHEMA,
    check: (p) => validatePipelineOptimizationRequest(p),
    run: (_context, p) => Promise.resolve({ aiMode: 'deterministic', result: computed(() => optimizePipeline(p)) }),
  };
  const churnType: TaskTypeDefinition<ChurnAnalysisParams, ChurnOutcome> = {
    type: 'analyze_customer_churn',
    domain: 'crm',
    description:
      "Predicts churn risk per customer (customer_data, or the tenant's stored customers) with a transparent logistic model over recency, engagement and its trend, support tickets, payment failures, tenure and a prior churn_risk; ranked, with revenue at risk and the top drivers.",
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'crm_customer_specialist',
    parameters: ChurnAnalysisParams,
    bulkInput: true,
    resultSchema: CHURN_RESULT_SCHEMA,
    check: checkChurn,
    run: async (context, p) => ({ aiMode: 'deterministic', result: await churn(context, p) }),
  };
  const comprehensiveType: TaskTypeDefinition<ComprehensiveAnalysisParams, ComprehensiveAnalysis> = {
    type: 'comprehensive_crm_analysis',
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
  return [scoring, segmentation, nurturing, pipeline, churnType, comprehensiveType] as unknown as TaskTypeDefinition[];
}

export type { LeadRankingResult, LeadScoreResult };
