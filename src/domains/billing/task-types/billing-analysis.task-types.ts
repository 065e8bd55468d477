import { array, bool, describes, int, nullable, num, object, oneOfValues, record, str, strOf } from '../../../tasks/result-schema.js';
import type { CustomerMovement, RevenueResult } from '../algorithms/revenue-analysis.js';
import type { DunningEntry, DunningResult, DunningStep } from '../algorithms/dunning-plan.js';
import type { LeakageEntry, OptimizationResult, PlanFitEntry } from '../algorithms/subscription-optimization.js';
import type { FieldError } from '../../../common/problem.js';
import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
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
} from './billing-data.js';
import { DunningPlanParams, RevenueAnalysisParams, SubscriptionOptimizationParams } from '../dto/billing-analysis.params.js';
import { AI_STRATEGIES } from '../../shared/task-kit.js';

const STATUS = strOf(['ok', 'not_enough_data'] as const);
const SOURCE = strOf(['stored', 'posted'] as const);

const MOVEMENTS = ['new', 'expansion', 'contraction', 'churn', 'reactivation'] as const;

/** Where the analysed data came from: the tenant's stored rows, or the rows posted with the task. */
type Sourced<T> = T & { source: 'stored' | 'posted' };
export type RevenueAnalysis = Sourced<RevenueResult>;
export type SubscriptionOptimization = Sourced<OptimizationResult>;
export type DunningPlan = Sourced<DunningResult>;

export const REVENUE_RESULT_SCHEMA = describes<RevenueAnalysis>()(
  object(
    {
      status: STATUS,
      message: str(),
      source: SOURCE,
      period: object({ start: str(), end: str() }, { optional: ['start', 'end'] }),
      mrr_start: num(),
      mrr_end: num(),
      movements: object(
        { new: num(), expansion: num(), contraction: num(), churn: num(), reactivation: num() },
        { optional: ['new', 'expansion', 'contraction', 'churn', 'reactivation'] },
      ),
      net_new_mrr: num(),
      net_revenue_retention: nullable(num()),
      gross_revenue_retention: nullable(num()),
      customers: object({
        at_start: int(),
        at_end: int(),
        new: int(),
        churned: int(),
        reactivated: int(),
        expanded: int(),
        contracted: int(),
      }),
      reconciles: bool(),
      by_customer: array(
        describes<CustomerMovement>()(
          object({ customer_ref: str(), mrr_start: num(), mrr_end: num(), movement: oneOfValues(MOVEMENTS), amount: num() }),
        ),
      ),
    },
    { optional: ['net_new_mrr', 'customers', 'reconciles', 'by_customer'] },
  ),
);

export const OPTIMIZATION_RESULT_SCHEMA = describes<SubscriptionOptimization>()(
  object(
    {
      status: STATUS,
      message: str(),
      source: SOURCE,
      as_of: str(),
      subscriptions_analysed: int(),
      plan_fit: object(
        {
          evaluated: bool(),
          note: str(),
          upgrades: int(),
          downgrades: int(),
          near_limit: int(),
          unknown_plan: int(),
          upgrade_mrr: num(),
          downgrade_mrr: num(),
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
        {
          optional: [
            'evaluated',
            'note',
            'upgrades',
            'downgrades',
            'near_limit',
            'unknown_plan',
            'upgrade_mrr',
            'downgrade_mrr',
            'entries',
          ],
        },
      ),
      discount_leakage: object(
        {
          policy_max_discount_pct: num(),
          discounted_subscriptions: int(),
          total_discount_mrr: num(),
          above_policy: int(),
          above_policy_excess_mrr: num(),
          expired_promos: int(),
          expired_promo_mrr: num(),
          recoverable_mrr: num(),
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
        {
          optional: [
            'policy_max_discount_pct',
            'discounted_subscriptions',
            'total_discount_mrr',
            'above_policy',
            'above_policy_excess_mrr',
            'expired_promos',
            'expired_promo_mrr',
            'recoverable_mrr',
            'entries',
          ],
        },
      ),
    },
    { optional: ['as_of', 'subscriptions_analysed'] },
  ),
);

export const DUNNING_RESULT_SCHEMA = describes<DunningPlan>()(
  object(
    {
      status: STATUS,
      message: str(),
      source: SOURCE,
      as_of: str(),
      invoices: array(
        describes<DunningEntry>()(
          object(
            {
              invoice_ref: str(),
              customer_ref: str(),
              amount_at_risk: num(),
              failure_code: nullable(str()),
              category: str(),
              failed_attempts: int(),
              first_failed_at: str(),
              last_attempt_at: str(),
              retries_left: int(),
              expected_recovery: num(),
              strategy: str(),
              recovery_rank: int(),
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
            {
              optional: [
                'invoice_ref',
                'customer_ref',
                'amount_at_risk',
                'failure_code',
                'category',
                'failed_attempts',
                'first_failed_at',
                'last_attempt_at',
                'retries_left',
                'expected_recovery',
                'strategy',
                'recovery_rank',
                'schedule',
              ],
            },
          ),
        ),
      ),
      summary: object({
        invoices: int(),
        amount_at_risk: num(),
        expected_recovery: num(),
        by_category: record(object({ invoices: int(), amount_at_risk: num() }), { description: 'Per failure category.' }),
        retries_scheduled: int(),
      }),
      assumptions: object({
        retry_days: array(int()),
        recovery_rates: record(num(), { description: 'Expected recovery rate per failure category.' }),
      }),
    },
    { optional: ['as_of', 'assumptions'] },
  ),
);

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
  const revenue: TaskTypeDefinition<RevenueAnalysisParams, RevenueAnalysis> = {
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
  const optimization: TaskTypeDefinition<SubscriptionOptimizationParams, SubscriptionOptimization> = {
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
  const dunning: TaskTypeDefinition<DunningPlanParams, DunningPlan> = {
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
