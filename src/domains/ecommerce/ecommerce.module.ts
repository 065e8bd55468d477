import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EcommerceSupervisor } from './ecommerce.supervisor.js';
import { ECOMMERCE_ENTITIES } from './entities/ecommerce.entities.js';
import { ecommerceConfigSection } from './ecommerce.config.js';

@Module({
  imports: [TypeOrmModule.forFeature(ECOMMERCE_ENTITIES)],
  providers: [EcommerceSupervisor],
})
export class EcommerceModule {
  /** The configuration section this domain's supervisor reads; the configuration tree takes it from here. */
  static readonly settings = ecommerceConfigSection;
}
