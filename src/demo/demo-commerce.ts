import type { Faker } from '@faker-js/faker';
import type { InventoryMovementEntity } from '../domains/ecommerce/entities/inventory-movement.entity.js';
import type { OrderItemEntity } from '../domains/ecommerce/entities/order-item.entity.js';
import type { OrderEntity, OrderStatus } from '../domains/ecommerce/entities/order.entity.js';
import type { ProductEntity } from '../domains/ecommerce/entities/product.entity.js';
import { ARCHETYPES, type DemoCustomer } from './demo-crm.js';
import { DEMO_TENANT } from './demo.constants.js';
import { type DemoClock, demoRef, demoUuid } from './demo-ids.js';

export const DEMO_PRODUCTS = 40;
export const DEMO_ORDERS = 600;
/** Days of order history. */
export const ORDER_DAYS = 90;
const DAY_MS = 86_400_000;

const CATEGORIES = ['HOME', 'KITCHEN', 'OUTDOOR', 'OFFICE', 'FITNESS'];

/** Products sold together often (indexes into the product list): the co-purchase rules recommendations find. */
const BUNDLES: readonly (readonly number[])[] = [
  [0, 1],
  [2, 3, 4],
  [5, 6],
  [7, 8],
  [10, 11],
];

/** 40 products over five categories, priced x.99, with lead times and the costs inventory optimization needs. */
export function demoProducts(faker: Faker, clock: DemoClock): ProductEntity[] {
  return Array.from({ length: DEMO_PRODUCTS }, (_, index): ProductEntity => {
    const price = faker.number.int({ min: 9, max: 249 }) - 0.01;
    return {
      id: demoUuid('product', index + 1),
      tenantId: DEMO_TENANT,
      externalId: demoRef('prod', index + 1),
      sku: `${CATEGORIES[index % CATEGORIES.length]}-${101 + index}`,
      name: faker.commerce.productName(),
      price,
      cost: Math.round(price * faker.number.float({ min: 0.4, max: 0.6 }) * 100) / 100,
      stockOnHand: 0,
      leadTimeDays: faker.number.int({ min: 3, max: 21 }),
      orderingCost: faker.number.int({ min: 20, max: 120 }),
      holdingCostRate: faker.number.float({ min: 0.18, max: 0.3, fractionDigits: 2 }),
      active: true,
      createdAt: clock.ago(ORDER_DAYS + 30),
      updatedAt: clock.ago(ORDER_DAYS + 30),
    };
  });
}

export interface DemoOrders {
  orders: OrderEntity[];
  items: OrderItemEntity[];
}

/** A lower-ranked product sells less (Zipf-like popularity). */
const popularity = (index: number): number => 1 / (index + 1) ** 0.8;

/** The day an order of a customer falls on: after the customer's first 90 days back, before its last activity, more recent days likelier (the shop grows). */
function orderDay(faker: Faker, recency: number): number {
  const days = Array.from({ length: ORDER_DAYS - recency }, (_, i) => recency + i);
  return faker.helpers.weightedArrayElement(days.map((day) => ({ value: day, weight: 1 + (0.6 * (ORDER_DAYS - day)) / ORDER_DAYS })));
}

function statusOf(faker: Faker, daysAgo: number): OrderStatus {
  if (faker.datatype.boolean({ probability: 0.03 })) return 'cancelled';
  if (daysAgo >= 7 && faker.datatype.boolean({ probability: 0.02 })) return 'refunded';
  if (daysAgo <= 1) return faker.datatype.boolean({ probability: 0.3 }) ? 'pending' : 'paid';
  return daysAgo <= 6 ? 'shipped' : 'delivered';
}

/**
 * 600 orders over the last 90 days by the customers that order (more from champions, none from hibernating
 * ones, none after a customer's last activity), one to four lines each; a third are one of the bundles.
 * Numbered in time order.
 */
export function demoOrders(faker: Faker, clock: DemoClock, customers: DemoCustomer[], products: ProductEntity[]): DemoOrders {
  const buyers = customers
    .filter((c) => ARCHETYPES[c.archetype].orderWeight > 0 && (c.row.recencyDays ?? 0) < ORDER_DAYS)
    .map((c) => ({ value: c.row, weight: ARCHETYPES[c.archetype].orderWeight * faker.number.float({ min: 0.5, max: 1.5 }) }));
  const weighted = products.map((product, index) => ({ value: index, weight: popularity(index) }));
  const drafts = Array.from({ length: DEMO_ORDERS }, () => {
    const customer = faker.helpers.weightedArrayElement(buyers);
    const daysAgo = orderDay(faker, customer.recencyDays ?? 0);
    const lines = new Set<number>();
    if (faker.datatype.boolean({ probability: 0.33 })) faker.helpers.arrayElement(BUNDLES).forEach((index) => lines.add(index));
    const extra = lines.size > 0 ? faker.number.int({ min: 0, max: 1 }) : faker.number.int({ min: 1, max: 3 });
    for (let i = 0; i < extra; i++) lines.add(faker.helpers.weightedArrayElement(weighted));
    return {
      customerRef: customer.externalId ?? customer.id,
      orderedAt: clock.ago(daysAgo, faker.number.int({ min: 1, max: 1439 })),
      status: statusOf(faker, daysAgo),
      lines: [...lines].map((index) => ({
        product: products[index],
        quantity: faker.helpers.weightedArrayElement([
          { value: 1, weight: 70 },
          { value: 2, weight: 20 },
          { value: 3, weight: 10 },
        ]),
      })),
    };
  });
  drafts.sort((a, b) => a.orderedAt.getTime() - b.orderedAt.getTime());
  const orders: OrderEntity[] = [];
  const items: OrderItemEntity[] = [];
  drafts.forEach((draft, index) => {
    const id = demoUuid('order', index + 1);
    draft.lines.forEach((line, lineIndex) =>
      items.push({
        id: demoUuid('order-item', items.length + 1),
        tenantId: DEMO_TENANT,
        orderId: id,
        lineNo: lineIndex + 1,
        productId: line.product.id,
        quantity: line.quantity,
        unitPrice: line.product.price,
        createdAt: draft.orderedAt,
      }),
    );
    const total = draft.lines.reduce((sum, line) => sum + Math.round(line.quantity * line.product.price * 100), 0) / 100;
    orders.push({
      id,
      tenantId: DEMO_TENANT,
      externalId: demoRef('ord', 1001 + index, 4),
      customerRef: draft.customerRef,
      orderedAt: draft.orderedAt,
      status: draft.status,
      total,
      createdAt: draft.orderedAt,
      updatedAt: draft.orderedAt,
    });
  });
  return { orders, items };
}

interface StockEvent {
  at: Date;
  change: number;
  reason: 'sale' | 'return';
  orderId: string;
}

/**
 * The inventory ledger: an opening receipt before the history starts, a sale per order line, a return three days
 * after a refunded order, and a replenishment (a month of demand) arriving a lead time after stock fell to two
 * weeks' cover beyond the lead time. Each product's stock on hand is where its ledger ends; it never goes below
 * zero (an expedited receipt covers a sale the stock could not).
 */
export function demoInventory(
  clock: DemoClock,
  products: ProductEntity[],
  orders: OrderEntity[],
  items: OrderItemEntity[],
): InventoryMovementEntity[] {
  const orderById = new Map(orders.map((order) => [order.id, order]));
  const movements: InventoryMovementEntity[] = [];
  const add = (
    product: ProductEntity,
    at: Date,
    change: number,
    reason: InventoryMovementEntity['reason'],
    orderId: string | null,
    note: string | null,
  ): void => {
    product.stockOnHand += change;
    product.updatedAt = at;
    movements.push({
      id: demoUuid('inventory-movement', movements.length + 1),
      tenantId: DEMO_TENANT,
      productId: product.id,
      orderId,
      quantityChange: change,
      reason,
      stockAfter: product.stockOnHand,
      note,
      createdAt: at,
    });
  };
  for (const product of products) {
    const events: StockEvent[] = [];
    for (const item of items.filter((line) => line.productId === product.id)) {
      const order = orderById.get(item.orderId) as OrderEntity;
      if (order.status === 'cancelled') continue;
      events.push({ at: order.orderedAt, change: -item.quantity, reason: 'sale', orderId: order.id });
      const returnedAt = new Date(order.orderedAt.getTime() + 3 * DAY_MS);
      if (order.status === 'refunded' && returnedAt < clock.end)
        events.push({ at: returnedAt, change: item.quantity, reason: 'return', orderId: order.id });
    }
    events.sort((a, b) => a.at.getTime() - b.at.getTime());
    const daily = Math.max(0.2, events.filter((e) => e.reason === 'sale').reduce((sum, e) => sum - e.change, 0) / ORDER_DAYS);
    const batch = Math.max(5, Math.ceil(daily * 30));
    const reorderAt = Math.ceil(daily * (product.leadTimeDays + 14));
    product.stockOnHand = 0;
    add(product, clock.ago(ORDER_DAYS + 1), batch + reorderAt, 'receipt', null, 'opening stock');
    let arriving: Date | null = null;
    const receiveDue = (until: Date): void => {
      if (arriving !== null && arriving <= until) {
        add(product, arriving, batch, 'receipt', null, 'replenishment');
        arriving = null;
      }
    };
    for (const event of events) {
      receiveDue(event.at);
      if (product.stockOnHand + event.change < 0) add(product, event.at, batch, 'receipt', null, 'expedited replenishment');
      add(product, event.at, event.change, event.reason, event.orderId, null);
      if (arriving === null && product.stockOnHand <= reorderAt) arriving = new Date(event.at.getTime() + product.leadTimeDays * DAY_MS);
    }
    receiveDue(new Date(clock.end.getTime() - 1));
  }
  return movements;
}
