import { Module } from '@nestjs/common';
import { EcommerceSupervisor } from './ecommerce.supervisor.js';

@Module({ providers: [EcommerceSupervisor] })
export class EcommerceModule {}
