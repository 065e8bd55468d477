import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingSupervisor } from './billing.supervisor.js';
import { InvoiceEntity } from './entities/invoice.entity.js';
import { PaymentEntity } from './entities/payment.entity.js';
import { SubscriptionChangeEntity } from './entities/subscription-change.entity.js';
import { SubscriptionEntity } from './entities/subscription.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([SubscriptionEntity, SubscriptionChangeEntity, InvoiceEntity, PaymentEntity])],
  providers: [BillingSupervisor],
})
export class BillingModule {}
