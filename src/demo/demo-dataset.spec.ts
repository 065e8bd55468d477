import { faker } from '@faker-js/faker/locale/en';
import { describe, expect, it } from 'vitest';
import type { InvoiceEntity } from '../domains/billing/entities/invoice.entity.js';
import type { PaymentEntity } from '../domains/billing/entities/payment.entity.js';
import type { SubscriptionEntity } from '../domains/billing/entities/subscription.entity.js';
import type { CustomerEntity } from '../domains/crm/entities/customer.entity.js';
import type { DealEntity } from '../domains/crm/entities/deal.entity.js';
import type { InventoryMovementEntity } from '../domains/ecommerce/entities/inventory-movement.entity.js';
import type { OrderItemEntity } from '../domains/ecommerce/entities/order-item.entity.js';
import type { OrderEntity } from '../domains/ecommerce/entities/order.entity.js';
import type { ProductEntity } from '../domains/ecommerce/entities/product.entity.js';
import { type DemoDataset, type DemoTableKey, generateDemoDataset } from './demo-dataset.js';
import { demoUuid } from './demo-ids.js';

const AS_OF = '2026-12-07';
const END = Date.parse(`${AS_OF}T00:00:00Z`);
const DAY_MS = 86_400_000;

function rowsOf<T>(dataset: DemoDataset, key: DemoTableKey): T[] {
  return dataset.tables.find((table) => table.key === key)?.rows as T[];
}

/** Every Date field of a row, by name. */
const datesOf = (row: object): [string, Date][] => Object.entries(row).filter((entry): entry is [string, Date] => entry[1] instanceof Date);

describe('the demo dataset', () => {
  const dataset = generateDemoDataset(faker, AS_OF);
  const customers = rowsOf<CustomerEntity>(dataset, 'customers');
  const orders = rowsOf<OrderEntity>(dataset, 'orders');
  const items = rowsOf<OrderItemEntity>(dataset, 'order_items');
  const products = rowsOf<ProductEntity>(dataset, 'products');
  const movements = rowsOf<InventoryMovementEntity>(dataset, 'inventory_movements');
  const invoices = rowsOf<InvoiceEntity>(dataset, 'invoices');
  const payments = rowsOf<PaymentEntity>(dataset, 'payments');
  const subscriptions = rowsOf<SubscriptionEntity>(dataset, 'subscriptions');

  it('is the same on every run with the same day, ids included', () => {
    expect(generateDemoDataset(faker, AS_OF)).toEqual(dataset);
    expect(customers[0].id).toBe(demoUuid('customer', 1));
    expect(rowsOf<{ id: string }>(dataset, 'content_items')[2].id).toBe(demoUuid('content', 3));
    expect(demoUuid('content', 3)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('on another day holds the same records, every date shifted by the days between', () => {
    const later = generateDemoDataset(faker, '2027-01-10');
    const shift = Date.parse('2027-01-10T00:00:00Z') - END;
    dataset.tables.forEach((table, t) => {
      const other = later.tables[t];
      expect(other.rows).toHaveLength(table.rows.length);
      table.rows.forEach((row, r) => {
        const moved = other.rows[r] as Record<string, unknown>;
        for (const [field, value] of Object.entries(row)) {
          if (value instanceof Date) expect((moved[field] as Date).getTime() - value.getTime(), `${table.key}.${field}`).toBe(shift);
          else if (field !== 'expectedCloseDate' && field !== 'title' && field !== 'slug' && field !== 'body')
            expect(moved[field], `${table.key}[${r}].${field}`).toEqual(value);
        }
      });
    });
  });

  it('has the documented volumes', () => {
    const counts = Object.fromEntries(dataset.tables.map((table) => [table.key, table.rows.length]));
    expect(counts).toMatchObject({
      customers: 200,
      leads: 150,
      deals: 80,
      products: 40,
      orders: 600,
      subscriptions: 120,
      content_items: 30,
      integration_connections: 4,
    });
    expect(counts.order_items).toBeGreaterThan(600);
    expect(counts.sync_runs).toBeGreaterThan(100);
  });

  it('lies wholly before the end of its day, orders within the last 90 days', () => {
    for (const table of dataset.tables) {
      for (const row of table.rows) {
        for (const [field, date] of datesOf(row)) {
          // Only plans lie ahead: a discount's end, an invoice's due date.
          if (field === 'discountEndsAt' || field === 'dueAt') continue;
          expect(date.getTime(), `${table.key}.${field}`).toBeLessThan(END);
        }
      }
    }
    expect(Math.min(...orders.map((order) => order.orderedAt.getTime()))).toBeGreaterThanOrEqual(END - 90 * DAY_MS);
  });

  it('keeps every figure in line with the records behind it', () => {
    for (const order of orders) {
      const lines = items.filter((item) => item.orderId === order.id);
      expect(lines.length).toBeGreaterThan(0);
      expect(order.total).toBeCloseTo(
        lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0),
        2,
      );
    }
    for (const customer of customers) {
      const theirs = orders.filter(
        (order) => order.customerRef === customer.externalId && !['cancelled', 'refunded'].includes(order.status),
      );
      expect(customer.frequency).toBe(theirs.length);
      const theirInvoices = new Set(invoices.filter((invoice) => invoice.customerRef === customer.externalId).map((invoice) => invoice.id));
      expect(customer.paymentFailures).toBe(payments.filter((p) => p.status === 'failed' && theirInvoices.has(p.invoiceId)).length);
      // No order after the customer's last activity.
      for (const order of theirs) expect(order.orderedAt.getTime()).toBeLessThanOrEqual((customer.lastActivityAt as Date).getTime());
    }
    for (const product of products) {
      const ledger = movements.filter((movement) => movement.productId === product.id);
      expect(ledger.every((movement) => movement.stockAfter >= 0 && movement.quantityChange !== 0)).toBe(true);
      expect(ledger.reduce((sum, movement) => sum + movement.quantityChange, 0)).toBe(product.stockOnHand);
      expect(ledger.at(-1)?.stockAfter).toBe(product.stockOnHand);
    }
  });

  it('has pipeline stages, failed payments, dunning work and every subscription status', () => {
    const stages = new Map<string, number>();
    for (const deal of rowsOf<DealEntity>(dataset, 'deals')) stages.set(deal.stage, (stages.get(deal.stage) ?? 0) + 1);
    expect(Object.fromEntries(stages)).toEqual({ lead: 24, qualified: 20, proposal: 14, negotiation: 8, closed_won: 9, closed_lost: 5 });
    expect(payments.filter((payment) => payment.status === 'failed').length).toBeGreaterThan(10);
    const openFailed = invoices.filter(
      (invoice) => invoice.status === 'open' && payments.some((p) => p.invoiceId === invoice.id && p.status === 'failed'),
    );
    expect(openFailed.length).toBeGreaterThan(3);
    expect(new Set(subscriptions.map((s) => s.status))).toEqual(new Set(['trialing', 'active', 'past_due', 'paused', 'cancelled']));
    for (const subscription of subscriptions) expect(subscription.status === 'cancelled').toBe(subscription.cancelledAt !== null);
    expect(payments.every((payment) => (payment.status === 'failed') === (payment.failureCode !== null))).toBe(true);
  });
});
