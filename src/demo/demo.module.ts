import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DemoTenantGuard } from './demo-tenant.guard.js';
import { LoadDemoDataTask } from './load-demo-data.task.js';

/** The demo tenant: the `load_demo_data` task type (`npm run demo`) and the guard that keeps it to that tenant. */
@Module({ providers: [LoadDemoDataTask, { provide: APP_GUARD, useClass: DemoTenantGuard }] })
export class DemoModule {}
