import type { Faker } from '@faker-js/faker';
import { InvoiceEntity } from '../domains/billing/entities/invoice.entity.js';
import { PaymentEntity } from '../domains/billing/entities/payment.entity.js';
import { SubscriptionChangeEntity } from '../domains/billing/entities/subscription-change.entity.js';
import { SubscriptionEntity } from '../domains/billing/entities/subscription.entity.js';
import { ContentItemEntity } from '../domains/cms/entities/content-item.entity.js';
import { CustomerEntity } from '../domains/crm/entities/customer.entity.js';
import { DealEntity } from '../domains/crm/entities/deal.entity.js';
import { LeadEntity } from '../domains/crm/entities/lead.entity.js';
import { InventoryMovementEntity } from '../domains/ecommerce/entities/inventory-movement.entity.js';
import { OrderItemEntity } from '../domains/ecommerce/entities/order-item.entity.js';
import { NON_DEMAND_STATUSES, OrderEntity } from '../domains/ecommerce/entities/order.entity.js';
import { ProductEntity } from '../domains/ecommerce/entities/product.entity.js';
import { IntegrationConnectionEntity } from '../domains/integrations/entities/integration-connection.entity.js';
import { SyncRunEntity } from '../domains/integrations/entities/sync-run.entity.js';
import { demoBilling } from './demo-billing.js';
import { demoInventory, demoOrders, demoProducts } from './demo-commerce.js';
import { demoContent } from './demo-content.js';
import { demoCustomers, demoDeals, demoLeads } from './demo-crm.js';
import { DEMO_SEED } from './demo.constants.js';
import { DemoClock } from './demo-ids.js';
import { demoIntegrations } from './demo-integrations.js';

/** One table of the demo data: its entity and its rows, inserted in the order of DEMO_TABLES (parents first). */
export interface DemoTable<E extends object = object> {
  /** The key the loader answers counts under. */
  key: string;
  entity: new () => E;
  rows: E[];
}

/** The demo tables in insert order (referenced rows first). */
export const DEMO_ENTITIES = [
  ['customers', CustomerEntity],
  ['leads', LeadEntity],
  ['deals', DealEntity],
  ['products', ProductEntity],
  ['orders', OrderEntity],
  ['order_items', OrderItemEntity],
  ['inventory_movements', InventoryMovementEntity],
  ['subscriptions', SubscriptionEntity],
  ['subscription_changes', SubscriptionChangeEntity],
  ['invoices', InvoiceEntity],
  ['payments', PaymentEntity],
  ['content_items', ContentItemEntity],
  ['integration_connections', IntegrationConnectionEntity],
  ['sync_runs', SyncRunEntity],
] as const;

export type DemoTableKey = (typeof DEMO_ENTITIES)[number][0];

export interface DemoDataset {
  /** The UTC day the data ends on: its "today". */
  asOf: string;
  tables: DemoTable[];
}

/**
 * The demo tenant's records across the six domains (analytics reads the others), generated from DEMO_SEED: the
 * same rows on every install, with dates counted back from `asOf`. Customers' order frequency, monetary value and
 * payment failures are taken from the orders and payments generated for them.
 */
export function generateDemoDataset(faker: Faker, asOf: string): DemoDataset {
  faker.seed(DEMO_SEED);
  const clock = new DemoClock(asOf);
  const customers = demoCustomers(faker, clock);
  const leads = demoLeads(faker, clock);
  const deals = demoDeals(faker, clock, customers, leads);
  const products = demoProducts(faker, clock);
  const { orders, items } = demoOrders(faker, clock, customers, products);
  const movements = demoInventory(clock, products, orders, items);
  const billing = demoBilling(faker, clock, customers);
  const content = demoContent(faker, clock);
  const integrations = demoIntegrations(faker, clock);

  const rows = customers.map((customer) => customer.row);
  const byRef = new Map(rows.map((row) => [row.externalId, row]));
  for (const order of orders) {
    const customer = byRef.get(order.customerRef);
    if (!customer || NON_DEMAND_STATUSES.includes(order.status)) continue;
    customer.frequency = (customer.frequency ?? 0) + 1;
    // An order is activity too (on the same day as the drawn last activity at the latest: recency holds).
    if (customer.lastActivityAt && order.orderedAt > customer.lastActivityAt) customer.lastActivityAt = order.orderedAt;
    customer.monetary = Math.round(((customer.monetary ?? 0) + order.total) * 100) / 100;
  }
  const invoiceRef = new Map(billing.invoices.map((invoice) => [invoice.id, invoice.customerRef]));
  for (const payment of billing.payments) {
    const customer = payment.status === 'failed' ? byRef.get(invoiceRef.get(payment.invoiceId) ?? '') : undefined;
    if (customer) customer.paymentFailures = (customer.paymentFailures ?? 0) + 1;
  }

  const tableRows: Record<DemoTableKey, object[]> = {
    customers: rows,
    leads,
    deals,
    products,
    orders,
    order_items: items,
    inventory_movements: movements,
    subscriptions: billing.subscriptions,
    subscription_changes: billing.changes,
    invoices: billing.invoices,
    payments: billing.payments,
    content_items: content,
    integration_connections: integrations.connections,
    sync_runs: integrations.syncRuns,
  };
  return { asOf, tables: DEMO_ENTITIES.map(([key, entity]) => ({ key, entity, rows: tableRows[key] })) };
}
