import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply, type ScriptedOpenAiServer, startScriptedOpenAiServer } from '../../test/support/scripted-openai-server.js';
import { DEFAULT_PRICES, loadConfig } from '../config/app-config.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { type ChatRequest, LlmClient, type LlmClientOptions, llmClientOptions } from './llm-client.js';
import { LlmAbortedError, LlmCircuitOpenError, LlmProviderError, LlmRequestError, LlmTimeoutError } from './llm.errors.js';

const USER_TURN: ChatRequest['messages'] = [{ role: 'user', content: 'Score lead L-1' }];

describe('LlmClient against a scripted OpenAI-compatible server', () => {
  let server: ScriptedOpenAiServer;

  beforeEach(async () => {
    server = await startScriptedOpenAiServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const client = (overrides: Partial<LlmClientOptions> = {}) =>
    new LlmClient({
      model: 'gpt-4o-mini',
      apiKey: 'sk-test',
      baseUrl: server.url,
      timeoutMs: 10_000,
      maxRetries: 0,
      prices: DEFAULT_PRICES,
      ...overrides,
    });
  const ask = (llm: LlmClient, signal = new AbortController().signal, extra: Partial<ChatRequest> = {}) =>
    llm.chat({ messages: USER_TURN, signal, ...extra });
  /** The rejection of a call, so its class and fields can be asserted together. */
  const failureOf = async (call: Promise<unknown>): Promise<unknown> => {
    try {
      await call;
    } catch (error) {
      return error;
    }
    throw new Error('expected the call to fail');
  };

  it('returns a plain answer with exact token and cost totals', async () => {
    server.enqueue(
      reply.message('Lead L-1 scores 82.', {
        usage: { prompt_tokens: 1200, completion_tokens: 300, cached_tokens: 200 },
        model: 'gpt-4o-mini-2024-07-18',
      }),
    );
    const result = await ask(client());
    expect(result).toMatchObject({
      content: 'Lead L-1 scores 82.',
      refusal: null,
      message: { role: 'assistant', content: 'Lead L-1 scores 82.' },
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 1200, cachedTokens: 200, outputTokens: 300 },
      // 1000 × 0.15 + 200 × 0.075 + 300 × 0.6 = 345 micro-USD
      costUsd: 0.000345,
      priced: true,
      model: 'gpt-4o-mini-2024-07-18',
      attempts: 1,
    });
    expect(result.message).not.toHaveProperty('tool_calls');
    expect(Number.isInteger(result.durationMs)).toBe(true);
    expect(server.chatRequests).toHaveLength(1);
    expect(server.chatRequests[0].body).toEqual({ model: 'gpt-4o-mini', messages: USER_TURN });
    expect(server.chatRequests[0].headers.authorization).toBe('Bearer sk-test');
  });

  it('prices cached tokens at the cached rate', async () => {
    server.enqueue(
      reply.message('cold', { usage: { prompt_tokens: 10_000, completion_tokens: 0, cached_tokens: 0 } }),
      reply.message('warm', { usage: { prompt_tokens: 10_000, completion_tokens: 0, cached_tokens: 10_000 } }),
    );
    const llm = client({ model: 'gpt-4o' });
    const cold = await ask(llm);
    const warm = await ask(llm);
    expect([cold.costUsd, warm.costUsd]).toEqual([0.025, 0.0125]);
    expect(warm.usage).toEqual({ inputTokens: 10_000, cachedTokens: 10_000, outputTokens: 0 });
  });

  it('reports an unpriced model with cost 0 and zero usage when the server sends no usage', async () => {
    server.enqueue(reply.message('hi', { usage: null }), reply.message('hi', { usage: { prompt_tokens: 50, completion_tokens: 5 } }));
    const noUsage = await ask(client());
    expect(noUsage).toMatchObject({ usage: { inputTokens: 0, cachedTokens: 0, outputTokens: 0 }, costUsd: 0, priced: true });
    const local = await ask(client({ model: 'llama3.1' }));
    expect(local).toMatchObject({
      usage: { inputTokens: 50, cachedTokens: 0, outputTokens: 5 },
      costUsd: 0,
      priced: false,
      model: 'llama3.1',
    });
  });

  it('parses tool calls with their JSON arguments and sends tools, tool_choice, response_format and temperature', async () => {
    server.enqueue(
      reply.toolCalls(
        [
          { id: 'call_1', name: 'score_lead', arguments: { lead_id: 'L-1', weights: { title: 2 } } },
          { id: 'call_2', name: 'list_leads', arguments: '' },
          { id: 'call_3', name: 'broken', arguments: '{"lead_id":' },
          { id: 'call_4', name: 'array', arguments: [1, 2] },
        ],
        { usage: { prompt_tokens: 100, completion_tokens: 40 } },
      ),
    );
    const tools: NonNullable<ChatRequest['tools']> = [
      {
        type: 'function',
        function: {
          name: 'score_lead',
          parameters: { type: 'object', properties: { lead_id: { type: 'string' } }, required: ['lead_id'] },
        },
      },
    ];
    const result = await ask(client(), new AbortController().signal, {
      tools,
      toolChoice: 'auto',
      responseFormat: { type: 'json_object' },
      temperature: 0.2,
    });
    expect(result.finishReason).toBe('tool_calls');
    expect(result.toolCalls).toEqual([
      {
        id: 'call_1',
        name: 'score_lead',
        rawArguments: '{"lead_id":"L-1","weights":{"title":2}}',
        arguments: { lead_id: 'L-1', weights: { title: 2 } },
      },
      { id: 'call_2', name: 'list_leads', rawArguments: '', arguments: {} },
      {
        id: 'call_3',
        name: 'broken',
        rawArguments: '{"lead_id":',
        arguments: undefined,
        argumentsError: expect.stringMatching(/^Arguments are not valid JSON: /),
      },
      { id: 'call_4', name: 'array', rawArguments: '[1,2]', arguments: undefined, argumentsError: 'Arguments must be a JSON object.' },
    ]);
    // The assistant turn carries the raw calls so the tool results can follow it in the conversation.
    expect(result.message).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'score_lead', arguments: '{"lead_id":"L-1","weights":{"title":2}}' } },
        { id: 'call_2', type: 'function', function: { name: 'list_leads', arguments: '' } },
        { id: 'call_3', type: 'function', function: { name: 'broken', arguments: '{"lead_id":' } },
        { id: 'call_4', type: 'function', function: { name: 'array', arguments: '[1,2]' } },
      ],
    });
    expect(result.costUsd).toBe(0.000039);
    expect(server.chatRequests[0].body).toEqual({
      model: 'gpt-4o-mini',
      messages: USER_TURN,
      tools,
      tool_choice: 'auto',
      response_format: { type: 'json_object' },
      temperature: 0.2,
    });
  });

  it('completes a tool-call round trip: the second request carries the assistant turn and the tool result', async () => {
    server.enqueue(
      reply.toolCalls([{ id: 'call_1', name: 'score_lead', arguments: { lead_id: 'L-1' } }], {
        usage: { prompt_tokens: 100, completion_tokens: 20 },
      }),
      reply.message('L-1 scores 82.', { usage: { prompt_tokens: 150, completion_tokens: 10 } }),
    );
    const llm = client();
    const signal = new AbortController().signal;
    const first = await ask(llm, signal);
    const messages: ChatRequest['messages'] = [
      ...USER_TURN,
      first.message,
      { role: 'tool', tool_call_id: first.toolCalls[0].id, content: JSON.stringify({ score: 82 }) },
    ];
    const second = await llm.chat({ messages, signal });
    expect(second.content).toBe('L-1 scores 82.');
    expect(server.chatRequests[1].body?.messages).toEqual([
      { role: 'user', content: 'Score lead L-1' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'score_lead', arguments: '{"lead_id":"L-1"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"score":82}' },
    ]);
    // 100 × 0.15 + 20 × 0.6 = 27 micro-USD; 150 × 0.15 + 10 × 0.6 = 28.5, rounded half up
    expect([first.costUsd, second.costUsd]).toEqual([0.000027, 0.000029]);
  });

  it('retries a 429 after the retry-after-ms the server asked for, then succeeds', async () => {
    server.enqueue(reply.error(429, { retryAfterMs: 50, code: 'rate_limit_exceeded' }), reply.message('after the wait'));
    const result = await ask(client({ maxRetries: 2 }));
    expect(result.content).toBe('after the wait');
    expect(result.attempts).toBe(2);
    expect(server.chatRequests).toHaveLength(2);
    expect(server.chatRequests.map((request) => request.headers['x-stainless-retry-count'])).toEqual(['0', '1']);
  });

  it('gives up after maxRetries on repeated 500s with an LlmProviderError carrying the status', async () => {
    server.enqueue(...[1, 2, 3].map(() => reply.error(500, { retryAfterMs: 1, message: 'upstream exploded' })));
    const llm = client({ maxRetries: 2 });
    const error = await failureOf(ask(llm));
    expect(error).toBeInstanceOf(LlmProviderError);
    expect(error).toMatchObject({
      code: 'llm_provider_error',
      status: 500,
      attempts: 3,
      providerFailure: true,
      message: 'The LLM provider answered 500 upstream exploded',
      guidance: 'The LLM provider is failing or unreachable; check OPENAI_BASE_URL and the provider status, then retry the task.',
    });
    expect(server.chatRequests).toHaveLength(3);
    expect(llm.breaker.failures).toBe(1);
  });

  it('reports a 429 that outlasts the retries as a provider failure with rate-limit guidance', async () => {
    server.enqueue(reply.error(429, { retryAfterMs: 1 }), reply.error(429, { retryAfterMs: 1 }));
    const llm = client({ maxRetries: 1 });
    const error = await failureOf(ask(llm));
    expect(error).toBeInstanceOf(LlmProviderError);
    expect(error).toMatchObject({
      status: 429,
      attempts: 2,
      guidance: 'The LLM provider kept rate-limiting after the retries; lower MAX_RPM or raise the provider quota.',
    });
    expect(llm.breaker.failures).toBe(1);
  });

  it('maps a 400 to LlmRequestError without retrying and without counting it against the provider', async () => {
    server.enqueue(reply.error(400, { message: "Invalid value for 'temperature'", code: 'invalid_value' }));
    const llm = client({ maxRetries: 3 });
    const error = await failureOf(ask(llm));
    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error).toMatchObject({
      code: 'llm_request_error',
      status: 400,
      providerFailure: false,
      message: "The LLM provider rejected the request: 400 Invalid value for 'temperature'",
      details: { providerCode: 'invalid_value' },
    });
    expect(server.chatRequests).toHaveLength(1);
    expect(llm.breaker.failures).toBe(0);
  });

  it('gives operator guidance for a refused key', async () => {
    server.enqueue(reply.error(401, { message: 'Incorrect API key provided', code: 'invalid_api_key' }));
    const error = await failureOf(ask(client()));
    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error).toMatchObject({ status: 401, guidance: 'The LLM provider refused the credentials; check OPENAI_API_KEY.' });
  });

  it('times out a hanging server with LlmTimeoutError and closes the connection', async () => {
    server.enqueue(reply.hang());
    const llm = client({ timeoutMs: 300 });
    const error = await failureOf(ask(llm));
    expect(error).toBeInstanceOf(LlmTimeoutError);
    expect(error).toMatchObject({ code: 'llm_timeout', timeoutMs: 300, attempts: 1, providerFailure: true });
    await expect.poll(() => server.chatRequests[0]?.clientClosed, { timeout: 1000 }).toBe(true);
    expect(llm.breaker.failures).toBe(1);
  });

  it('aborts an in-flight call with LlmAbortedError and the server sees the connection close', async () => {
    server.enqueue(reply.hang());
    const llm = client({ timeoutMs: 60_000 });
    const controller = new AbortController();
    const call = failureOf(ask(llm, controller.signal));
    await expect.poll(() => server.chatRequests.length, { timeout: 2000 }).toBe(1);
    expect(server.chatRequests[0].clientClosed).toBe(false);
    controller.abort(new Error('task cancelled'));
    const error = await call;
    expect(error).toBeInstanceOf(LlmAbortedError);
    expect(error).toMatchObject({ code: 'llm_aborted', providerFailure: false, reason: new Error('task cancelled') });
    await expect.poll(() => server.chatRequests[0].clientClosed, { timeout: 1000 }).toBe(true);
    expect(server.chatRequests[0].answered).toBe(false);
    expect(llm.breaker.failures).toBe(0);
  });

  it('aborts while the SDK waits out a Retry-After, without waiting and without another request', async () => {
    // A 60 s wait: only the abort can end this call before the test times out.
    server.enqueue(reply.error(503, { retryAfterMs: 60_000 }), reply.message('too late'));
    const llm = client({ maxRetries: 1 });
    const controller = new AbortController();
    const call = failureOf(ask(llm, controller.signal));
    await expect.poll(() => server.chatRequests[0]?.answered, { timeout: 2000 }).toBe(true);
    controller.abort();
    expect(await call).toBeInstanceOf(LlmAbortedError);
    expect(server.chatRequests).toHaveLength(1);
  });

  it('makes no request at all when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await failureOf(ask(client(), controller.signal))).toBeInstanceOf(LlmAbortedError);
    expect(server.requests).toHaveLength(0);
  });

  it('opens the circuit after repeated failures, then fails fast with no request, and closes after a good probe', async () => {
    const clock = { now: 0 };
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 30_000, now: () => clock.now });
    const llm = client({ circuitBreaker: breaker });
    server.enqueue(reply.error(500), reply.error(502), reply.error(503));
    for (let i = 0; i < 3; i++) expect(await failureOf(ask(llm))).toBeInstanceOf(LlmProviderError);
    expect(breaker.state).toBe('open');

    clock.now += 10_000;
    const error = await failureOf(ask(llm));
    expect(error).toBeInstanceOf(LlmCircuitOpenError);
    expect(error).toMatchObject({ code: 'llm_circuit_open', retryAfterMs: 20_000, providerFailure: false });
    expect(await failureOf(ask(llm))).toBeInstanceOf(LlmCircuitOpenError);
    expect(server.chatRequests).toHaveLength(3);

    clock.now += 20_000;
    server.enqueue(reply.message('recovered'));
    expect((await ask(llm)).content).toBe('recovered');
    expect(breaker.state).toBe('closed');
    expect(server.chatRequests).toHaveLength(4);
  });

  it('counts timeouts and malformed bodies as provider failures', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 60_000 });
    const llm = client({ circuitBreaker: breaker, timeoutMs: 300 });
    server.enqueue(reply.malformed(), reply.hang());
    const malformed = await failureOf(ask(llm));
    expect(malformed).toBeInstanceOf(LlmProviderError);
    expect(malformed).toMatchObject({ status: 200, message: expect.stringMatching(/^The LLM provider sent an unusable response: /) });
    expect(await failureOf(ask(llm))).toBeInstanceOf(LlmTimeoutError);
    expect(breaker.state).toBe('open');
    expect(await failureOf(ask(llm))).toBeInstanceOf(LlmCircuitOpenError);
    expect(server.chatRequests).toHaveLength(2);
  });

  it('rejects a 200 whose JSON has no choices as a provider error', async () => {
    server.enqueue(reply.malformed({ body: '{"object":"chat.completion","choices":[]}' }));
    const error = await failureOf(ask(client()));
    expect(error).toBeInstanceOf(LlmProviderError);
    expect(error).toMatchObject({ status: 200, message: 'The LLM provider returned a response without a choice.' });
  });

  it('maps a refused connection to LlmProviderError', async () => {
    const dead = await startScriptedOpenAiServer();
    const url = dead.url;
    await dead.close();
    const llm = client({ baseUrl: url });
    const error = await failureOf(ask(llm));
    expect(error).toBeInstanceOf(LlmProviderError);
    expect(error).toMatchObject({
      status: undefined,
      attempts: 1,
      message: expect.stringMatching(/^Could not connect to the LLM provider/),
    });
    expect(llm.breaker.failures).toBe(1);
  });

  it('works against a keyless local server (Ollama, vLLM) configured by base URL only', async () => {
    server.enqueue(reply.message('local answer'));
    const config = loadConfig({ OPENAI_BASE_URL: server.url, OPENAI_MODEL: 'llama3.1', LLM_MAX_RETRIES: '0' }).llm;
    const llm = new LlmClient(llmClientOptions(config));
    const result = await ask(llm);
    expect(result).toMatchObject({ content: 'local answer', model: 'llama3.1', priced: false });
    expect(server.chatRequests[0].headers.authorization).toBe('Bearer not-needed');
    expect(server.chatRequests[0].body?.model).toBe('llama3.1');
  });

  it('lists the models the endpoint serves', async () => {
    await server.close();
    server = await startScriptedOpenAiServer([], { models: ['llama3.1', 'qwen2.5'] });
    expect(await client().listModels(new AbortController().signal)).toEqual(['llama3.1', 'qwen2.5']);
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/models']);
  });
});
