/** analyze_customer_churn: posted customers, or the tenant's stored ones, ranked by churn risk. */
import type { FieldError } from '../../../common/problem.js';
import type { TaskRunContext, TaskTypeDefinition } from '../../../tasks/task-type.js';
import { analyzeChurn, validateChurnAnalysisRequest } from '../algorithms/index.js';
import { ChurnAnalysisParams } from '../dto/crm-analysis.params.js';
import { AI_STRATEGIES, computed, noStoredData, storedRowErrors } from './analysis.shared.js';
import { CHURN_RESULT_SCHEMA, type ChurnOutcome } from './churn-analysis.result.js';
import { loadStoredChurnCustomers } from './crm-stored-data.js';

export async function churn(context: TaskRunContext, p: ChurnAnalysisParams): Promise<ChurnOutcome> {
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

export function churnAnalysisTaskType(): TaskTypeDefinition<ChurnAnalysisParams, ChurnOutcome> {
  return {
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
}
