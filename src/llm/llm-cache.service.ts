import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { ChatRequest, ChatResult } from './llm-client.js';
import type { CachedChat } from './llm-cache.types.js';
import { LlmCacheEntity } from './llm-cache.entity.js';

/** What identifies a chat completion: everything sent to the model except the signal. */
export type CacheableRequest = Omit<ChatRequest, 'signal'> & { model: string };

const PURGE_EVERY_MS = 10 * 60_000;

/** JSON with object keys sorted, so equal requests hash equally whatever order their fields were built in. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => stableJson(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 of model + messages + tools + parameters (tool choice, response format, temperature, max tokens). */
export function cacheKey(request: CacheableRequest): string {
  const identity = {
    model: request.model,
    messages: request.messages,
    tools: request.tools ?? [],
    tool_choice: request.toolChoice,
    response_format: request.responseFormat,
    temperature: request.temperature,
    max_tokens: request.maxTokens,
  };
  return createHash('sha256').update(stableJson(identity)).digest('hex');
}

/**
 * Postgres-backed response cache (ENABLE_CREW_CACHING, CREW_CACHE_TTL_SECONDS). Entries belong to one
 * tenant and are only ever looked up with that tenant; expired rows are ignored and purged now and then.
 */
@Injectable()
export class LlmCache {
  private readonly logger = new Logger(LlmCache.name);
  private lastPurge = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.crew.cachingEnabled;
  }

  /** The cached answer for this tenant and key, counting the hit; undefined on a miss or when caching is off. */
  async get(tenantId: string, key: string): Promise<CachedChat | undefined> {
    if (!this.enabled) return undefined;
    // An UPDATE through TypeORM's pg driver answers [rows, affected].
    const [rows] = await this.dataSource.query<[{ response: CachedChat }[], number]>(
      `UPDATE llm_cache SET hits = hits + 1, last_hit_at = now()
        WHERE tenant_id = $1 AND key = $2 AND expires_at > now()
        RETURNING response`,
      [tenantId, key],
    );
    const hit = rows[0];
    return hit?.response;
  }

  async put(tenantId: string, key: string, result: ChatResult): Promise<void> {
    if (!this.enabled) return;
    const response: CachedChat = {
      message: result.message,
      content: result.content,
      refusal: result.refusal,
      toolCalls: result.toolCalls,
      finishReason: result.finishReason,
      model: result.model,
    };
    await this.dataSource.query(
      `INSERT INTO llm_cache (tenant_id, key, model, response, input_tokens, output_tokens, cached_tokens, cost_usd, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::numeric, now() + make_interval(secs => $9))
       ON CONFLICT (tenant_id, key) DO UPDATE SET model = EXCLUDED.model, response = EXCLUDED.response,
         input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens, cached_tokens = EXCLUDED.cached_tokens,
         cost_usd = EXCLUDED.cost_usd, created_at = now(), expires_at = EXCLUDED.expires_at`,
      [
        tenantId,
        key,
        result.model,
        JSON.stringify(response),
        result.usage.inputTokens,
        result.usage.outputTokens,
        result.usage.cachedTokens,
        result.costUsd.toFixed(6),
        this.config.crew.cacheTtlS,
      ],
    );
    this.purgeOccasionally();
  }

  /** Deletes expired rows; answers how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.dataSource.createQueryBuilder().delete().from(LlmCacheEntity).where('expires_at <= now()').execute();
    return result.affected ?? 0;
  }

  private purgeOccasionally(): void {
    const now = Date.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    void this.purgeExpired().catch((error: unknown) => this.logger.warn(`Purging expired cache entries failed: ${String(error)}`));
  }
}
