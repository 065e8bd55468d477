import { type EntityManager, In } from 'typeorm';
import { ConflictProblem, NotFoundProblem } from '../../../common/problem.js';
import { array, bool, describes, int, nullable, num, object, str } from '../../../tasks/result-schema.js';
import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
import {
  CreateOrderParams,
  type OrderLineInput,
  OrderListParams,
  OrderLocatorParams,
  UpdateOrderStatusParams,
} from '../dto/order.params.js';
import { type OrderDto, toOrderDto } from '../dto/ecommerce.mappers.js';
import { InventoryMovementEntity } from '../entities/inventory-movement.entity.js';
import { OrderItemEntity } from '../entities/order-item.entity.js';
import { NON_DEMAND_STATUSES, OrderEntity, type OrderStatus } from '../entities/order.entity.js';
import { ProductEntity } from '../entities/product.entity.js';
import { moveStock } from './product.task-types.js';
import { isUniqueViolation } from '../../shared/db-errors.js';
import { directDbType, type ListPage, listSchema, pageOf } from '../../shared/task-kit.js';

const ORDER_SCHEMA = describes<OrderDto>()(
  object(
    {
      order_id: str({ format: 'uuid' }),
      customer_ref: str(),
      ordered_at: str({ format: 'date-time' }),
      status: str(),
      total: num(),
      external_id: nullable(str()),
      created_at: str({ format: 'date-time' }),
      updated_at: str({ format: 'date-time' }),
      items: array(
        object(
          { item_id: str({ format: 'uuid' }), product_id: str(), sku: str(), quantity: int(), unit_price: num(), line_total: num() },
          { optional: ['item_id', 'product_id', 'sku', 'quantity', 'unit_price', 'line_total'] },
        ),
      ),
    },
    { optional: ['external_id', 'created_at', 'updated_at', 'items'] },
  ),
);

export interface OrderDeleted {
  deleted: true;
  order_id: string;
}

const cents = (value: number): number => Math.round(value * 100) / 100;

async function findOrder(manager: EntityManager, tenantId: string, orderId: string): Promise<OrderEntity> {
  const order = await manager.getRepository(OrderEntity).findOneBy({ tenantId, id: orderId });
  if (!order) throw new NotFoundProblem(`No order ${orderId} for this tenant.`);
  return order;
}

async function orderWithItems(manager: EntityManager, tenantId: string, order: OrderEntity): Promise<OrderDto> {
  const items = await manager.getRepository(OrderItemEntity).find({ where: { tenantId, orderId: order.id }, order: { lineNo: 'ASC' } });
  const products = await manager
    .getRepository(ProductEntity)
    .findBy({ tenantId, id: In([...new Set(items.map((item) => item.productId))]) });
  const skus = new Map(products.map((product) => [product.id, product.sku]));
  return toOrderDto(
    order,
    items.map((item) => ({ item, sku: skus.get(item.productId) ?? '' })),
  );
}

/** The tenant's products for the lines, by id or SKU; a line naming anything else is not found. */
async function productsForLines(manager: EntityManager, tenantId: string, lines: OrderLineInput[]): Promise<ProductEntity[]> {
  const ids = lines.flatMap((line) => (line.product_id ? [line.product_id] : []));
  const skus = lines.flatMap((line) => (line.sku ? [line.sku] : []));
  const found = await manager.getRepository(ProductEntity).find({
    where: [...(ids.length ? [{ tenantId, id: In(ids) }] : []), ...(skus.length ? [{ tenantId, sku: In(skus) }] : [])],
  });
  return lines.map((line, index) => {
    const product = found.find((p) => (line.product_id ? p.id === line.product_id : p.sku === line.sku));
    if (!product) {
      throw new NotFoundProblem(
        `items[${index}]: no product ${line.product_id ? line.product_id : `with SKU ${line.sku}`} for this tenant; nothing was written.`,
      );
    }
    return product;
  });
}

export function orderTaskTypes(): TaskTypeDefinition[] {
  return [
    directDbType<OrderListParams, ListPage<'orders', OrderDto>>('ecommerce', {
      type: 'get_order_list',
      description: "Lists the tenant's orders, most recently placed first; filter by customer_ref, status and a placed-at range.",
      parameters: OrderListParams,
      resultSchema: listSchema('orders', ORDER_SCHEMA),
      check: (p) => (p.from && p.to && Date.parse(p.from) >= Date.parse(p.to) ? [{ field: 'to', message: 'must be after from' }] : []),
      run: async (context, p) => {
        const { limit, offset } = pageOf(p);
        const query = context.manager
          .getRepository(OrderEntity)
          .createQueryBuilder('o')
          .where('o.tenant_id = :tenantId', { tenantId: context.tenantId })
          .orderBy('o.ordered_at', 'DESC')
          .addOrderBy('o.id', 'DESC')
          .take(limit)
          .skip(offset);
        if (p.customer_ref) query.andWhere('o.customer_ref = :customerRef', { customerRef: p.customer_ref });
        if (p.status) query.andWhere('o.status = :status', { status: p.status });
        if (p.from) query.andWhere('o.ordered_at >= :from', { from: new Date(p.from) });
        if (p.to) query.andWhere('o.ordered_at < :to', { to: new Date(p.to) });
        const [rows, total] = await query.getManyAndCount();
        return { count: rows.length, total, limit, offset, orders: rows.map((order) => toOrderDto(order)) };
      },
    }),
    directDbType<OrderLocatorParams, OrderDto>('ecommerce', {
      type: 'get_order',
      description: 'One order with its lines.',
      parameters: OrderLocatorParams,
      resultSchema: ORDER_SCHEMA,
      run: async (context, p) =>
        orderWithItems(context.manager, context.tenantId, await findOrder(context.manager, context.tenantId, p.order_id)),
    }),
    directDbType<CreateOrderParams, OrderDto>('ecommerce', {
      type: 'create_order',
      effect: 'create',
      description:
        'Creates an order with its lines in one transaction (unit price defaults to the product price, total computed); takes the units off stock unless update_stock is false. Insufficient stock → 409, nothing written.',
      parameters: CreateOrderParams,
      resultSchema: ORDER_SCHEMA,
      check: (p) =>
        p.items.flatMap((item, index) =>
          (item.product_id === undefined) === (item.sku === undefined)
            ? [{ field: `items[${index}]`, message: 'give exactly one of product_id and sku' }]
            : [],
        ),
      run: async (context, p) => {
        const tenantId = context.tenantId;
        const status = (p.status ?? 'paid') as OrderStatus;
        try {
          return await context.write(async (m) => {
            const products = await productsForLines(m, tenantId, p.items);
            const lines = p.items.map((item, index) => ({
              product: products[index],
              quantity: item.quantity,
              unitPrice: item.unit_price ?? products[index].price,
            }));
            const order = await m.getRepository(OrderEntity).save({
              tenantId,
              customerRef: p.customer_ref,
              orderedAt: p.ordered_at ? new Date(p.ordered_at) : new Date(),
              status,
              total: cents(lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0)),
              externalId: p.external_id ?? null,
            });
            await m.getRepository(OrderItemEntity).insert(
              lines.map((line, index) => ({
                tenantId,
                orderId: order.id,
                lineNo: index + 1,
                productId: line.product.id,
                quantity: line.quantity,
                unitPrice: line.unitPrice,
              })),
            );
            if (p.update_stock !== false && !NON_DEMAND_STATUSES.includes(status)) {
              const perProduct = new Map<string, { product: ProductEntity; quantity: number }>();
              for (const line of lines) {
                const entry = perProduct.get(line.product.id) ?? { product: line.product, quantity: 0 };
                entry.quantity += line.quantity;
                perProduct.set(line.product.id, entry);
              }
              for (const { product, quantity } of perProduct.values())
                await moveStock(m, tenantId, product, -quantity, 'sale', { orderId: order.id });
            }
            return orderWithItems(m, tenantId, order);
          });
        } catch (error) {
          if (isUniqueViolation(error, 'orders_tenant_external_id_key'))
            throw new ConflictProblem(`An order with external_id ${p.external_id} already exists for this tenant.`);
          throw error;
        }
      },
    }),
    directDbType<UpdateOrderStatusParams, OrderDto>('ecommerce', {
      type: 'update_order_status',
      effect: 'update',
      description:
        'Moves an order to a new status; cancelling or refunding returns the units its sale took off stock. Cancelled and refunded orders are final (409).',
      parameters: UpdateOrderStatusParams,
      resultSchema: ORDER_SCHEMA,
      run: async (context, p) => {
        const tenantId = context.tenantId;
        return context.write(async (m) => {
          const order = await findOrder(m, tenantId, p.order_id);
          const next = p.status as OrderStatus;
          if (NON_DEMAND_STATUSES.includes(order.status) && next !== order.status) {
            throw new ConflictProblem(`Order ${order.id} is ${order.status}, which is final; it cannot become ${next}.`, {
              order_status: order.status,
            });
          }
          if (NON_DEMAND_STATUSES.includes(next) && !NON_DEMAND_STATUSES.includes(order.status)) {
            const sales = await m.getRepository(InventoryMovementEntity).findBy({ tenantId, orderId: order.id, reason: 'sale' });
            for (const sale of sales) {
              const product = await m.getRepository(ProductEntity).findOneBy({ tenantId, id: sale.productId });
              if (product)
                await moveStock(m, tenantId, product, -sale.quantityChange, 'return', { orderId: order.id, note: `order ${next}` });
            }
          }
          await m.getRepository(OrderEntity).update({ tenantId, id: order.id }, { status: next, updatedAt: new Date() });
          return orderWithItems(m, tenantId, await findOrder(m, tenantId, order.id));
        });
      },
    }),
    directDbType<OrderLocatorParams, OrderDeleted>('ecommerce', {
      type: 'delete_order',
      effect: 'delete',
      description: 'Deletes an order and its lines (the inventory ledger keeps its movements; cancel first to return stock).',
      parameters: OrderLocatorParams,
      resultSchema: describes<OrderDeleted>()(object({ deleted: bool(), order_id: str() })),
      run: async (context, p) => {
        const order = await findOrder(context.manager, context.tenantId, p.order_id);
        await context.write((m) => m.getRepository(OrderEntity).delete({ tenantId: context.tenantId, id: order.id }));
        return { deleted: true, order_id: order.id };
      },
    }),
  ];
}
