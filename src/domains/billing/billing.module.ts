import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingSupervisor } from './billing.supervisor.js';
import { BILLING_ENTITIES } from './entities/billing.entities.js';

@Module({
  imports: [TypeOrmModule.forFeature(BILLING_ENTITIES)],
  providers: [BillingSupervisor],
})
export class BillingModule {}
