import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A zero-latency OpenAI-compatible chat-completions server on loopback for the benchmarks (the tests have a
 * fuller one in test/support). It answers every request at once, as the script decides, and counts the
 * requests and the usage it reported, so a benchmark can compare what the service says it spent with what
 * the "provider" saw. Usage is derived from the sizes: prompt tokens ≈ request body chars / 4, completion
 * tokens ≈ answer chars / 4 (what a tokenizer gives for English and JSON, roughly).
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  minItems?: number;
  minimum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export interface ChatRequestBody {
  model?: string;
  messages?: Array<{ role?: string; content?: unknown }>;
  tools?: Array<{ type?: string; function?: { name?: string } }>;
  response_format?: { type?: string; json_schema?: { name?: string; schema?: JsonSchema } };
  [field: string]: unknown;
}

/** The answer to one request: plain content, or a call of one tool. */
export type ScriptedAnswer = { content: string } | { toolCall: { name: string; arguments: unknown } };

export type Script = (body: ChatRequestBody) => ScriptedAnswer;

export interface ScriptedLlm {
  /** The SDK's baseURL, including `/v1`. */
  readonly url: string;
  /** Chat completion requests answered since the last reset. */
  readonly calls: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** The raw body of the last chat completion request (to replay it with the SDK). */
  readonly lastBody: ChatRequestBody | undefined;
  reset(): void;
  setScript(script: Script): void;
  close(): Promise<void>;
}

/** A minimal instance of a JSON schema: required properties only, the first enum value, minimal lengths. */
export function exampleOf(schema: JsonSchema | undefined, name = 'value'): unknown {
  if (!schema) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const variant = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (variant) return exampleOf(variant, name);
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? schema.type[0]) : schema.type;
  switch (type ?? '') {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const key of schema.required ?? []) result[key] = exampleOf(schema.properties?.[key], key);
      return result;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => exampleOf(schema.items, name));
    case 'string': {
      const text = `Scripted ${name}: the computed figures speak for themselves.`;
      return text.padEnd(schema.minLength ?? 0, '.');
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return {};
  }
}

/** Answers what the request asks for: a JSON instance of its response schema, or a short sentence. */
export const answerRequest: Script = (body) => {
  const format = body.response_format;
  if (format?.type === 'json_schema') return { content: JSON.stringify(exampleOf(format.json_schema?.schema)) };
  return { content: 'Scripted answer.' };
};

/** How many tool results the conversation already holds (= tool-call turns answered before this request). */
export function toolResultsIn(body: ChatRequestBody): number {
  return (body.messages ?? []).filter((message) => message.role === 'tool').length;
}

/** All message contents of the request as one string (to find a marker the benchmark put in a description). */
export function conversationText(body: ChatRequestBody): string {
  return (body.messages ?? [])
    .map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content)))
    .join('\n');
}

function tokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

export async function startScriptedLlm(initial: Script = answerRequest): Promise<ScriptedLlm> {
  let script = initial;
  let calls = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  let lastBody: ChatRequestBody | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      sendJson(res, 404, { error: { message: `Unknown route ${req.method} ${path}`, type: 'invalid_request_error', code: null } });
      return;
    }
    const body = JSON.parse(raw) as ChatRequestBody;
    lastBody = body;
    const answer = script(body);
    const index = calls++;
    const message: Record<string, unknown> = { role: 'assistant', content: null, refusal: null };
    let answered: string;
    if ('content' in answer) {
      message.content = answer.content;
      answered = answer.content;
    } else {
      answered = JSON.stringify(answer.toolCall.arguments);
      message.tool_calls = [{ id: `call_${index}`, type: 'function', function: { name: answer.toolCall.name, arguments: answered } }];
    }
    const usage = { prompt_tokens: tokens(raw.length), completion_tokens: tokens(answered.length) };
    promptTokens += usage.prompt_tokens;
    completionTokens += usage.completion_tokens;
    sendJson(res, 200, {
      id: `chatcmpl-bench-${index}`,
      object: 'chat.completion',
      created: 1_700_000_000,
      model: body.model ?? 'unknown',
      choices: [{ index: 0, message, finish_reason: 'content' in answer ? 'stop' : 'tool_calls', logprobs: null }],
      usage: {
        ...usage,
        total_tokens: usage.prompt_tokens + usage.completion_tokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
      },
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error), type: 'server_error', code: null } });
      else res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get calls() {
      return calls;
    },
    get promptTokens() {
      return promptTokens;
    },
    get completionTokens() {
      return completionTokens;
    },
    get lastBody() {
      return lastBody;
    },
    reset() {
      calls = 0;
      promptTokens = 0;
      completionTokens = 0;
    },
    setScript(next) {
      script = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
