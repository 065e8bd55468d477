/** crm_customer_segmentation: posted customers, or the tenant's stored ones, segmented by the algorithms. */
import type { FieldError } from '../../../common/problem.js';
import type { TaskRunContext, TaskTypeDefinition } from '../../../tasks/task-type.js';
import { type SegmentationType, segmentCustomers, validateSegmentationRequest } from '../algorithms/index.js';
import { SegmentationParams } from '../dto/crm-analysis.params.js';
import { AI_STRATEGIES, computed, noStoredData, storedRowErrors } from './analysis.shared.js';
import { loadStoredCustomers } from './crm-stored-data.js';
import { SEGMENTATION_RESULT_SCHEMA, type SegmentationOutcome } from './customer-segmentation.result.js';

export async function segment(context: TaskRunContext, p: SegmentationParams): Promise<SegmentationOutcome> {
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

export function customerSegmentationTaskType(): TaskTypeDefinition<SegmentationParams, SegmentationOutcome> {
  return {
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
}
