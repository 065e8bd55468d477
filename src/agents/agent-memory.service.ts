import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LLM_RUNTIME_CONFIG, type LlmRuntimeConfig } from '../llm/llm-runtime.config.js';
import { UnitOfWork } from '../tasks/unit-of-work.js';

export interface MemoryEntry {
  tenantId: string;
  agentId: string;
  taskId?: string | null;
  summary: string;
}

export const MEMORY_SUMMARY_LIMIT = 1000;

/**
 * Agent memory (ENABLE_AGENT_MEMORY, CREW_MEMORY_LIMIT): short summaries of past results per tenant and
 * agent, recalled by full-text relevance weighted by recency, the oldest evicted past the limit. Every
 * query is scoped to one tenant and one agent.
 */
@Injectable()
export class AgentMemory {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LLM_RUNTIME_CONFIG) private readonly runtime: LlmRuntimeConfig,
  ) {}

  get enabled(): boolean {
    return this.config.crew.memoryEnabled;
  }

  /**
   * The most relevant summaries for `query`: any of its words may match (the words of plainto_tsquery
   * joined with OR), ranked by ts_rank divided by (1 + age in weeks), newest first on ties.
   */
  async recall(
    manager: EntityManager,
    tenantId: string,
    agentId: string,
    query: string,
    limit = this.runtime.memoryRecallLimit,
  ): Promise<string[]> {
    if (!this.enabled || limit <= 0) return [];
    const rows = await manager.query<{ summary: string }[]>(
      `WITH q AS (SELECT replace(plainto_tsquery('english', $3)::text, ' & ', ' | ')::tsquery AS query)
       SELECT m.summary FROM agent_memory m, q
        WHERE m.tenant_id = $1 AND m.agent_id = $2 AND m.search @@ q.query
        ORDER BY ts_rank(m.search, q.query) / (1 + extract(epoch FROM now() - m.created_at) / 604800) DESC, m.seq DESC
        LIMIT $4`,
      [tenantId, agentId, query, limit],
    );
    return rows.map((row) => row.summary);
  }

  /**
   * Stores a summary and evicts the tenant's oldest entries for this agent beyond CREW_MEMORY_LIMIT. Memory is
   * bookkeeping, not a business write: made in the task's open transaction, it is written again on the pool if
   * that rolls back.
   */
  async remember(manager: EntityManager, entry: MemoryEntry): Promise<void> {
    if (!this.enabled) return;
    await UnitOfWork.keep(
      manager,
      () => this.store(manager, entry),
      (pool) => this.store(pool, entry),
    );
  }

  private async store(manager: EntityManager, entry: MemoryEntry): Promise<void> {
    await manager.query(`INSERT INTO agent_memory (tenant_id, agent_id, task_id, summary) VALUES ($1, $2, $3, $4)`, [
      entry.tenantId,
      entry.agentId,
      entry.taskId ?? null,
      entry.summary.slice(0, MEMORY_SUMMARY_LIMIT),
    ]);
    await manager.query(
      `DELETE FROM agent_memory WHERE id IN (
         SELECT id FROM agent_memory WHERE tenant_id = $1 AND agent_id = $2 ORDER BY seq DESC OFFSET $3)`,
      [entry.tenantId, entry.agentId, this.config.crew.memoryLimit],
    );
  }

  async count(manager: EntityManager, tenantId: string, agentId: string): Promise<number> {
    const rows = await manager.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM agent_memory WHERE tenant_id = $1 AND agent_id = $2`,
      [tenantId, agentId],
    );
    return rows[0]?.count ?? 0;
  }
}

/** The summary kept after a successful run: what was asked and what came out, bounded. */
export function memorySummary(instructions: string, output: unknown): string {
  const result = JSON.stringify(output) ?? 'null';
  const text = `${instructions.slice(0, 300)} → ${result}`;
  return text.length > MEMORY_SUMMARY_LIMIT ? `${text.slice(0, MEMORY_SUMMARY_LIMIT - 1)}…` : text;
}
