import { Injectable } from '@nestjs/common';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type {
  ChatCompletion,
  ChatCompletionAssistantMessageParam,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import type { AppConfig, ModelPrice } from '../config/app-config.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { LlmAbortedError, LlmError, LlmProviderError, LlmRequestError, LlmTimeoutError, LlmCircuitOpenError } from './llm.errors.js';
import { callCost, tokenUsage, type TokenUsage } from './prices.js';

export interface LlmClientOptions {
  model: string;
  apiKey?: string;
  /** Any OpenAI-compatible endpoint including `/v1` (Ollama, vLLM, LM Studio, a gateway). */
  baseUrl?: string;
  /** Per HTTP attempt. */
  timeoutMs: number;
  /** Retries after the first attempt, with the SDK's backoff honouring Retry-After / retry-after-ms. */
  maxRetries: number;
  prices: Readonly<Record<string, ModelPrice>>;
  /** Shared per provider; defaults to 5 failures / 30 s cooldown. */
  circuitBreaker?: CircuitBreaker;
}

export type ResponseFormat = ChatCompletionCreateParamsNonStreaming['response_format'];

export interface ChatRequest {
  messages: ChatCompletionMessageParam[];
  tools?: ChatCompletionTool[];
  toolChoice?: ChatCompletionToolChoiceOption;
  responseFormat?: ResponseFormat;
  /** Defaults to the client's model. */
  model?: string;
  temperature?: number;
  maxTokens?: number;
  /** The task's signal: cancelling the task aborts the HTTP request in flight. */
  signal: AbortSignal;
}

export interface LlmToolCall {
  id: string;
  name: string;
  /** Exactly what the model sent. */
  rawArguments: string;
  /** Parsed JSON, or undefined when `argumentsError` is set. */
  arguments: unknown;
  /** Why the arguments are unusable; send it back to the model as the tool result instead of failing. */
  argumentsError?: string;
}

export interface ChatResult {
  /** The assistant turn, ready to append to the conversation. */
  message: ChatCompletionAssistantMessageParam;
  content: string | null;
  refusal: string | null;
  toolCalls: LlmToolCall[];
  finishReason: ChatCompletion.Choice['finish_reason'];
  usage: TokenUsage;
  costUsd: number;
  /** False when the price table has no entry for the model (cost reported as 0). */
  priced: boolean;
  /** The model that answered, as the provider reports it. */
  model: string;
  durationMs: number;
  /** HTTP attempts made, retries included. */
  attempts: number;
  requestId: string | null;
}

/** What any caller of the client needs from the configuration. */
export function llmClientOptions(config: AppConfig['llm']): LlmClientOptions {
  return {
    model: config.model,
    apiKey: config.apiKey,
    baseUrl: config.baseUrl,
    timeoutMs: config.requestTimeoutMs,
    maxRetries: config.maxRetries,
    prices: config.prices,
  };
}

/**
 * Counts one call's HTTP attempts (retries included): the counter rides in the SDK's per-request fetch options,
 * which the SDK spreads into every attempt's RequestInit, and the client's fetch increments it. (Not an
 * AsyncLocalStorage: on Node 20 that would put promise hooks on every promise of the process.)
 */
const ATTEMPTS = Symbol('crew.llmAttempts');
type AttemptCounter = { attempts: number };
type CountedInit = RequestInit & { [ATTEMPTS]?: AttemptCounter };
/** The SDK's type of per-request fetch options. */
type SdkFetchOptions = NonNullable<NonNullable<Parameters<OpenAI['chat']['completions']['create']>[1]>['fetchOptions']>;

function counted(counter: AttemptCounter): SdkFetchOptions {
  return { [ATTEMPTS]: counter } as SdkFetchOptions;
}

/**
 * Chat completions over the official SDK against OpenAI or any compatible server, with per-call timeout,
 * retries, cancellation, a circuit breaker, token accounting and cost. Every failure is an LlmError.
 */
@Injectable()
export class LlmClient {
  readonly model: string;
  readonly breaker: CircuitBreaker;
  private readonly sdk: OpenAI;

  constructor(private readonly options: LlmClientOptions) {
    this.model = options.model;
    this.breaker = options.circuitBreaker ?? new CircuitBreaker();
    this.sdk = new OpenAI({
      // Local servers (Ollama, vLLM) take no key, but the SDK refuses to start without one.
      apiKey: options.apiKey ?? 'not-needed',
      // Explicit, so the SDK never falls back to reading OPENAI_BASE_URL from the environment itself.
      baseURL: options.baseUrl ?? 'https://api.openai.com/v1',
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      fetch: (input, init?: CountedInit) => {
        const counter = init?.[ATTEMPTS];
        if (counter) counter.attempts += 1;
        return fetch(input, init);
      },
    });
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const { signal } = request;
    if (signal.aborted) throw new LlmAbortedError(signal.reason);
    if (!this.breaker.allow()) throw new LlmCircuitOpenError(this.breaker.retryAfterMs);

    const model = request.model ?? this.model;
    const counter = { attempts: 0 };
    const started = performance.now();
    try {
      const call = this.sdk.chat.completions.create(this.body(model, request), { signal, fetchOptions: counted(counter) }).withResponse();
      const { data, request_id: requestId } = await untilAborted(call, signal);
      const result = this.toResult(data, model, requestId, counter.attempts, Math.round(performance.now() - started));
      this.breaker.success();
      return result;
    } catch (error) {
      const failure = this.toLlmError(error, signal, counter.attempts);
      if (failure.providerFailure) this.breaker.failure();
      else this.breaker.release();
      throw failure;
    }
  }

  /** Model ids the endpoint serves (GET /models); a cheap reachability check. */
  async listModels(signal: AbortSignal): Promise<string[]> {
    const counter = { attempts: 0 };
    try {
      const page = await untilAborted(this.sdk.models.list({ signal, fetchOptions: counted(counter) }), signal);
      return page.data.map((model) => model.id);
    } catch (error) {
      throw this.toLlmError(error, signal, counter.attempts);
    }
  }

  private body(model: string, request: ChatRequest): ChatCompletionCreateParamsNonStreaming {
    const body: ChatCompletionCreateParamsNonStreaming = { model, messages: request.messages };
    // OpenAI rejects an empty tools array, so only send what is there.
    if (request.tools && request.tools.length > 0) body.tools = request.tools;
    if (request.toolChoice !== undefined) body.tool_choice = request.toolChoice;
    if (request.responseFormat !== undefined) body.response_format = request.responseFormat;
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.maxTokens !== undefined) body.max_completion_tokens = request.maxTokens;
    return body;
  }

  private toResult(data: unknown, model: string, requestId: string | null, attempts: number, durationMs: number): ChatResult {
    const completion = data as Partial<ChatCompletion> | null;
    const choice = Array.isArray(completion?.choices) ? completion.choices[0] : undefined;
    if (!completion || typeof completion !== 'object' || !choice?.message) {
      throw new LlmProviderError('The LLM provider returned a response without a choice.', { status: 200, requestId, attempts });
    }
    const usage = tokenUsage(completion.usage);
    const answeredBy = typeof completion.model === 'string' && completion.model.length > 0 ? completion.model : model;
    const { costUsd, priced } = callCost(usage, [model, answeredBy], this.options.prices);
    const rawCalls = choice.message.tool_calls ?? [];
    const message: ChatCompletionAssistantMessageParam = { role: 'assistant', content: choice.message.content ?? null };
    if (rawCalls.length > 0) message.tool_calls = rawCalls;
    return {
      message,
      content: choice.message.content ?? null,
      refusal: choice.message.refusal ?? null,
      toolCalls: rawCalls.map(toToolCall),
      finishReason: choice.finish_reason,
      usage,
      costUsd,
      priced,
      model: answeredBy,
      durationMs,
      attempts,
      requestId,
    };
  }

  private toLlmError(error: unknown, signal: AbortSignal, attempts: number): LlmError {
    // Whatever the SDK threw on the way out, a fired signal means the caller stopped the call.
    if (signal.aborted) return new LlmAbortedError(signal.reason);
    if (error instanceof LlmError) return error;
    if (error instanceof APIUserAbortError) return new LlmAbortedError(error);
    if (error instanceof APIConnectionTimeoutError) return new LlmTimeoutError(this.options.timeoutMs, attempts);
    if (error instanceof APIConnectionError) {
      const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return new LlmProviderError(`Could not connect to the LLM provider${cause}.`, { attempts, cause: error });
    }
    if (error instanceof APIError && typeof error.status === 'number') {
      const status = error.status;
      const details = { providerCode: error.code, requestId: error.requestID, cause: error };
      if (status >= 500 || status === 429 || status === 408) {
        return new LlmProviderError(`The LLM provider answered ${error.message}`, { ...details, status, attempts });
      }
      return new LlmRequestError(`The LLM provider rejected the request: ${error.message}`, status, { ...details, param: error.param });
    }
    // e.g. a 200 whose body is not JSON.
    const reason = error instanceof Error ? error.message : String(error);
    return new LlmProviderError(`The LLM provider sent an unusable response: ${reason}`, { status: 200, attempts, cause: error });
  }
}

function toToolCall(call: ChatCompletionMessageToolCall): LlmToolCall {
  if (call.type !== 'function') {
    return {
      id: call.id,
      name: call.custom.name,
      rawArguments: call.custom.input,
      arguments: undefined,
      argumentsError: 'Custom (free-text) tool calls are not supported; call a function tool with JSON arguments.',
    };
  }
  const rawArguments = call.function.arguments ?? '';
  try {
    // Some servers send '' for a tool without parameters.
    const parsed: unknown = rawArguments.trim() === '' ? {} : JSON.parse(rawArguments);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return {
        id: call.id,
        name: call.function.name,
        rawArguments,
        arguments: undefined,
        argumentsError: 'Arguments must be a JSON object.',
      };
    }
    return { id: call.id, name: call.function.name, rawArguments, arguments: parsed };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      id: call.id,
      name: call.function.name,
      rawArguments,
      arguments: undefined,
      argumentsError: `Arguments are not valid JSON: ${reason}`,
    };
  }
}

/**
 * Settles as soon as the signal fires, even while the SDK sleeps between retries (its backoff wait is not
 * abortable); the abandoned promise's eventual rejection is observed so it is never unhandled.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new LlmAbortedError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
