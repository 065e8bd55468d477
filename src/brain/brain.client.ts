import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { outboundRequest } from '../common/outbound-http.js';

export interface BrainCallOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  /** Per attempt. */
  timeoutMs?: number;
  /** Further attempts after the first on network errors, 429 and 5xx. */
  retries?: number;
  signal?: AbortSignal;
}

export interface BrainResponse {
  status: number;
  /** Parsed JSON, or the raw text when the answer is not JSON. */
  body: unknown;
}

/** The Brain API could not be reached at all (connection refused, DNS, timeout); `reason` says which. */
export class BrainUnreachableError extends Error {
  /** Its message is written for the caller: a task that fails with it shows it as its error (isExposed). */
  readonly expose = true;

  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`Brain API at ${url} is unreachable: ${reason}`);
    this.name = 'BrainUnreachableError';
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 2;
const BACKOFF_BASE_MS = 250;
const MAX_RETRY_AFTER_MS = 10_000;
const RETRYABLE = new Set([429, 500, 502, 503, 504]);
/** After a failed contact, best-effort callers (notices) leave the Brain alone this long. */
const UNREACHABLE_COOL_DOWN_MS = 60_000;

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, date - Date.now()));
}

/**
 * HTTP client of the Brain API (BRAIN_API_URL): bearer BRAIN_API_TOKEN, a timeout per attempt, retries
 * with exponential backoff (honouring Retry-After) on network errors, 429 and 5xx. The URL is operator
 * configuration, so private addresses are allowed for it (the Brain usually runs next to this service).
 */
@Injectable()
export class BrainClient {
  private lastFailureAt = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get baseUrl(): string {
    return this.config.brain.url;
  }

  /** False for a minute after the Brain could not be reached; best-effort traffic skips it meanwhile. */
  get probablyReachable(): boolean {
    return Date.now() - this.lastFailureAt > UNREACHABLE_COOL_DOWN_MS;
  }

  async call(path: string, options: BrainCallOptions = {}): Promise<BrainResponse> {
    const url = `${this.baseUrl}${path}`;
    const retries = options.retries ?? DEFAULT_RETRIES;
    for (let attempt = 0; ; attempt++) {
      let delayMs = BACKOFF_BASE_MS * 2 ** attempt;
      try {
        const response = await outboundRequest(url, {
          method: options.method ?? 'GET',
          headers: {
            accept: 'application/json',
            ...(this.config.brain.token ? { authorization: `Bearer ${this.config.brain.token}` } : {}),
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          signal: options.signal,
          allowPrivate: true,
          maxBytes: 1024 * 1024,
        });
        if (!RETRYABLE.has(response.status) || attempt >= retries) {
          this.lastFailureAt = response.status >= 500 ? Date.now() : 0;
          return { status: response.status, body: parseBody(response.body) };
        }
        delayMs = retryAfterMs(response.headers['retry-after']) ?? delayMs;
      } catch (error) {
        if (options.signal?.aborted || attempt >= retries) {
          this.lastFailureAt = Date.now();
          throw new BrainUnreachableError(url, describe(error));
        }
      }
      await sleep(delayMs, undefined, { signal: options.signal });
    }
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer in time (${message})`;
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}
