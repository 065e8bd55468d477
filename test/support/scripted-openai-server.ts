import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real OpenAI-compatible HTTP server on loopback, scripted per test. LLM paths are tested through the real
 * `openai` SDK against it (DESIGN.md §14): no SDK mocks, real sockets, real retries, real aborts.
 */

export interface ScriptedUsage {
  prompt_tokens: number;
  completion_tokens: number;
  /** Part of prompt_tokens, as OpenAI reports it. */
  cached_tokens?: number;
}

export interface ScriptedToolCall {
  /** Defaults to `call_<request>_<position>`. */
  id?: string;
  name: string;
  /** An object is sent as JSON; a string is sent verbatim (to script malformed arguments). */
  arguments: unknown;
}

interface ReplyTiming {
  /** Wait this long before answering (the answer is skipped if the client disconnects meanwhile). */
  latencyMs?: number;
}

interface CompletionFields extends ReplyTiming {
  /** Omitted: zero usage; `null`: no `usage` field at all (some compatible servers send none). */
  usage?: ScriptedUsage | null;
  /** Defaults to the model the request asked for. */
  model?: string;
  finishReason?: string;
}

export type ScriptedReply =
  | ({ kind: 'message'; content: string | null; refusal?: string | null } & CompletionFields)
  | ({ kind: 'tool_calls'; calls: ScriptedToolCall[]; content?: string | null } & CompletionFields)
  | ({
      kind: 'error';
      status: number;
      message?: string;
      type?: string;
      code?: string | null;
      /** Seconds (or an HTTP date) for the `retry-after` header. */
      retryAfter?: number | string;
      /** Milliseconds for the `retry-after-ms` header the SDK prefers. */
      retryAfterMs?: number;
      headers?: Record<string, string>;
    } & ReplyTiming)
  /** Never answers; the request stays open until the client gives up. */
  | { kind: 'hang' }
  /** A body that is not the promised JSON (defaults to truncated JSON with status 200). */
  | ({ kind: 'malformed'; body?: string; status?: number; contentType?: string } & ReplyTiming);

/** Builders for the replies, so scripts read like the conversation they describe. */
export const reply = {
  message: (content: string | null, fields: CompletionFields & { refusal?: string | null } = {}): ScriptedReply => ({
    kind: 'message',
    content,
    ...fields,
  }),
  toolCalls: (calls: ScriptedToolCall[], fields: CompletionFields & { content?: string | null } = {}): ScriptedReply => ({
    kind: 'tool_calls',
    calls,
    ...fields,
  }),
  error: (status: number, fields: Omit<Extract<ScriptedReply, { kind: 'error' }>, 'kind' | 'status'> = {}): ScriptedReply => ({
    kind: 'error',
    status,
    ...fields,
  }),
  hang: (): ScriptedReply => ({ kind: 'hang' }),
  malformed: (fields: Omit<Extract<ScriptedReply, { kind: 'malformed' }>, 'kind'> = {}): ScriptedReply => ({
    kind: 'malformed',
    ...fields,
  }),
};

export interface ScriptedRequestBody {
  model?: string;
  messages?: Array<Record<string, unknown>>;
  tools?: Array<Record<string, unknown>>;
  [field: string]: unknown;
}

/** Decides the answer to the `index`-th chat completion request (0-based). */
export type ScriptFunction = (body: ScriptedRequestBody, index: number) => ScriptedReply;

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined for an empty or non-JSON body). */
  body: ScriptedRequestBody | undefined;
  rawBody: string;
  /** Index among chat completion requests, undefined for other routes. */
  index?: number;
  reply?: ScriptedReply;
  /** True once the server has finished writing its answer. */
  answered: boolean;
  /** True when the client closed the connection before the answer was sent. */
  clientClosed: boolean;
}

export interface ScriptedOpenAiServerOptions {
  /** Ids answered by GET /v1/models. */
  models?: string[];
}

export interface ScriptedOpenAiServer {
  /** The SDK's baseURL, including `/v1`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Chat completion requests only, in arrival order. */
  readonly chatRequests: RecordedRequest[];
  /** Appends replies to the queue (used when no script function is set). */
  enqueue(...replies: ScriptedReply[]): void;
  /** Answers every chat completion with this function instead of the queue. */
  setScript(script: ScriptFunction): void;
  close(): Promise<void>;
}

const RAN_OUT = 'The scripted OpenAI server ran out of replies: the test made more LLM calls than it scripted.';

export async function startScriptedOpenAiServer(
  script: ScriptedReply[] | ScriptFunction = [],
  options: ScriptedOpenAiServerOptions = {},
): Promise<ScriptedOpenAiServer> {
  const queue: ScriptedReply[] = Array.isArray(script) ? [...script] : [];
  let scriptFunction: ScriptFunction | undefined = Array.isArray(script) ? undefined : script;
  const requests: RecordedRequest[] = [];
  const models = options.models ?? ['gpt-4o-mini'];
  let chatCount = 0;

  const nextReply = (body: ScriptedRequestBody, index: number): ScriptedReply => {
    if (scriptFunction) return scriptFunction(body, index);
    return queue.shift() ?? { kind: 'error', status: 500, message: RAN_OUT, type: 'server_error', code: 'script_exhausted' };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawBody = await readBody(req);
    const path = (req.url ?? '/').split('?')[0];
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: parseJson(rawBody),
      rawBody,
      answered: false,
      clientClosed: false,
    };
    requests.push(record);
    // `res` closes either after our answer or when the client goes away; only the latter leaves it unfinished.
    res.on('close', () => {
      if (!res.writableFinished) record.clientClosed = true;
    });

    if (req.method === 'GET' && path === '/v1/models') {
      const data = models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'scripted' }));
      return send(res, record, 200, { object: 'list', data });
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      return send(res, record, 404, openAiError(`Unknown route ${req.method} ${path}`, 'invalid_request_error', 'unknown_url'));
    }
    if (record.body === undefined) {
      return send(res, record, 400, openAiError('The request body is not valid JSON.', 'invalid_request_error', null));
    }

    const index = chatCount++;
    record.index = index;
    const scripted = nextReply(record.body, index);
    record.reply = scripted;
    if (scripted.kind === 'hang') return;
    if (scripted.latencyMs) await delay(scripted.latencyMs);
    if (record.clientClosed) return;

    switch (scripted.kind) {
      case 'message':
      case 'tool_calls':
        return send(res, record, 200, completion(scripted, record.body, index));
      case 'error': {
        const headers: Record<string, string> = { ...scripted.headers };
        if (scripted.retryAfter !== undefined) headers['retry-after'] = String(scripted.retryAfter);
        if (scripted.retryAfterMs !== undefined) headers['retry-after-ms'] = String(scripted.retryAfterMs);
        const body = openAiError(
          scripted.message ?? defaultMessage(scripted.status),
          scripted.type ?? defaultType(scripted.status),
          scripted.code,
        );
        return send(res, record, scripted.status, body, headers);
      }
      case 'malformed': {
        const text = scripted.body ?? '{"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"mess';
        res.writeHead(scripted.status ?? 200, { 'content-type': scripted.contentType ?? 'application/json' });
        res.end(text, () => (record.answered = true));
        return;
      }
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(openAiError(`Scripted server failure: ${String(error)}`, 'server_error', null)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get chatRequests() {
      return requests.filter((request) => request.index !== undefined);
    },
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    setScript: (fn) => {
      scriptFunction = fn;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging requests and idle keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function completion(
  scripted: Extract<ScriptedReply, { kind: 'message' | 'tool_calls' }>,
  body: ScriptedRequestBody,
  index: number,
): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: null, refusal: null };
  let finishReason = scripted.finishReason;
  if (scripted.kind === 'message') {
    message.content = scripted.content;
    message.refusal = scripted.refusal ?? null;
    finishReason ??= 'stop';
  } else {
    message.content = scripted.content ?? null;
    message.tool_calls = scripted.calls.map((call, position) => ({
      id: call.id ?? `call_${index}_${position}`,
      type: 'function',
      function: {
        name: call.name,
        arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
      },
    }));
    finishReason ??= 'tool_calls';
  }
  const result: Record<string, unknown> = {
    id: `chatcmpl-scripted-${index}`,
    object: 'chat.completion',
    created: 1_700_000_000 + index,
    model: scripted.model ?? body.model ?? 'unknown',
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
  };
  if (scripted.usage !== null) {
    const usage = scripted.usage ?? { prompt_tokens: 0, completion_tokens: 0 };
    result.usage = {
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
      prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    };
  }
  return result;
}

function openAiError(message: string, type: string, code: string | null | undefined): Record<string, unknown> {
  return { error: { message, type, param: null, code: code ?? null } };
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Rate limit reached for requests. Please try again later.';
  if (status >= 500) return 'The server had an error while processing your request.';
  return `Scripted client error ${status}.`;
}

function defaultType(status: number): string {
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function send(res: ServerResponse, record: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body), () => (record.answered = true));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): ScriptedRequestBody | undefined {
  if (text.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as ScriptedRequestBody) : undefined;
  } catch {
    return undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
