import { Inject, Injectable, Optional, Logger } from '@nestjs/common';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { TaskRunContext } from '../tasks/task-type.js';
import { type CacheableRequest, cacheKey, LlmCache } from '../llm/llm-cache.service.js';
import type { CachedChat } from '../llm/llm-cache.types.js';
import { LLM_CALL_OBSERVER, type LlmCallObserver } from '../llm/llm-call-observer.js';
import { type ChatResult, LlmClient } from '../llm/llm-client.js';
import { LlmCircuitOpenError, LlmRequestError } from '../llm/llm.errors.js';
import { type TokenUsage, ZERO_USAGE } from '../llm/prices.js';
import { LlmRateLimiter } from '../llm/rate-limiter.service.js';
import type { AgentDefinition } from './agent.types.js';
import { TaskUsage } from './task-usage.service.js';
import { logFor } from '../common/request-context.js';
import { UnitOfWork } from '../tasks/unit-of-work.js';

/**
 * An LLM call after the task's business writes on the embedded database: the writes' transaction would stay
 * open across the call and stop every other connection. Its message is the task's error (isExposed).
 */
export class LlmAfterWritesError extends Error {
  readonly expose = true;
  readonly guidance =
    'Post the input (e.g. lead_data) instead of using stored records, run the service without an LLM, or run it on a PostgreSQL server (DATABASE_URL).';

  constructor(taskId: string) {
    super(
      `Task ${taskId} wrote business records and then needed the LLM; on the embedded database a task's writes must come after its LLM calls`,
    );
    this.name = 'LlmAfterWritesError';
  }
}

export interface LlmTurn {
  context: TaskRunContext;
  /** The agent step's signal (task signal bounded by AGENT_EXECUTION_TIMEOUT). */
  signal: AbortSignal;
  agent: Pick<AgentDefinition, 'id' | 'tier'>;
  parentStepId?: string;
  /** Appended to the step name, e.g. "repair". */
  label?: string;
  request: Omit<CacheableRequest, 'model'> & { model?: string };
  /**
   * The messages that identify the request in the cache when they differ from what is sent (the executor
   * leaves recalled memories out, so a repeated identical task still hits).
   */
  cacheMessages?: ChatCompletionMessageParam[];
}

export interface LlmTurnResult {
  chat: CachedChat;
  usage: TokenUsage;
  costUsd: number;
  /** Served from the response cache: no HTTP call, no cost. */
  cacheHit: boolean;
  /** Chat completion calls made (0 on a cache hit; 2 when a refused response_format was retried without). */
  llmCalls: number;
  stepId: string;
}

const PREVIEW = 400;

/**
 * Every LLM call of the agent runtime goes through here: the response cache (per tenant), the shared
 * MAX_RPM limiter, the per-task call budget, the HTTP call, and the accounting on the step and task rows.
 * Each call is one `llm` step of the trace.
 */
@Injectable()
export class LlmGateway {
  private readonly logger = new Logger(LlmGateway.name);
  /** Models whose server refused `response_format: json_schema`; asked without it from then on. */
  private readonly noStructuredOutput = new Set<string>();

  constructor(
    @Inject(LlmClient) private readonly client: LlmClient | null,
    private readonly cache: LlmCache,
    private readonly limiter: LlmRateLimiter,
    private readonly usage: TaskUsage,
    @Optional() @Inject(LLM_CALL_OBSERVER) private readonly observer?: LlmCallObserver,
  ) {}

  /** False in deterministic mode (neither OPENAI_API_KEY nor OPENAI_BASE_URL set). */
  get enabled(): boolean {
    return this.client !== null;
  }

  get defaultModel(): string | null {
    return this.client?.model ?? null;
  }

  supportsStructuredOutput(model: string): boolean {
    return !this.noStructuredOutput.has(model);
  }

  async chat(turn: LlmTurn): Promise<LlmTurnResult> {
    const client = this.client;
    if (!client) throw new Error('The LLM gateway was called in deterministic mode');
    const { context, signal } = turn;
    // The task's writes hold a transaction that, on the embedded database, stops every other connection; this
    // call's rate-limit and cache bookkeeping run on those and would wait for the task's end: refuse instead.
    if (UnitOfWork.of(context.manager)?.exclusive) throw new LlmAfterWritesError(context.taskId);
    const request = this.adapt({ ...turn.request, model: turn.request.model ?? client.model });
    const key = cacheKey(turn.cacheMessages ? { ...request, messages: turn.cacheMessages } : request);
    const step = await context.trace.start({
      kind: 'llm',
      name: `chat ${request.model}${turn.label ? ` (${turn.label})` : ''}`,
      agentId: turn.agent.id,
      tier: turn.agent.tier,
      parentStepId: turn.parentStepId,
      input: describeRequest(request),
    });
    let result: ChatResult;
    try {
      const cached = await this.cachedAnswer(context, key);
      if (cached) {
        await this.usage.markCacheHit(context.manager, context.taskId);
        await step.finish({ output: { cache_hit: true, ...describeChat(cached) } });
        return { chat: cached, usage: { ...ZERO_USAGE }, costUsd: 0, cacheHit: true, llmCalls: 0, stepId: step.id };
      }
      // Fail fast while the circuit is open: no rate-limit slot, no call counted against the task.
      if (client.breaker.state === 'open') throw new LlmCircuitOpenError(client.breaker.retryAfterMs);
      await this.limiter.acquire(signal);
      await this.usage.reserveCall(context.manager, context.taskId);
      result = await client.chat({ ...request, signal });
    } catch (error) {
      await step.finish({ status: signal.aborted ? 'cancelled' : 'failed', error: error instanceof Error ? error.message : String(error) });
      if (this.refusedStructuredOutput(error, request)) {
        this.noStructuredOutput.add(request.model);
        logFor(context.requestId, () =>
          this.logger.warn(`${request.model} refused response_format json_schema; asking it without structured output from now on`),
        );
        const retried = await this.chat(turn);
        return { ...retried, llmCalls: retried.llmCalls + 1 };
      }
      throw error;
    }
    await this.usage.addUsage(context.manager, context.taskId, result.usage, result.costUsd);
    this.observer?.recordLlmCall({
      model: result.model,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      durationS: result.durationMs / 1000,
      costUsd: result.costUsd,
    });
    await step.finish({
      output: { cache_hit: false, ...describeChat(result), attempts: result.attempts, priced: result.priced },
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      cachedTokens: result.usage.cachedTokens,
      costUsd: result.costUsd,
    });
    await this.cache
      .put(context.tenantId, key, result)
      .catch((error: unknown) => logFor(context.requestId, () => this.logger.warn(`Caching an LLM answer failed: ${String(error)}`)));
    return { chat: result, usage: result.usage, costUsd: result.costUsd, cacheHit: false, llmCalls: 1, stepId: step.id };
  }

  private adapt(request: CacheableRequest): CacheableRequest {
    if (request.responseFormat?.type !== 'json_schema' || this.supportsStructuredOutput(request.model)) return request;
    const { responseFormat: _dropped, ...rest } = request;
    return rest;
  }

  private async cachedAnswer(context: TaskRunContext, key: string): Promise<CachedChat | undefined> {
    try {
      return await this.cache.get(context.tenantId, key);
    } catch (error) {
      // The cache is an optimisation: a failing read is a miss.
      logFor(context.requestId, () => this.logger.warn(`Reading the LLM cache failed: ${String(error)}`));
      return undefined;
    }
  }

  private refusedStructuredOutput(error: unknown, request: CacheableRequest): boolean {
    if (!(error instanceof LlmRequestError) || error.status !== 400 || request.responseFormat?.type !== 'json_schema') return false;
    return error.details.param === 'response_format' || /response_format|json_schema/i.test(error.message);
  }
}

function preview(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text;
}

function describeRequest(request: CacheableRequest): Record<string, unknown> {
  const last = request.messages[request.messages.length - 1];
  const content = typeof last?.content === 'string' ? last.content : last?.content ? JSON.stringify(last.content) : null;
  return {
    model: request.model,
    messages: request.messages.length,
    last: { role: last?.role, content: preview(content) },
    tools: (request.tools ?? []).map((tool) => (tool.type === 'function' ? tool.function.name : tool.type)),
    response_format: request.responseFormat?.type ?? null,
  };
}

function describeChat(chat: CachedChat): Record<string, unknown> {
  return {
    model: chat.model,
    finish_reason: chat.finishReason,
    content: preview(chat.content),
    tool_calls: chat.toolCalls.map((call) => ({ name: call.name, arguments: preview(call.rawArguments) })),
  };
}
