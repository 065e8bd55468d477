import { request as httpRequest } from 'node:http';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { afterEach, describe, expect, it } from 'vitest';
import { reply, type ScriptedOpenAiServer, startScriptedOpenAiServer } from './support/scripted-openai-server.js';

const chat = (server: ScriptedOpenAiServer, body: unknown = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) =>
  fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify(body),
  });

const completionOf = async (response: Response | Promise<Response>): Promise<ChatCompletion> =>
  (await (await response).json()) as ChatCompletion;

describe('scripted OpenAI server', () => {
  let server: ScriptedOpenAiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers a scripted message as a chat completion with the given usage and records the request', async () => {
    server = await startScriptedOpenAiServer([
      reply.message('Hello there', { usage: { prompt_tokens: 120, completion_tokens: 7, cached_tokens: 100 } }),
    ]);
    const response = await chat(server);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      id: 'chatcmpl-scripted-0',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there', refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: {
        prompt_tokens: 120,
        completion_tokens: 7,
        total_tokens: 127,
        prompt_tokens_details: { cached_tokens: 100, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
      },
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      index: 0,
      answered: true,
      clientClosed: false,
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-test');
  });

  it('answers scripted tool calls with JSON arguments, verbatim string arguments and finish_reason tool_calls', async () => {
    server = await startScriptedOpenAiServer([
      reply.toolCalls([
        { id: 'call_a', name: 'score_lead', arguments: { lead_id: 'L-1', weights: [1, 2] } },
        { name: 'broken', arguments: '{"oops":' },
      ]),
    ]);
    const body = await completionOf(chat(server));
    expect(body.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'score_lead', arguments: '{"lead_id":"L-1","weights":[1,2]}' } },
          { id: 'call_0_1', type: 'function', function: { name: 'broken', arguments: '{"oops":' } },
        ],
      },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
    expect(body.usage?.total_tokens).toBe(0);
  });

  it('omits usage when scripted with usage: null and uses a scripted model name', async () => {
    server = await startScriptedOpenAiServer([reply.message('x', { usage: null, model: 'gpt-4o-mini-2024-07-18' })]);
    const body = await completionOf(chat(server));
    expect(body).not.toHaveProperty('usage');
    expect(body.model).toBe('gpt-4o-mini-2024-07-18');
  });

  it('sends an OpenAI-style error with retry-after and retry-after-ms headers', async () => {
    server = await startScriptedOpenAiServer([reply.error(429, { retryAfter: 2, retryAfterMs: 50, code: 'rate_limit_exceeded' })]);
    const response = await chat(server);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('retry-after-ms')).toBe('50');
    expect(await response.json()).toEqual({
      error: {
        message: 'Rate limit reached for requests. Please try again later.',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
  });

  it('fails loudly with a 500 naming the cause when the script runs out', async () => {
    server = await startScriptedOpenAiServer([reply.message('only one')]);
    expect((await chat(server)).status).toBe(200);
    const response = await chat(server);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: {
        message: 'The scripted OpenAI server ran out of replies: the test made more LLM calls than it scripted.',
        type: 'server_error',
        param: null,
        code: 'script_exhausted',
      },
    });
  });

  it('passes each request body and its call index to a script function', async () => {
    const seen: Array<[string, number]> = [];
    server = await startScriptedOpenAiServer((body, index) => {
      seen.push([String(body.messages?.[0]?.content), index]);
      return reply.message(`answer ${index}`);
    });
    await chat(server, { model: 'm', messages: [{ role: 'user', content: 'first' }] });
    const second = await completionOf(chat(server, { model: 'm', messages: [{ role: 'user', content: 'second' }] }));
    expect(seen).toEqual([
      ['first', 0],
      ['second', 1],
    ]);
    expect(second.choices[0].message.content).toBe('answer 1');
  });

  it('answers after a scripted latency', async () => {
    server = await startScriptedOpenAiServer([reply.message('late', { latencyMs: 30 })]);
    const body = await completionOf(chat(server));
    expect(body.choices[0].message.content).toBe('late');
    expect(server.requests[0].answered).toBe(true);
  });

  it('sends a malformed body with a JSON content type', async () => {
    server = await startScriptedOpenAiServer([reply.malformed()]);
    const response = await chat(server);
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('hangs until the client disconnects and records that the client closed the connection', async () => {
    server = await startScriptedOpenAiServer([reply.hang()]);
    const url = new URL(`${server.url}/chat/completions`);
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } });
    req.on('error', () => undefined);
    req.end(JSON.stringify({ model: 'm', messages: [] }));
    await expect.poll(() => server?.requests.length, { timeout: 2000 }).toBe(1);
    expect(server.requests[0]).toMatchObject({ answered: false, clientClosed: false });
    req.destroy();
    await expect.poll(() => server?.requests[0].clientClosed, { timeout: 1000 }).toBe(true);
    expect(server.requests[0].answered).toBe(false);
  });

  it('lists models on GET /v1/models and answers unknown routes with 404', async () => {
    server = await startScriptedOpenAiServer([], { models: ['llama3.1', 'qwen2.5'] });
    const models = await fetch(`${server.url}/models`);
    expect(await models.json()).toEqual({
      object: 'list',
      data: [
        { id: 'llama3.1', object: 'model', created: 1_700_000_000, owned_by: 'scripted' },
        { id: 'qwen2.5', object: 'model', created: 1_700_000_000, owned_by: 'scripted' },
      ],
    });
    const missing = await fetch(`${server.url}/embeddings`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { message: 'Unknown route POST /v1/embeddings', type: 'invalid_request_error', param: null, code: 'unknown_url' },
    });
    expect(server.chatRequests).toHaveLength(0);
  });

  it('rejects a chat request whose body is not JSON with 400', async () => {
    server = await startScriptedOpenAiServer([reply.message('unused')]);
    const response = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: 'not json' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { message: 'The request body is not valid JSON.', type: 'invalid_request_error', param: null, code: null },
    });
  });
});
