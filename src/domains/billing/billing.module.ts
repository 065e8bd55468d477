import { Module } from '@nestjs/common';
import { BillingSupervisor } from './billing.supervisor.js';

@Module({ providers: [BillingSupervisor] })
export class BillingModule {}
