import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EcommerceSupervisor } from './ecommerce.supervisor.js';
import { InventoryMovementEntity } from './entities/inventory-movement.entity.js';
import { OrderItemEntity } from './entities/order-item.entity.js';
import { OrderEntity } from './entities/order.entity.js';
import { ProductEntity } from './entities/product.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([ProductEntity, OrderEntity, OrderItemEntity, InventoryMovementEntity])],
  providers: [EcommerceSupervisor],
})
export class EcommerceModule {}
