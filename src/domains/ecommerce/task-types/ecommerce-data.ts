import type { EntityManager } from 'typeorm';
import type { Basket } from '../algorithms/association-rules.js';
import { addDays, type DailySale, type InventoryProduct } from '../algorithms/inventory-optimization.js';
import type { PostedOrder, PostedProduct } from '../dto/analysis.params.js';
import { NON_DEMAND_STATUSES, type OrderStatus } from '../entities/order.entity.js';
import { ProductEntity } from '../entities/product.entity.js';

/** Most recent stored orders read for recommendations. */
export const MAX_BASKETS = 50_000;

const utcDay = (instant: string | Date): string => new Date(instant).toISOString().slice(0, 10);
const isDemand = (status: string | undefined): boolean => !NON_DEMAND_STATUSES.includes((status ?? 'paid') as OrderStatus);

export async function storedInventoryProducts(manager: EntityManager, tenantId: string, sku?: string): Promise<InventoryProduct[]> {
  const products = await manager.getRepository(ProductEntity).find({
    where: { tenantId, active: true, ...(sku ? { sku } : {}) },
    order: { sku: 'ASC' },
  });
  return products.map((p) => ({
    sku: p.sku,
    productId: p.id,
    name: p.name,
    stockOnHand: p.stockOnHand,
    leadTimeDays: p.leadTimeDays,
    unitCost: p.cost ?? p.price,
    orderingCost: p.orderingCost,
    holdingCostRate: p.holdingCostRate,
  }));
}

/** Units sold per SKU and UTC day from `from` to `to` (inclusive days), cancelled and refunded orders left out. */
export async function storedDailySales(
  manager: EntityManager,
  tenantId: string,
  from: string,
  to: string,
  sku?: string,
): Promise<DailySale[]> {
  const rows = await manager.query<{ sku: string; day: string; quantity: string }[]>(
    `SELECT p.sku, to_char(o.ordered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, SUM(i.quantity)::bigint AS quantity
       FROM order_items i
       JOIN orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
       JOIN products p ON p.tenant_id = i.tenant_id AND p.id = i.product_id
      WHERE i.tenant_id = $1
        AND o.status NOT IN ('cancelled', 'refunded')
        AND o.ordered_at >= $2 AND o.ordered_at < $3
        AND ($4::varchar IS NULL OR p.sku = $4)
      GROUP BY 1, 2`,
    [tenantId, new Date(`${from}T00:00:00Z`), new Date(`${addDays(to, 1)}T00:00:00Z`), sku ?? null],
  );
  return rows.map((row) => ({ sku: row.sku, day: row.day, quantity: Number(row.quantity) }));
}

export async function storedBaskets(manager: EntityManager, tenantId: string, since?: string): Promise<Basket[]> {
  // SKUs cannot contain commas (SKU_PATTERN), so a comma-joined list is unambiguous.
  const rows = await manager.query<{ order_ref: string; customer_ref: string; skus: string }[]>(
    `SELECT o.id AS order_ref, o.customer_ref, string_agg(DISTINCT p.sku, ',') AS skus
       FROM orders o
       JOIN order_items i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
       JOIN products p ON p.tenant_id = i.tenant_id AND p.id = i.product_id
      WHERE o.tenant_id = $1
        AND o.status NOT IN ('cancelled', 'refunded')
        AND ($2::timestamptz IS NULL OR o.ordered_at >= $2)
      GROUP BY o.id, o.customer_ref, o.ordered_at
      ORDER BY o.ordered_at DESC, o.id DESC
      LIMIT ${MAX_BASKETS}`,
    [tenantId, since ? new Date(since) : null],
  );
  return rows.map((row) => ({ orderRef: row.order_ref, customerRef: row.customer_ref, skus: row.skus.split(',') }));
}

export function postedInventoryProducts(products: PostedProduct[], sku?: string): InventoryProduct[] {
  return products
    .filter((p) => sku === undefined || p.sku === sku)
    .map((p) => ({
      sku: p.sku,
      productId: null,
      name: p.name ?? null,
      stockOnHand: p.stock_on_hand,
      leadTimeDays: p.lead_time_days,
      unitCost: p.unit_cost ?? null,
      orderingCost: p.ordering_cost ?? 0,
      holdingCostRate: p.holding_cost_rate ?? 0.25,
    }));
}

export function postedDailySales(orders: PostedOrder[]): DailySale[] {
  const byKey = new Map<string, DailySale>();
  for (const order of orders) {
    if (!isDemand(order.status)) continue;
    const day = utcDay(order.ordered_at);
    for (const item of order.items) {
      const key = `${item.sku}\u0000${day}`;
      const sale = byKey.get(key) ?? { sku: item.sku, day, quantity: 0 };
      sale.quantity += item.quantity;
      byKey.set(key, sale);
    }
  }
  return [...byKey.values()];
}

/** The UTC day of the latest posted order (the default end of the window for posted history). */
export function lastOrderDay(orders: PostedOrder[]): string | undefined {
  let latest: number | undefined;
  for (const order of orders) {
    const at = Date.parse(order.ordered_at);
    if (latest === undefined || at > latest) latest = at;
  }
  return latest === undefined ? undefined : utcDay(new Date(latest));
}

export function postedBaskets(orders: PostedOrder[]): Basket[] {
  return orders
    .filter((order) => isDemand(order.status))
    .map((order, index) => ({
      orderRef: order.order_id ?? `#${index + 1}`,
      customerRef: order.customer_ref ?? null,
      skus: [...new Set(order.items.map((item) => item.sku))],
    }));
}

export const todayUtc = (): string => new Date().toISOString().slice(0, 10);
