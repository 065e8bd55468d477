import { Module } from '@nestjs/common';
import { AnalyticsSupervisor } from './analytics.supervisor.js';

@Module({ providers: [AnalyticsSupervisor] })
export class AnalyticsModule {}
