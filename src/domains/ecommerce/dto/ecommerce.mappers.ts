import type { InventoryMovementEntity } from '../entities/inventory-movement.entity.js';
import type { OrderItemEntity } from '../entities/order-item.entity.js';
import type { OrderEntity } from '../entities/order.entity.js';
import type { ProductEntity } from '../entities/product.entity.js';

export interface ProductDto {
  product_id: string;
  sku: string;
  name: string;
  price: number;
  cost: number | null;
  stock_on_hand: number;
  lead_time_days: number;
  ordering_cost: number;
  holding_cost_rate: number;
  active: boolean;
  external_id: string | null;
  created_at: string;
  updated_at: string;
}

export function toProductDto(product: ProductEntity): ProductDto {
  return {
    product_id: product.id,
    sku: product.sku,
    name: product.name,
    price: product.price,
    cost: product.cost,
    stock_on_hand: product.stockOnHand,
    lead_time_days: product.leadTimeDays,
    ordering_cost: product.orderingCost,
    holding_cost_rate: product.holdingCostRate,
    active: product.active,
    external_id: product.externalId,
    created_at: product.createdAt.toISOString(),
    updated_at: product.updatedAt.toISOString(),
  };
}

export function toMovementDto(movement: InventoryMovementEntity) {
  return {
    movement_id: movement.id,
    product_id: movement.productId,
    order_id: movement.orderId,
    quantity_change: movement.quantityChange,
    reason: movement.reason,
    stock_after: movement.stockAfter,
    note: movement.note,
    created_at: movement.createdAt.toISOString(),
  };
}

export function toOrderDto(order: OrderEntity, items?: { item: OrderItemEntity; sku: string }[]) {
  return {
    order_id: order.id,
    customer_ref: order.customerRef,
    ordered_at: order.orderedAt.toISOString(),
    status: order.status,
    total: order.total,
    external_id: order.externalId,
    created_at: order.createdAt.toISOString(),
    updated_at: order.updatedAt.toISOString(),
    ...(items
      ? {
          items: items.map(({ item, sku }) => ({
            item_id: item.id,
            product_id: item.productId,
            sku,
            quantity: item.quantity,
            unit_price: item.unitPrice,
            line_total: Math.round(item.quantity * item.unitPrice * 100) / 100,
          })),
        }
      : {}),
  };
}

export type MovementDto = ReturnType<typeof toMovementDto>;
export type OrderDto = ReturnType<typeof toOrderDto>;
