import type { FieldError } from '../../../common/problem.js';
import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
import { array, describes, int, nullable, num, object, str, strOf } from '../../../tasks/result-schema.js';
import {
  type AssociationRule,
  type CustomerRecommendations,
  type ProductRecommendations,
  recommendProducts,
  type RecommendationResult,
} from '../algorithms/association-rules.js';
import { type InventoryProductResult, type InventoryResult, optimizeInventory } from '../algorithms/inventory-optimization.js';
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
} from './ecommerce-data.js';
import { addDays } from '../algorithms/inventory-optimization.js';
import { AI_STRATEGIES } from '../../shared/task-kit.js';

const STATUS = strOf(['ok', 'not_enough_data'] as const);
const SOURCE = strOf(['stored', 'posted'] as const);

/** Where the analysed data came from: the tenant's stored rows, or the rows posted with the task. */
type Sourced<T> = T & { source: 'stored' | 'posted' };
export type InventoryOptimization = Sourced<InventoryResult>;
export type ProductRecommendation = Sourced<RecommendationResult>;

export const INVENTORY_RESULT_SCHEMA = describes<InventoryOptimization>()(
  object(
    {
      status: STATUS,
      message: str(),
      source: SOURCE,
      as_of: str({ format: 'date' }),
      window: object({ from: str(), to: str(), days: int() }, { optional: ['from', 'to', 'days'] }),
      service_level: num(),
      z: num(),
      products: array(
        describes<InventoryProductResult>()(
          object(
            {
              sku: str(),
              product_id: nullable(str()),
              name: nullable(str()),
              status: STATUS,
              reason: str(),
              demand: object(
                { window_days: int(), total_units: num(), demand_days: int(), mean_daily: num(), std_daily: num() },
                { optional: ['window_days', 'total_units', 'demand_days', 'mean_daily', 'std_daily'] },
              ),
              stock_on_hand: int(),
              lead_time_days: int(),
              lead_time_demand: nullable(num()),
              safety_stock: nullable(num()),
              reorder_point: nullable(num()),
              eoq: nullable(num()),
              eoq_note: str(),
              days_of_cover: nullable(num()),
              stockout_risk: nullable(num()),
              action: nullable(strOf(['reorder_now', 'ok', 'excess_stock'] as const)),
              order_quantity: nullable(int()),
              excess_units: nullable(int()),
            },
            {
              optional: [
                'product_id',
                'name',
                'reason',
                'stock_on_hand',
                'lead_time_days',
                'lead_time_demand',
                'safety_stock',
                'reorder_point',
                'eoq',
                'eoq_note',
                'days_of_cover',
                'stockout_risk',
                'action',
                'order_quantity',
                'excess_units',
              ],
            },
          ),
        ),
      ),
      summary: object({
        products: int(),
        analysed: int(),
        not_enough_data: int(),
        reorder_now: int(),
        excess_stock: int(),
        units_to_order: num(),
        high_risk: int(),
      }),
      unknown_skus: array(str()),
    },
    { optional: ['unknown_skus'] },
  ),
);

const RULE_SCHEMA = describes<AssociationRule>()(
  object(
    { antecedent: str(), consequent: str(), pair_count: int(), support: num(), confidence: num(), lift: num() },
    { optional: ['antecedent', 'consequent', 'pair_count', 'support', 'confidence', 'lift'] },
  ),
);

export const RECOMMENDATION_RESULT_SCHEMA = describes<ProductRecommendation>()(
  object(
    {
      status: STATUS,
      message: str(),
      source: SOURCE,
      basket_count: int(),
      multi_item_baskets: int(),
      thresholds: object({ min_support: num(), min_confidence: num(), top_n: int() }),
      rules: array(RULE_SCHEMA),
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
    { optional: ['multi_item_baskets', 'thresholds'] },
  ),
);

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
  const inventory: TaskTypeDefinition<InventoryOptimizationParams, InventoryOptimization> = {
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
  const recommendations: TaskTypeDefinition<RecommendationParams, ProductRecommendation> = {
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
