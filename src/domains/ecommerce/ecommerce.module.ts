import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EcommerceSupervisor } from './ecommerce.supervisor.js';
import { ECOMMERCE_ENTITIES } from './entities/ecommerce.entities.js';

@Module({
  imports: [TypeOrmModule.forFeature(ECOMMERCE_ENTITIES)],
  providers: [EcommerceSupervisor],
})
export class EcommerceModule {}
