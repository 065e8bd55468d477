import { Global, Module } from '@nestjs/common';
import { LLM_CALL_OBSERVER } from '../../llm/llm-call-observer.js';
import { CrewMetrics } from './crew-metrics.service.js';
import { HttpMetricsMiddleware } from './http-metrics.middleware.js';

/** Global so any layer (the LLM client in particular) can record into the one registry without importing monitoring. */
@Global()
@Module({
  providers: [CrewMetrics, HttpMetricsMiddleware, { provide: LLM_CALL_OBSERVER, useExisting: CrewMetrics }],
  exports: [CrewMetrics, HttpMetricsMiddleware, LLM_CALL_OBSERVER],
})
export class MetricsModule {}
