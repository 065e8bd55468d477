import { type EntityManager, In } from 'typeorm';
import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
import { OrderItemEntity } from '../entities/order-item.entity.js';
import { OrderEntity, type OrderStatus } from '../entities/order.entity.js';
import { ProductEntity } from '../entities/product.entity.js';
import { moveStock } from '../task-types/product.task-types.js';
import { SYNC_RESULT_SCHEMA, type SyncResult } from '../../shared/task-kit.js';
import type { EcommerceSyncConfig } from '../ecommerce.config.js';
import { type UpstreamOrder, UpstreamOrdersPayload, type UpstreamProduct, UpstreamProductsPayload } from './ecommerce-sync.payload.js';
import { SyncParams } from '../../shared/dto/sync.params.js';
import { checkSyncUrl } from '../../shared/upstream-fetch.js';
import { duplicateIds, fetchPayload, malformed, type SyncSource, syncUrl } from '../../shared/upstream-sync.js';

const cents = (value: number): number => Math.round(value * 100) / 100;

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

function productFields(product: UpstreamProduct) {
  return {
    sku: product.sku,
    name: product.name,
    price: product.price,
    cost: product.cost ?? null,
    ...(product.lead_time_days !== undefined ? { leadTimeDays: product.lead_time_days } : {}),
    ...(product.ordering_cost !== undefined ? { orderingCost: product.ordering_cost } : {}),
    ...(product.holding_cost_rate !== undefined ? { holdingCostRate: product.holding_cost_rate } : {}),
    ...(product.active !== undefined ? { active: product.active } : {}),
  };
}

const sameFields = (row: ProductEntity, fields: ReturnType<typeof productFields>): boolean =>
  Object.entries(fields).every(([key, value]) => (row as unknown as Record<string, unknown>)[key] === value);

/**
 * Upserts the products by upstream id; a local product with the same SKU and no upstream id is adopted.
 * A stock level from upstream is applied as an adjustment in the inventory ledger.
 */
async function upsertProducts(
  m: EntityManager,
  tenantId: string,
  products: UpstreamProduct[],
  url: string,
  attempts: number,
): Promise<Counts> {
  const repository = m.getRepository(ProductEntity);
  const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
  if (products.length === 0) return counts;
  const existing = await repository.find({
    where: [
      { tenantId, externalId: In(products.map((p) => p.id)) },
      { tenantId, sku: In(products.map((p) => p.sku)) },
    ],
  });
  for (const [index, product] of products.entries()) {
    const byId = existing.find((row) => row.externalId === product.id);
    const bySku = existing.find((row) => row.sku === product.sku);
    // A SKU may move to this upstream product only from a local product that has no upstream id yet.
    if (bySku && bySku !== byId && (byId !== undefined || bySku.externalId !== null)) {
      const owner = bySku.externalId === null ? `local product ${bySku.id}` : `upstream product ${bySku.externalId}`;
      throw malformed(url, [{ field: `products[${index}].sku`, message: `${product.sku} already belongs to ${owner}` }], attempts);
    }
    const target = byId ?? bySku;
    const fields = productFields(product);
    let row: ProductEntity;
    if (target) {
      const changed = !sameFields(target, fields) || target.externalId !== product.id;
      if (changed) await repository.update({ tenantId, id: target.id }, { ...fields, externalId: product.id, updatedAt: new Date() });
      row = target;
      counts[changed || (product.stock_on_hand !== undefined && product.stock_on_hand !== target.stockOnHand) ? 'updated' : 'unchanged'] +=
        1;
    } else {
      row = await repository.save({ tenantId, externalId: product.id, stockOnHand: 0, ...fields });
      counts.created += 1;
    }
    const stock = target?.stockOnHand ?? 0;
    if (product.stock_on_hand !== undefined && product.stock_on_hand !== stock) {
      await moveStock(m, tenantId, row, product.stock_on_hand - stock, target ? 'adjustment' : 'receipt', { note: `synced from ${url}` });
    }
  }
  return counts;
}

const sameLines = (items: OrderItemEntity[], order: UpstreamOrder, productIds: Map<string, string>): boolean =>
  items.length === order.items.length &&
  [...items]
    .sort((a, b) => a.lineNo - b.lineNo)
    .every(
      (item, index) =>
        item.productId === productIds.get(order.items[index].sku) &&
        item.quantity === order.items[index].quantity &&
        item.unitPrice === order.items[index].unit_price,
    );

/**
 * Upserts the orders by upstream id and replaces their lines. Every SKU must be a product of the tenant
 * (sync products first). Imported orders are history: stock is not touched.
 */
async function upsertOrders(m: EntityManager, tenantId: string, orders: UpstreamOrder[], url: string, attempts: number): Promise<Counts> {
  const skus = [...new Set(orders.flatMap((order) => order.items.map((item) => item.sku)))];
  const products = skus.length ? await m.getRepository(ProductEntity).findBy({ tenantId, sku: In(skus) }) : [];
  const productIds = new Map(products.map((p) => [p.sku, p.id]));
  const unknown = orders.flatMap((order, o) =>
    order.items.flatMap((item, i) =>
      productIds.has(item.sku)
        ? []
        : [{ field: `orders[${o}].items[${i}].sku`, message: `${item.sku} is not a product of this tenant (sync products first)` }],
    ),
  );
  if (unknown.length > 0) throw malformed(url, unknown, attempts);
  const existing = orders.length ? await m.getRepository(OrderEntity).findBy({ tenantId, externalId: In(orders.map((o) => o.id)) }) : [];
  const existingItems = existing.length
    ? await m.getRepository(OrderItemEntity).findBy({ tenantId, orderId: In(existing.map((o) => o.id)) })
    : [];
  const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
  for (const order of orders) {
    const fields = {
      customerRef: order.customer_ref,
      orderedAt: new Date(order.ordered_at),
      status: order.status as OrderStatus,
      total: cents(order.items.reduce((sum, item) => sum + item.quantity * item.unit_price, 0)),
    };
    const current = existing.find((row) => row.externalId === order.id);
    let orderId: string;
    if (current) {
      const items = existingItems.filter((item) => item.orderId === current.id);
      const same =
        current.customerRef === fields.customerRef &&
        current.orderedAt.getTime() === fields.orderedAt.getTime() &&
        current.status === fields.status &&
        current.total === fields.total &&
        sameLines(items, order, productIds);
      if (same) {
        counts.unchanged += 1;
        continue;
      }
      await m.getRepository(OrderEntity).update({ tenantId, id: current.id }, { ...fields, updatedAt: new Date() });
      await m.getRepository(OrderItemEntity).delete({ tenantId, orderId: current.id });
      orderId = current.id;
      counts.updated += 1;
    } else {
      orderId = (await m.getRepository(OrderEntity).save({ tenantId, externalId: order.id, ...fields })).id;
      counts.created += 1;
    }
    await m.getRepository(OrderItemEntity).insert(
      order.items.map((item, index) => ({
        tenantId,
        orderId,
        lineNo: index + 1,
        productId: productIds.get(item.sku) as string,
        quantity: item.quantity,
        unitPrice: item.unit_price,
      })),
    );
  }
  return counts;
}

export function ecommerceSyncTaskTypes(config: EcommerceSyncConfig, allowPrivate: boolean): TaskTypeDefinition[] {
  const source: SyncSource = { allowPrivate, token: config.token };
  const products: TaskTypeDefinition<SyncParams, SyncResult> = {
    type: 'sync_products',
    effect: 'update',
    domain: 'ecommerce',
    description:
      'Imports products from the shop upstream (source_url or ECOMMERCE_PRODUCTS_URL answering {"products": [...]}): the whole payload is validated first, then upserted by upstream id in one transaction; stock levels go through the inventory ledger.',
    complexity: 'simple',
    strategy: 'direct_api',
    requiresAi: false,
    parameters: SyncParams,
    resultSchema: SYNC_RESULT_SCHEMA,
    check: (p) => checkSyncUrl(syncUrl(p.source_url, config.productsUrl), 'ECOMMERCE_PRODUCTS_URL', allowPrivate),
    run: async (context, p) => {
      const url = syncUrl(p.source_url, config.productsUrl) as string;
      const { payload, attempts } = await fetchPayload(UpstreamProductsPayload, 'products', url, p, source, context.signal);
      const duplicates = [
        ...duplicateIds(
          payload.products.map((product) => product.id),
          'products',
        ),
        ...duplicateIds(
          payload.products.map((product) => product.sku),
          'products',
          'sku',
        ),
      ];
      if (duplicates.length > 0) throw malformed(url, duplicates, attempts);
      const counts = await context.write((m) => upsertProducts(m, context.tenantId, payload.products, url, attempts));
      return {
        aiMode: 'deterministic',
        result: { status: 'completed', source_url: url, attempts, received: payload.products.length, ...counts },
      };
    },
  };
  const orders: TaskTypeDefinition<SyncParams, SyncResult> = {
    type: 'sync_ecommerce_orders',
    effect: 'update',
    domain: 'ecommerce',
    description:
      'Imports orders with their lines from the shop upstream (source_url or ECOMMERCE_ORDERS_URL answering {"orders": [...]}): the whole payload is validated first (every SKU must be a product), then upserted by upstream id in one transaction.',
    complexity: 'simple',
    strategy: 'direct_api',
    requiresAi: false,
    parameters: SyncParams,
    resultSchema: SYNC_RESULT_SCHEMA,
    check: (p) => checkSyncUrl(syncUrl(p.source_url, config.ordersUrl), 'ECOMMERCE_ORDERS_URL', allowPrivate),
    run: async (context, p) => {
      const url = syncUrl(p.source_url, config.ordersUrl) as string;
      const { payload, attempts } = await fetchPayload(UpstreamOrdersPayload, 'orders', url, p, source, context.signal);
      const duplicates = duplicateIds(
        payload.orders.map((order) => order.id),
        'orders',
      );
      if (duplicates.length > 0) throw malformed(url, duplicates, attempts);
      const counts = await context.write((m) => upsertOrders(m, context.tenantId, payload.orders, url, attempts));
      return {
        aiMode: 'deterministic',
        result: { status: 'completed', source_url: url, attempts, received: payload.orders.length, ...counts },
      };
    },
  };
  return [products, orders];
}
