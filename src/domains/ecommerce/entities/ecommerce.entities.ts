import { InventoryMovementEntity } from './inventory-movement.entity.js';
import { OrderEntity } from './order.entity.js';
import { OrderItemEntity } from './order-item.entity.js';
import { ProductEntity } from './product.entity.js';

/** The tables this domain owns, registered by its module and declared by its supervisor. */
export const ECOMMERCE_ENTITIES = [ProductEntity, OrderEntity, OrderItemEntity, InventoryMovementEntity];
