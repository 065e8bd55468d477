import type { BenchContext, Benchmark, BenchResult } from './lib/benchmark.js';
import type { Scope } from './lib/process.js';
import { type ScriptedLlm, startScriptedLlm } from './lib/scripted-llm.js';
import { type DatabasePhase, type ExecuteAnswer, forEachDatabase, getJson, runTask, startService } from './lib/service.js';

type Complexity = 'simple' | 'moderate' | 'complex' | 'expert';

/** The mix of the decision matrix's classes, in tasks per WORKLOAD_SIZE. */
const MIX: Record<Complexity, number> = { simple: 0.5, moderate: 0.3, complex: 0.15, expert: 0.05 };
const WORKLOAD_SIZE = 40;
const CALLS_TARGET = 0.35;

const LEAD = { email: 'prospect@company.com', company: 'TechCorp Inc', role: 'CTO', engagement_score: 85, website_visits: 12 };
const CUSTOMERS = [
  { customer_id: 'cust_001', ltv: 15000, engagement_score: 92, churn_risk: 0.1 },
  { customer_id: 'cust_002', ltv: 12000, engagement_score: 85, churn_risk: 0.15 },
  { customer_id: 'cust_003', ltv: 800, engagement_score: 30, churn_risk: 0.7 },
  { customer_id: 'cust_004', ltv: 500, engagement_score: 20, churn_risk: 0.85 },
  { customer_id: 'cust_005', ltv: 4000, engagement_score: 60, churn_risk: 0.3 },
];
const PIPELINE = {
  stages: { lead: 200, qualified: 80, proposal: 40, negotiation: 20 },
  conversion_rates: { lead: 0.4, qualified: 0.5, proposal: 0.5, negotiation: 0.5 },
  average_deal_size: 25000,
  sales_cycle_length: 45,
};
const CAMPAIGN = { campaign_objective: 'Convert prospects to demos', duration_days: 30, touchpoint_frequency: 'weekly' };
const METRICS = { revenue: [120, 130, 125, 140, 135, 400, 138], signups: [12, 15, 11, 14, 13, 12, 30] };

/** Task types per class (the catalogue's default complexity is checked at run time) with valid parameters. */
const POOL: Record<Complexity, Array<{ type: string; parameters: Record<string, unknown> }>> = {
  simple: [
    { type: 'get_task_list', parameters: { limit: 5 } },
    { type: 'get_customer_list', parameters: {} },
    { type: 'get_lead_list', parameters: {} },
    { type: 'get_deal_list', parameters: {} },
    { type: 'analytics_kpi_snapshot', parameters: {} },
  ],
  moderate: [
    { type: 'crm_lead_scoring', parameters: { lead_data: LEAD } },
    { type: 'crm_pipeline_optimization', parameters: { pipeline_data: PIPELINE } },
    { type: 'crm_nurturing_campaign', parameters: { lead_segments: ['high_value_prospects', 'warm_leads'], ...CAMPAIGN } },
    { type: 'analyze_customer_churn', parameters: { customer_data: CUSTOMERS } },
    { type: 'analytics_insights_generation', parameters: { metrics: METRICS } },
  ],
  complex: [
    { type: 'crm_customer_segmentation', parameters: { customer_data: CUSTOMERS, segmentation_type: 'behavioral', segment_count: 3 } },
    { type: 'analytics_report_generation', parameters: { metrics: METRICS, customers: CUSTOMERS } },
  ],
  expert: [
    {
      type: 'comprehensive_crm_analysis',
      parameters: { leads: [LEAD], customers: CUSTOMERS, campaigns: CAMPAIGN, pipeline: PIPELINE, metrics: METRICS },
    },
  ],
};

interface WorkItem {
  complexity: Complexity;
  type: string;
  parameters: Record<string, unknown>;
}

/** WORKLOAD_SIZE tasks in the MIX proportions, the classes interleaved (not in blocks) and each pool cycled. */
function workload(): WorkItem[] {
  const items: WorkItem[] = [];
  const left = Object.fromEntries(Object.entries(MIX).map(([c, share]) => [c, Math.round(share * WORKLOAD_SIZE)])) as Record<
    Complexity,
    number
  >;
  const used: Record<Complexity, number> = { simple: 0, moderate: 0, complex: 0, expert: 0 };
  while (items.length < WORKLOAD_SIZE) {
    // The class furthest behind its share goes next (a deterministic round robin weighted by the mix).
    const next = (Object.keys(MIX) as Complexity[]).filter((c) => left[c] > 0).sort((a, b) => used[a] / MIX[a] - used[b] / MIX[b])[0];
    const pool = POOL[next];
    items.push({ complexity: next, ...pool[used[next] % pool.length] });
    used[next] += 1;
    left[next] -= 1;
  }
  return items;
}

interface Totals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  byClass: Record<Complexity, number>;
  strategies: Map<string, number>;
}

interface CatalogueEntry {
  type: string;
  default_complexity: string;
}

async function checkCatalogue(baseUrl: string, items: WorkItem[]): Promise<void> {
  const catalogue = await getJson<{ domains: Record<string, CatalogueEntry[]> }>(`${baseUrl}/api/crew/catalogue`);
  const complexity = new Map(
    Object.values(catalogue.body.domains).flatMap((entries) => entries.map((e) => [e.type, e.default_complexity])),
  );
  for (const item of new Map(items.map((i) => [i.type, i])).values()) {
    const actual = complexity.get(item.type);
    if (actual !== item.complexity)
      throw new Error(`${item.type} is ${actual ?? 'not in the catalogue'}, the workload counts it as ${item.complexity}`);
  }
}

async function runWorkload(baseUrl: string, llm: ScriptedLlm, items: WorkItem[], tenant: string, forceCrew: boolean): Promise<Totals> {
  llm.reset();
  const totals: Totals = {
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    byClass: { simple: 0, moderate: 0, complex: 0, expert: 0 },
    strategies: new Map(),
  };
  for (const item of items) {
    const answer: ExecuteAnswer = await runTask(baseUrl, {
      type: item.type,
      description: `Benchmark workload: ${item.type.replaceAll('_', ' ')}`,
      tenant_id: tenant,
      parameters: item.parameters,
      ...(forceCrew ? { force_crew: true } : {}),
    });
    if (answer.status !== 'completed' || !answer.metrics) {
      throw new Error(`${item.type}${forceCrew ? ' (force_crew)' : ''} ended ${answer.status}: ${answer.error ?? ''}`);
    }
    totals.calls += answer.metrics.llm_calls;
    totals.inputTokens += answer.metrics.input_tokens;
    totals.outputTokens += answer.metrics.output_tokens;
    totals.byClass[item.complexity] += answer.metrics.llm_calls;
    const chain = answer.metrics.fallback_chain.length > 1 ? ` (fallback ${answer.metrics.fallback_chain.join(' → ')})` : '';
    const strategy = `${item.complexity}→${answer.strategy_used ?? '?'}${chain}`;
    totals.strategies.set(strategy, (totals.strategies.get(strategy) ?? 0) + 1);
  }
  // What the service accounted must be what the provider saw.
  if (llm.calls !== totals.calls || llm.promptTokens !== totals.inputTokens || llm.completionTokens !== totals.outputTokens) {
    throw new Error(
      `${forceCrew ? 'force_crew' : 'matrix'} run: the tasks report ${totals.calls} calls / ${totals.inputTokens}+${totals.outputTokens} tokens, ` +
        `the scripted model answered ${llm.calls} / ${llm.promptTokens}+${llm.completionTokens}`,
    );
  }
  return totals;
}

function describe(totals: Totals): string {
  const classes = (Object.keys(totals.byClass) as Complexity[]).map((c) => `${c} ${totals.byClass[c]}`).join(', ');
  const strategies = [...totals.strategies.entries()].map(([route, count]) => `${count}× ${route}`).join(', ');
  return `${totals.calls} calls (${classes}); routes: ${strategies}`;
}

async function measure(context: BenchContext, scope: Scope, phase: DatabasePhase): Promise<BenchResult> {
  const llm = await startScriptedLlm();
  scope.defer(() => llm.close());
  context.log(`${phase.label}: starting the service against the scripted model`);
  const service = await startService(context, scope, phase, {
    OPENAI_BASE_URL: llm.url,
    ENABLE_CREW_CACHING: 'false',
    MAX_RPM: '100000',
    TENANT_RATE_LIMIT_PER_MINUTE: '0',
  });
  const items = workload();
  await checkCatalogue(service.baseUrl, items);
  context.log(`${phase.label}: ${items.length} tasks routed by the decision matrix`);
  // Separate tenants: agent memory (per tenant) starts empty for both runs.
  const matrix = await runWorkload(service.baseUrl, llm, items, 'economy-matrix', false);
  context.log(`${phase.label}: the same ${items.length} tasks with force_crew: true`);
  const crew = await runWorkload(service.baseUrl, llm, items, 'economy-crew', true);
  const tokens = (totals: Totals): number => totals.inputTokens + totals.outputTokens;
  return {
    figures: [
      {
        figure: `LLM calls, ${items.length}-task mix: decision matrix vs all force_crew`,
        unit: '',
        value: matrix.calls,
        baseline: crew.calls,
        target: { on: 'ratio', atMost: CALLS_TARGET },
      },
      { figure: `LLM tokens (input + output), same mix`, unit: '', value: tokens(matrix), baseline: tokens(crew) },
    ],
    notes: [
      `mix ${Object.entries(MIX)
        .map(([c, share]) => `${Math.round(share * items.length)} ${c}`)
        .join(', ')} (${[...new Set(items.map((i) => i.type))].join(', ')}), run one at a time on ${phase.label}; ` +
        'calls and tokens from the tasks’ metrics, checked equal to what the scripted model answered.',
      `decision matrix: ${describe(matrix)}.`,
      `force_crew: ${describe(crew)}.`,
      'force_crew runs every domain type through the hierarchy (built-in system types such as get_task_list have no supervisor and stay direct): ' +
        'the master plans over the domain supervisors, each supervisor plans over its agents, and the agents narrate, with the numbers from tools — ' +
        'still leaner than a CrewAI hierarchical crew (no ReAct turns per worker).',
    ],
  };
}

export const benchmark: Benchmark = {
  name: 'llm-economy',
  description: `LLM calls and tokens of a ${WORKLOAD_SIZE}-task mix (50% simple, 30% moderate, 15% complex, 5% expert) routed by the decision matrix vs forced through crew_workflow`,
  run(context) {
    return forEachDatabase(context, ['embedded'], (phase, scope) => measure(context, scope, phase));
  },
};
