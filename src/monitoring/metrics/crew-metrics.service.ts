import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A finished task as the metrics see it (a TaskEntity fits). */
export interface FinishedTaskSample {
  strategy: string | null;
  domain: string | null;
  status: string;
  durationMs: number | null;
}

/** One LLM call as the gen_ai metrics see it; the LLM layer records these. */
export type { LlmCallSample } from '../../llm/llm-call-observer.js';
import type { LlmCallObserver, LlmCallSample } from '../../llm/llm-call-observer.js';

/** Values for labels that have none (e.g. a system task has no domain); never an id. */
const NONE = 'none';

// OpenTelemetry's recommended boundaries for gen_ai token usage, and HTTP durations extended for synchronous task waits.
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120, 300];
const TASK_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
const LLM_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

/**
 * The Prometheus registry of this instance (its own, not prom-client's global one, so several apps in
 * one process never collide): default process metrics plus the service's own, with low-cardinality labels
 * only — never tenant, task or user ids.
 */
@Injectable()
export class CrewMetrics implements LlmCallObserver {
  readonly registry = new Registry();
  private queueDepthSource?: () => Promise<number>;
  private activeWorkflowsSource?: () => number;

  private readonly httpDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests; route is the matched route pattern.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  private readonly tasksTotal = new Counter({
    name: 'crew_tasks_total',
    help: 'Tasks that reached a final status in this instance.',
    labelNames: ['strategy', 'domain', 'status'] as const,
    registers: [this.registry],
  });

  private readonly taskDuration = new Histogram({
    name: 'crew_task_duration_seconds',
    help: 'Execution time of tasks that ended in this instance (completed, failed or timed_out).',
    labelNames: ['strategy'] as const,
    buckets: TASK_BUCKETS,
    registers: [this.registry],
  });

  private readonly tokenUsage = new Histogram({
    name: 'gen_ai_client_token_usage',
    help: 'Tokens per LLM call (OpenTelemetry gen_ai.client.token.usage).',
    labelNames: ['gen_ai_token_type', 'gen_ai_request_model'] as const,
    buckets: TOKEN_BUCKETS,
    registers: [this.registry],
  });

  private readonly operationDuration = new Histogram({
    name: 'gen_ai_client_operation_duration_seconds',
    help: 'Duration of LLM calls (OpenTelemetry gen_ai.client.operation.duration).',
    labelNames: ['gen_ai_request_model', 'gen_ai_operation_name'] as const,
    buckets: LLM_BUCKETS,
    registers: [this.registry],
  });

  private readonly llmCost = new Counter({
    name: 'crew_llm_cost_usd_total',
    help: 'USD spent on LLM calls, from the price table.',
    labelNames: ['gen_ai_request_model'] as const,
    registers: [this.registry],
  });

  private readonly queueDepth: Gauge = new Gauge({
    name: 'crew_queue_depth',
    help: 'Queued tasks waiting for a worker (the shared queue: the same on every instance).',
    registers: [this.registry],
    collect: async () => {
      const depth = await this.queueDepthSource?.().catch(() => undefined);
      if (depth !== undefined) this.queueDepth.set(depth);
    },
  });

  private readonly activeWorkflows: Gauge = new Gauge({
    name: 'crew_active_workflows',
    help: 'Tasks running in this instance now.',
    registers: [this.registry],
    collect: () => {
      const active = this.activeWorkflowsSource?.();
      if (active !== undefined) this.activeWorkflows.set(active);
    },
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Where the gauges read from (the execution layer, wired by the monitoring module). */
  setSources(sources: { queueDepth: () => Promise<number>; activeWorkflows: () => number }): void {
    this.queueDepthSource = sources.queueDepth;
    this.activeWorkflowsSource = sources.activeWorkflows;
  }

  recordHttp(method: string, route: string, statusCode: number, durationS: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, durationS);
  }

  recordTask(task: FinishedTaskSample): void {
    const strategy = task.strategy ?? NONE;
    this.tasksTotal.inc({ strategy, domain: task.domain ?? NONE, status: task.status });
    if (task.durationMs !== null && task.status !== 'cancelled') this.taskDuration.observe({ strategy }, task.durationMs / 1000);
  }

  recordLlmCall(call: LlmCallSample): void {
    const model = call.model || NONE;
    this.tokenUsage.observe({ gen_ai_token_type: 'input', gen_ai_request_model: model }, call.inputTokens);
    this.tokenUsage.observe({ gen_ai_token_type: 'output', gen_ai_request_model: model }, call.outputTokens);
    this.operationDuration.observe({ gen_ai_request_model: model, gen_ai_operation_name: call.operation ?? 'chat' }, call.durationS);
    if (call.costUsd > 0) this.llmCost.inc({ gen_ai_request_model: model }, call.costUsd);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
