import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LLM_RUNTIME_CONFIG, type LlmRuntimeConfig } from '../llm/llm-runtime.config.js';
import type { TokenUsage } from '../llm/prices.js';
import { UnitOfWork } from '../tasks/unit-of-work.js';
import { LlmCallBudgetExceededError } from './agent.errors.js';

/**
 * The task row's LLM totals, kept with atomic increments as calls happen, so agents running concurrently
 * for one task (and instances, and attempts) add up exactly. tasks.llm_calls doubles as the per-task call
 * budget (MAX_LLM_CALLS_PER_TASK): a call is reserved before it is made.
 */
@Injectable()
export class TaskUsage {
  constructor(@Inject(LLM_RUNTIME_CONFIG) private readonly runtime: LlmRuntimeConfig) {}

  get maxCallsPerTask(): number {
    return this.runtime.maxLlmCallsPerTask;
  }

  /** Counts one LLM call against the task; throws LlmCallBudgetExceededError when the budget is used up. */
  async reserveCall(manager: EntityManager, taskId: string): Promise<number> {
    const limit = this.runtime.maxLlmCallsPerTask;
    // Spent even if the task's writes roll back: counted again on the pool then.
    const [rows] = await UnitOfWork.keep(
      manager,
      (m) =>
        m.query<[{ llm_calls: number }[], number]>(
          `UPDATE tasks SET llm_calls = llm_calls + 1 WHERE id = $1 AND llm_calls < $2 RETURNING llm_calls`,
          [taskId, limit],
        ),
      async (m, [reserved]) => {
        if (reserved.length > 0) await m.query(`UPDATE tasks SET llm_calls = llm_calls + 1 WHERE id = $1`, [taskId]);
      },
    );
    if (rows.length > 0) return rows[0].llm_calls;
    const exists = await manager.query<unknown[]>(`SELECT 1 FROM tasks WHERE id = $1`, [taskId]);
    if (exists.length === 0)
      throw new Error(`Task ${taskId} has no row: LLM calls are counted on the task row, so only persisted tasks can make them`);
    throw new LlmCallBudgetExceededError(taskId, limit);
  }

  async addUsage(manager: EntityManager, taskId: string, usage: TokenUsage, costUsd: number): Promise<void> {
    const add = (m: EntityManager) =>
      m.query(
        `UPDATE tasks SET input_tokens = input_tokens + $2, output_tokens = output_tokens + $3,
                cached_tokens = cached_tokens + $4, cost_usd = cost_usd + $5::numeric
          WHERE id = $1`,
        [taskId, usage.inputTokens, usage.outputTokens, usage.cachedTokens, costUsd.toFixed(6)],
      );
    await UnitOfWork.keep(manager, add, add);
  }

  async markCacheHit(manager: EntityManager, taskId: string): Promise<void> {
    const mark = (m: EntityManager) => m.query(`UPDATE tasks SET cache_hit = true WHERE id = $1 AND NOT cache_hit`, [taskId]);
    await UnitOfWork.keep(manager, mark, mark);
  }
}
