import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingSupervisor } from './billing.supervisor.js';
import { BILLING_ENTITIES } from './entities/billing.entities.js';
import { billingConfigSection } from './billing.config.js';

@Module({
  imports: [TypeOrmModule.forFeature(BILLING_ENTITIES)],
  providers: [BillingSupervisor],
})
export class BillingModule {
  /** The configuration section this domain's supervisor reads; the configuration tree takes it from here. */
  static readonly settings = billingConfigSection;
}
