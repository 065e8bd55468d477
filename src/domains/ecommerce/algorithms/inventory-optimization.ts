import { inverseNormalCdf, normalCdf } from './normal-distribution.js';

export interface InventoryProduct {
  sku: string;
  productId: string | null;
  name: string | null;
  stockOnHand: number;
  leadTimeDays: number;
  /** Unit cost; the price when the cost is unknown. null → no EOQ. */
  unitCost: number | null;
  /** Cost of placing one order (S). */
  orderingCost: number;
  /** Annual holding cost as a fraction of the unit cost (H = rate × unit cost). */
  holdingCostRate: number;
}

/** Units of one product sold on one UTC day (YYYY-MM-DD). */
export interface DailySale {
  sku: string;
  day: string;
  quantity: number;
}

export interface InventoryOptions {
  /** Last day of the demand window (YYYY-MM-DD, inclusive). */
  asOf: string;
  windowDays: number;
  /** Probability of no stock-out during a lead time, 0.5–0.9999. */
  serviceLevel: number;
  /** Fewer days with sales than this in the window → not enough data. */
  minDemandDays: number;
}

export type InventoryAction = 'reorder_now' | 'ok' | 'excess_stock';

export interface InventoryDemand {
  window_days: number;
  total_units: number;
  demand_days: number;
  mean_daily: number;
  std_daily: number;
}

export interface InventoryProductResult {
  sku: string;
  product_id: string | null;
  name: string | null;
  status: 'ok' | 'not_enough_data';
  reason?: string;
  demand: InventoryDemand;
  stock_on_hand: number;
  lead_time_days: number;
  lead_time_demand: number | null;
  safety_stock: number | null;
  reorder_point: number | null;
  eoq: number | null;
  eoq_note?: string;
  days_of_cover: number | null;
  stockout_risk: number | null;
  action: InventoryAction | null;
  order_quantity: number | null;
  excess_units: number | null;
}

export interface InventoryResult {
  status: 'ok' | 'not_enough_data';
  message: string;
  as_of: string;
  window: { from: string; to: string; days: number };
  service_level: number;
  z: number;
  products: InventoryProductResult[];
  summary: {
    products: number;
    analysed: number;
    not_enough_data: number;
    reorder_now: number;
    excess_stock: number;
    units_to_order: number;
    high_risk: number;
  };
  /** SKUs that appear in sales but not among the products. */
  unknown_skus: string[];
}

const DAY_MS = 86_400_000;
const DAYS_PER_YEAR = 365;
/** Stock-out risk at or above this counts as high in the summary. */
export const HIGH_RISK = 0.2;

const round = (value: number, digits: number): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Mean and sample standard deviation (n − 1) of the daily demand, zero-demand days included. */
export function demandStatistics(quantities: number[]): { mean: number; std: number } {
  const n = quantities.length;
  if (n === 0) return { mean: 0, std: 0 };
  const mean = quantities.reduce((sum, q) => sum + q, 0) / n;
  if (n === 1) return { mean, std: 0 };
  const squares = quantities.reduce((sum, q) => sum + (q - mean) ** 2, 0);
  return { mean, std: Math.sqrt(squares / (n - 1)) };
}

/** P(demand over the lead time > stock) when that demand is Normal(μL, σ√L). */
export function stockoutRisk(stock: number, leadTimeMean: number, leadTimeStd: number): number {
  if (leadTimeStd === 0) return stock < leadTimeMean ? 1 : 0;
  return 1 - normalCdf((stock - leadTimeMean) / leadTimeStd);
}

/** Economic order quantity √(2DS/H); undefined when a cost is missing or zero. */
export function economicOrderQuantity(annualDemand: number, orderingCost: number, holdingCostPerUnit: number): number | undefined {
  if (annualDemand <= 0 || orderingCost <= 0 || holdingCostPerUnit <= 0) return undefined;
  return Math.sqrt((2 * annualDemand * orderingCost) / holdingCostPerUnit);
}

function eoqNote(product: InventoryProduct): string | undefined {
  if (product.unitCost === null) return 'no unit cost: EOQ needs the holding cost (holding_cost_rate × cost)';
  if (product.unitCost <= 0 || product.holdingCostRate <= 0) return 'holding cost is 0: EOQ is unbounded';
  if (product.orderingCost <= 0) return 'ordering_cost is 0: order what the reorder point needs';
  return undefined;
}

function analyseProduct(product: InventoryProduct, series: number[], z: number, options: InventoryOptions): InventoryProductResult {
  const total = series.reduce((sum, q) => sum + q, 0);
  const demandDays = series.filter((q) => q > 0).length;
  const { mean, std } = demandStatistics(series);
  const demand: InventoryDemand = {
    window_days: series.length,
    total_units: total,
    demand_days: demandDays,
    mean_daily: round(mean, 4),
    std_daily: round(std, 4),
  };
  const base = {
    sku: product.sku,
    product_id: product.productId,
    name: product.name,
    demand,
    stock_on_hand: product.stockOnHand,
    lead_time_days: product.leadTimeDays,
  };
  if (demandDays < options.minDemandDays) {
    return {
      ...base,
      status: 'not_enough_data',
      reason: `${demandDays} day(s) with sales in the ${options.windowDays}-day window; at least ${options.minDemandDays} needed`,
      lead_time_demand: null,
      safety_stock: null,
      reorder_point: null,
      eoq: null,
      days_of_cover: null,
      stockout_risk: null,
      action: null,
      order_quantity: null,
      excess_units: null,
    };
  }
  const lead = product.leadTimeDays;
  const leadTimeDemand = mean * lead;
  const leadTimeStd = std * Math.sqrt(lead);
  const safetyStock = z * leadTimeStd;
  const reorderPoint = leadTimeDemand + safetyStock;
  const holding = product.unitCost === null ? 0 : product.holdingCostRate * product.unitCost;
  const eoq = economicOrderQuantity(mean * DAYS_PER_YEAR, product.orderingCost, holding);
  const note = eoq === undefined ? eoqNote(product) : undefined;
  const stock = product.stockOnHand;
  let action: InventoryAction = 'ok';
  let orderQuantity = 0;
  let excess = 0;
  if (stock <= reorderPoint) {
    action = 'reorder_now';
    // At least one EOQ, and enough to be back above the reorder point.
    orderQuantity = Math.ceil(Math.max(eoq ?? 0, reorderPoint - stock));
  } else if (eoq !== undefined && stock > reorderPoint + eoq) {
    // Above the highest level an (s, Q) policy ever reaches.
    action = 'excess_stock';
    excess = Math.floor(stock - (reorderPoint + eoq));
  }
  return {
    ...base,
    status: 'ok',
    lead_time_demand: round(leadTimeDemand, 2),
    safety_stock: round(safetyStock, 2),
    reorder_point: round(reorderPoint, 2),
    eoq: eoq === undefined ? null : round(eoq, 2),
    ...(note ? { eoq_note: note } : {}),
    days_of_cover: round(stock / mean, 1),
    stockout_risk: round(stockoutRisk(stock, leadTimeDemand, leadTimeStd), 4),
    action,
    order_quantity: orderQuantity,
    excess_units: excess,
  };
}

/**
 * Per product: mean and standard deviation of daily demand over the window (days without sales count as
 * zero), safety stock z·σ·√L, reorder point μ·L + SS, EOQ √(2DS/H) with D = 365·μ, days of cover, and the
 * probability that lead-time demand exceeds the stock on hand under a normal model.
 */
export function optimizeInventory(products: InventoryProduct[], sales: DailySale[], options: InventoryOptions): InventoryResult {
  const from = addDays(options.asOf, -(options.windowDays - 1));
  const z = inverseNormalCdf(options.serviceLevel);
  const known = new Set(products.map((p) => p.sku));
  const bySku = new Map<string, Map<string, number>>();
  const unknown = new Set<string>();
  for (const sale of sales) {
    if (sale.day < from || sale.day > options.asOf) continue;
    if (!known.has(sale.sku)) {
      unknown.add(sale.sku);
      continue;
    }
    const days = bySku.get(sale.sku) ?? new Map<string, number>();
    days.set(sale.day, (days.get(sale.day) ?? 0) + sale.quantity);
    bySku.set(sale.sku, days);
  }
  const calendar = Array.from({ length: options.windowDays }, (_, i) => addDays(from, i));
  const results = [...products]
    .sort((a, b) => a.sku.localeCompare(b.sku))
    .map((product) => {
      const days = bySku.get(product.sku);
      return analyseProduct(
        product,
        calendar.map((day) => days?.get(day) ?? 0),
        z,
        options,
      );
    });
  const analysed = results.filter((r) => r.status === 'ok');
  const status = analysed.length > 0 ? 'ok' : 'not_enough_data';
  return {
    status,
    message:
      status === 'ok'
        ? `${analysed.length} of ${results.length} product(s) analysed over ${options.windowDays} days ending ${options.asOf}`
        : products.length === 0
          ? 'Not enough data: there are no products to analyse'
          : `Not enough data: no product has at least ${options.minDemandDays} day(s) with sales in the ${options.windowDays} days ending ${options.asOf}`,
    as_of: options.asOf,
    window: { from, to: options.asOf, days: options.windowDays },
    service_level: options.serviceLevel,
    z: round(z, 6),
    products: results,
    summary: {
      products: results.length,
      analysed: analysed.length,
      not_enough_data: results.length - analysed.length,
      reorder_now: analysed.filter((r) => r.action === 'reorder_now').length,
      excess_stock: analysed.filter((r) => r.action === 'excess_stock').length,
      units_to_order: analysed.reduce((sum, r) => sum + (r.order_quantity ?? 0), 0),
      high_risk: analysed.filter((r) => (r.stockout_risk ?? 0) >= HIGH_RISK).length,
    },
    unknown_skus: [...unknown].sort(),
  };
}
