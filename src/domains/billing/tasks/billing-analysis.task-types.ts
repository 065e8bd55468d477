import { array, describes, int, nullable, num, object, oneOfValues, record, str } from '../../../delegation/result-schema.js';
import type { CustomerMovement } from '../algorithms/revenue-analysis.js';
import type { DunningResult, DunningStep } from '../algorithms/dunning-plan.js';
import type { LeakageEntry, PlanFitEntry } from '../algorithms/subscription-optimization.js';
import type { FieldError } from '../../../common/problem.js';
import type { JsonSchema, TaskTypeDefinition } from '../../../delegation/task-type.js';
import { planDunning } from '../algorithms/dunning-plan.js';
import { analyseRevenue } from '../algorithms/revenue-analysis.js';
import { optimizeSubscriptions } from '../algorithms/subscription-optimization.js';
import {
  lastCalendarMonth,
  postedDunningInvoices,
  postedMrrEvents,
  postedSubscriptions,
  storedDunningInvoices,
  storedMrrEvents,
  storedSubscriptions,
} from '../billing-data.js';
import { DunningPlanParams, RevenueAnalysisParams, SubscriptionOptimizationParams } from '../dto/billing-analysis.params.js';

const AI_STRATEGIES = ['single_agent', 'multi_agent', 'crew_workflow'] as const;
const STATUS = { type: 'string', enum: ['ok', 'not_enough_data'] };
const SOURCE = { type: 'string', enum: ['stored', 'posted'] };
const NULLABLE_RATIO = { type: ['number', 'null'] };

const MOVEMENTS = ['new', 'expansion', 'contraction', 'churn', 'reactivation'] as const;

export const REVENUE_RESULT_SCHEMA: JsonSchema = {
  type: 'object',
  required: [
    'status',
    'message',
    'source',
    'period',
    'mrr_start',
    'mrr_end',
    'movements',
    'net_revenue_retention',
    'gross_revenue_retention',
  ],
  properties: {
    status: STATUS,
    message: { type: 'string' },
    source: SOURCE,
    period: { type: 'object', properties: { start: { type: 'string' }, end: { type: 'string' } } },
    mrr_start: { type: 'number' },
    mrr_end: { type: 'number' },
    movements: {
      type: 'object',
      properties: {
        new: { type: 'number' },
        expansion: { type: 'number' },
        contraction: { type: 'number' },
        churn: { type: 'number' },
        reactivation: { type: 'number' },
      },
    },
    net_new_mrr: { type: 'number' },
    net_revenue_retention: NULLABLE_RATIO,
    gross_revenue_retention: NULLABLE_RATIO,
    customers: object({
      at_start: int(),
      at_end: int(),
      new: int(),
      churned: int(),
      reactivated: int(),
      expanded: int(),
      contracted: int(),
    }),
    reconciles: { type: 'boolean' },
    by_customer: array(
      describes<CustomerMovement>()(
        object({ customer_ref: str(), mrr_start: num(), mrr_end: num(), movement: oneOfValues(MOVEMENTS), amount: num() }),
      ),
    ),
  },
};

export const OPTIMIZATION_RESULT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['status', 'message', 'source', 'plan_fit', 'discount_leakage'],
  properties: {
    status: STATUS,
    message: { type: 'string' },
    source: SOURCE,
    as_of: { type: 'string' },
    subscriptions_analysed: { type: 'integer' },
    plan_fit: {
      type: 'object',
      properties: {
        evaluated: { type: 'boolean' },
        upgrades: { type: 'integer' },
        downgrades: { type: 'integer' },
        upgrade_mrr: { type: 'number' },
        downgrade_mrr: { type: 'number' },
        entries: array(
          describes<PlanFitEntry>()(
            object({
              subscription_ref: str(),
              customer_ref: str(),
              plan: str(),
              seats: num(),
              seat_limit: nullable(num()),
              utilisation: nullable(num()),
              verdict: oneOfValues(['upgrade', 'downgrade', 'near_limit', 'fit', 'unknown_plan'] as const),
              suggested_plan: nullable(str()),
              mrr_impact: num({ description: 'List MRR change if moved to the suggested plan.' }),
              reason: str(),
            }),
          ),
        ),
      },
    },
    discount_leakage: {
      type: 'object',
      properties: {
        total_discount_mrr: { type: 'number' },
        above_policy_excess_mrr: { type: 'number' },
        expired_promo_mrr: { type: 'number' },
        recoverable_mrr: { type: 'number' },
        entries: array(
          describes<LeakageEntry>()(
            object({
              subscription_ref: str(),
              customer_ref: str(),
              plan: str(),
              mrr: num(),
              discount_pct: num(),
              discount_ends_at: nullable(str({ format: 'date-time' })),
              discount_mrr: num(),
              flags: array(oneOfValues(['above_policy', 'expired_promo'] as const)),
              recoverable_mrr: num(),
            }),
          ),
        ),
      },
    },
  },
};

export const DUNNING_RESULT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['status', 'message', 'source', 'invoices', 'summary'],
  properties: {
    status: STATUS,
    message: { type: 'string' },
    source: SOURCE,
    as_of: { type: 'string' },
    invoices: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          invoice_ref: { type: 'string' },
          amount_at_risk: { type: 'number' },
          category: { type: 'string' },
          recovery_rank: { type: 'integer' },
          schedule: array(
            describes<DunningStep>()(
              object(
                {
                  day: int(),
                  date: str(),
                  action: oneOfValues(['retry_payment', 'send_message', 'manual_review', 'suspend_service'] as const),
                  template: str(),
                },
                { optional: ['template'] },
              ),
            ),
          ),
        },
      },
    },
    summary: describes<DunningResult['summary']>()(
      object({
        invoices: int(),
        amount_at_risk: num(),
        expected_recovery: num(),
        by_category: record(object({ invoices: int(), amount_at_risk: num() }), { description: 'Per failure category.' }),
        retries_scheduled: int(),
      }),
    ),
    assumptions: describes<DunningResult['assumptions']>()(
      object({ retry_days: array(int()), recovery_rates: record(num(), { description: 'Expected recovery rate per failure category.' }) }),
    ),
  },
};

function checkPeriod(p: RevenueAnalysisParams): FieldError[] {
  if ((p.period_start === undefined) !== (p.period_end === undefined)) {
    return [
      {
        field: p.period_start ? 'period_end' : 'period_start',
        message: 'give period_start and period_end together (or neither for last month)',
      },
    ];
  }
  if (p.period_start && p.period_end && Date.parse(p.period_start) >= Date.parse(p.period_end)) {
    return [{ field: 'period_end', message: 'must be after period_start' }];
  }
  return [];
}

function checkPlans(p: SubscriptionOptimizationParams): FieldError[] {
  const seen = new Set<string>();
  return (p.plans ?? []).flatMap((plan, index) => {
    const duplicate = seen.has(plan.plan);
    seen.add(plan.plan);
    return duplicate ? [{ field: `plans[${index}].plan`, message: `duplicates plan ${plan.plan}` }] : [];
  });
}

export function billingAnalysisTaskTypes(): TaskTypeDefinition[] {
  const revenue: TaskTypeDefinition<RevenueAnalysisParams> = {
    type: 'billing_revenue_analysis',
    domain: 'billing',
    description:
      'MRR at the start and end of a period (last calendar month by default) from the subscription MRR history (stored, or posted mrr_events), its movements per customer — new, expansion, contraction, churn, reactivation — and net and gross revenue retention.',
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'billing_revenue_specialist',
    parameters: RevenueAnalysisParams,
    resultSchema: REVENUE_RESULT_SCHEMA,
    check: checkPeriod,
    run: async (context, p) => {
      const period =
        p.period_start && p.period_end ? { start: new Date(p.period_start), end: new Date(p.period_end) } : lastCalendarMonth();
      const posted = p.mrr_events !== undefined;
      const events = posted ? postedMrrEvents(p.mrr_events ?? []) : await storedMrrEvents(context.manager, context.tenantId, period.end);
      return {
        aiMode: 'deterministic',
        result: { source: posted ? 'posted' : 'stored', ...analyseRevenue(events, period.start, period.end) },
      };
    },
  };
  const optimization: TaskTypeDefinition<SubscriptionOptimizationParams> = {
    type: 'billing_subscription_optimization',
    domain: 'billing',
    description:
      'Plan fit of each active subscription (seats used against the plan limits of the given plans: upgrade and downgrade candidates with their MRR impact) and discount leakage (discount MRR, discounts above policy, expired promotions still applied).',
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'billing_subscription_specialist',
    parameters: SubscriptionOptimizationParams,
    resultSchema: OPTIMIZATION_RESULT_SCHEMA,
    check: checkPlans,
    run: async (context, p) => {
      const posted = p.subscriptions !== undefined;
      const subscriptions = posted
        ? postedSubscriptions(p.subscriptions ?? [])
        : await storedSubscriptions(context.manager, context.tenantId);
      const result = optimizeSubscriptions(subscriptions, {
        plans: p.plans?.map((plan) => ({ plan: plan.plan, monthlyPrice: plan.monthly_price, seatLimit: plan.seat_limit })),
        maxDiscountPct: p.max_discount_pct ?? 20,
        asOf: p.as_of ? new Date(p.as_of) : new Date(),
        nearLimit: p.near_limit ?? 0.9,
      });
      return { aiMode: 'deterministic', result: { source: posted ? 'posted' : 'stored', ...result } };
    },
  };
  const dunning: TaskTypeDefinition<DunningPlanParams> = {
    type: 'billing_dunning_plan',
    domain: 'billing',
    description:
      'For every open invoice with a failed payment: a retry and message schedule by decline code (soft declines retried on days 1, 3, 5, 7; expired cards asked for a new card without retrying; hard declines and fraud stopped), the amount at risk and the order to work them in.',
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'billing_revenue_specialist',
    parameters: DunningPlanParams,
    resultSchema: DUNNING_RESULT_SCHEMA,
    run: async (context, p) => {
      const posted = p.invoices !== undefined;
      const invoices = posted ? postedDunningInvoices(p.invoices ?? []) : await storedDunningInvoices(context.manager, context.tenantId);
      const result = planDunning(invoices, p.as_of ? new Date(p.as_of) : new Date());
      return { aiMode: 'deterministic', result: { source: posted ? 'posted' : 'stored', ...result } };
    },
  };
  return [revenue, optimization, dunning];
}
