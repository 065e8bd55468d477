import type { FieldError } from '../../../common/problem.js';
import type { JsonSchema, TaskTypeDefinition } from '../../../delegation/task-type.js';
import { array, describes, int, num, object, str } from '../../../delegation/result-schema.js';
import {
  type CustomerRecommendations,
  type ProductRecommendations,
  recommendProducts,
  type RecommendationResult,
} from '../algorithms/association-rules.js';
import { type InventoryResult, optimizeInventory } from '../algorithms/inventory-optimization.js';
import { InventoryOptimizationParams, type PostedOrder, RecommendationParams } from '../dto/analysis.params.js';
import {
  lastOrderDay,
  postedBaskets,
  postedDailySales,
  postedInventoryProducts,
  storedBaskets,
  storedDailySales,
  storedInventoryProducts,
  todayUtc,
} from '../ecommerce-data.js';
import { addDays } from '../algorithms/inventory-optimization.js';

const AI_STRATEGIES = ['single_agent', 'multi_agent', 'crew_workflow'] as const;

const NULLABLE_NUMBER = { type: ['number', 'null'] };

export const INVENTORY_RESULT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['status', 'message', 'as_of', 'window', 'service_level', 'z', 'products', 'summary', 'source'],
  properties: {
    status: { type: 'string', enum: ['ok', 'not_enough_data'] },
    message: { type: 'string' },
    source: { type: 'string', enum: ['stored', 'posted'] },
    as_of: { type: 'string', format: 'date' },
    window: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, days: { type: 'integer' } } },
    service_level: { type: 'number' },
    z: { type: 'number' },
    products: {
      type: 'array',
      items: {
        type: 'object',
        required: ['sku', 'status', 'demand'],
        properties: {
          sku: { type: 'string' },
          product_id: { type: ['string', 'null'] },
          status: { type: 'string', enum: ['ok', 'not_enough_data'] },
          reason: { type: 'string' },
          demand: {
            type: 'object',
            properties: {
              window_days: { type: 'integer' },
              total_units: { type: 'number' },
              demand_days: { type: 'integer' },
              mean_daily: { type: 'number' },
              std_daily: { type: 'number' },
            },
          },
          stock_on_hand: { type: 'integer' },
          lead_time_days: { type: 'integer' },
          lead_time_demand: NULLABLE_NUMBER,
          safety_stock: NULLABLE_NUMBER,
          reorder_point: NULLABLE_NUMBER,
          eoq: NULLABLE_NUMBER,
          days_of_cover: NULLABLE_NUMBER,
          stockout_risk: NULLABLE_NUMBER,
          action: { type: ['string', 'null'], enum: ['reorder_now', 'ok', 'excess_stock', null] },
          order_quantity: { type: ['integer', 'null'] },
          excess_units: { type: ['integer', 'null'] },
        },
      },
    },
    summary: describes<InventoryResult['summary']>()(
      object({
        products: int(),
        analysed: int(),
        not_enough_data: int(),
        reorder_now: int(),
        excess_stock: int(),
        units_to_order: num(),
        high_risk: int(),
      }),
    ),
    unknown_skus: { type: 'array', items: { type: 'string' } },
  },
};

const RULE_SCHEMA = {
  type: 'object',
  properties: {
    antecedent: { type: 'string' },
    consequent: { type: 'string' },
    pair_count: { type: 'integer' },
    support: { type: 'number' },
    confidence: { type: 'number' },
    lift: { type: 'number' },
  },
};

export const RECOMMENDATION_RESULT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['status', 'message', 'basket_count', 'rules', 'by_product', 'by_customer', 'source'],
  properties: {
    status: { type: 'string', enum: ['ok', 'not_enough_data'] },
    message: { type: 'string' },
    source: { type: 'string', enum: ['stored', 'posted'] },
    basket_count: { type: 'integer' },
    multi_item_baskets: { type: 'integer' },
    thresholds: describes<RecommendationResult['thresholds']>()(object({ min_support: num(), min_confidence: num(), top_n: int() })),
    rules: { type: 'array', items: RULE_SCHEMA },
    by_product: array(
      describes<ProductRecommendations>()(
        object({
          sku: str(),
          order_count: int(),
          support: num(),
          recommendations: array(object({ sku: str(), support: num(), confidence: num(), lift: num() })),
        }),
      ),
    ),
    by_customer: array(
      describes<CustomerRecommendations>()(
        object({
          customer_ref: str(),
          purchased: array(str()),
          recommendations: array(object({ sku: str(), confidence: num(), lift: num(), because_of: array(str()) })),
        }),
      ),
    ),
  },
};

function duplicateSkus(skus: string[], field: string): FieldError[] {
  const seen = new Set<string>();
  return skus.flatMap((sku, index) => {
    const duplicate = seen.has(sku);
    seen.add(sku);
    return duplicate ? [{ field: `${field}[${index}].sku`, message: `duplicates SKU ${sku}` }] : [];
  });
}

function emptyOrderLines(orders: PostedOrder[] | undefined): FieldError[] {
  return (orders ?? []).flatMap((order, index) =>
    order.items.length === 0 ? [{ field: `orders[${index}].items`, message: 'must contain at least 1 line' }] : [],
  );
}

function checkInventory(p: InventoryOptimizationParams): FieldError[] {
  const errors: FieldError[] = [];
  if ((p.products === undefined) !== (p.orders === undefined)) {
    errors.push({
      field: p.products ? 'orders' : 'products',
      message: 'give products and orders together, or neither to use the stored data',
    });
  }
  errors.push(
    ...duplicateSkus(
      (p.products ?? []).map((product) => product.sku),
      'products',
    ),
    ...emptyOrderLines(p.orders),
  );
  return errors;
}

export function ecommerceAnalysisTaskTypes(): TaskTypeDefinition[] {
  const inventory: TaskTypeDefinition<InventoryOptimizationParams> = {
    type: 'ecommerce_inventory_optimization',
    domain: 'ecommerce',
    description:
      'Per product from the order history (stored, or posted products + orders): mean and standard deviation of daily demand (days without sales count), safety stock z·σ·√L for the service level, reorder point, EOQ √(2DS/H), days of cover and stock-out risk over the lead time; products with too little history are reported as not enough data.',
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'ecommerce_inventory_specialist',
    parameters: InventoryOptimizationParams,
    resultSchema: INVENTORY_RESULT_SCHEMA,
    check: checkInventory,
    run: async (context, p) => {
      const posted = p.products !== undefined && p.orders !== undefined;
      const asOf = p.as_of ?? (posted ? (lastOrderDay(p.orders as PostedOrder[]) ?? todayUtc()) : todayUtc());
      const windowDays = p.window_days ?? 90;
      const products = posted
        ? postedInventoryProducts(p.products ?? [], p.sku)
        : await storedInventoryProducts(context.manager, context.tenantId, p.sku);
      const sales = posted
        ? postedDailySales(p.orders ?? [])
        : await storedDailySales(context.manager, context.tenantId, addDays(asOf, -(windowDays - 1)), asOf, p.sku);
      const result = optimizeInventory(products, sales, {
        asOf,
        windowDays,
        serviceLevel: p.service_level ?? 0.95,
        minDemandDays: p.min_demand_days ?? 3,
      });
      return { aiMode: 'deterministic', result: { source: posted ? 'posted' : 'stored', ...result } };
    },
  };
  const recommendations: TaskTypeDefinition<RecommendationParams> = {
    type: 'ecommerce_product_recommendations',
    domain: 'ecommerce',
    description:
      'Co-purchase association rules from order baskets (stored, or posted orders): support, confidence and lift of every product pair A→B above min_support/min_confidence; the top recommendations per product and per customer (what goes with what they bought, excluding what they have).',
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'ecommerce_product_specialist',
    parameters: RecommendationParams,
    resultSchema: RECOMMENDATION_RESULT_SCHEMA,
    check: (p) => emptyOrderLines(p.orders),
    run: async (context, p) => {
      const posted = p.orders !== undefined;
      const baskets = posted ? postedBaskets(p.orders ?? []) : await storedBaskets(context.manager, context.tenantId, p.since);
      const result = recommendProducts(baskets, {
        minSupport: p.min_support ?? 0.01,
        minConfidence: p.min_confidence ?? 0.2,
        topN: p.top_n ?? 5,
        sku: p.sku,
        customerRef: p.customer_ref,
        maxCustomers: 100,
      });
      return { aiMode: 'deterministic', result: { source: posted ? 'posted' : 'stored', ...result } };
    },
  };
  return [inventory, recommendations];
}
