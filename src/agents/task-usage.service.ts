import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LLM_RUNTIME_CONFIG, type LlmRuntimeConfig } from '../llm/llm-runtime.config.js';
import type { TokenUsage } from '../llm/prices.js';
import { CallBudgetUsedUp, TaskStore } from '../tasks/task.store.js';
import { LlmCallBudgetExceededError } from './agent.errors.js';

/**
 * The task row's LLM totals as the agents see them: the call budget (MAX_LLM_CALLS_PER_TASK) reserved before
 * each call, tokens and cost added after it, cache hits marked. The counting is the task repository's; `manager`
 * is the task's (its transaction while one is open).
 */
@Injectable()
export class TaskUsage {
  constructor(
    @Inject(LLM_RUNTIME_CONFIG) private readonly runtime: LlmRuntimeConfig,
    private readonly tasks: TaskStore,
  ) {}

  get maxCallsPerTask(): number {
    return this.runtime.maxLlmCallsPerTask;
  }

  /** Counts one LLM call against the task; throws LlmCallBudgetExceededError when the budget is used up. */
  async reserveCall(manager: EntityManager, taskId: string): Promise<number> {
    try {
      return await this.tasks.reserveCall(taskId, this.runtime.maxLlmCallsPerTask, manager);
    } catch (error) {
      if (error instanceof CallBudgetUsedUp) throw new LlmCallBudgetExceededError(taskId, error.limit);
      throw error;
    }
  }

  async addUsage(manager: EntityManager, taskId: string, usage: TokenUsage, costUsd: number): Promise<void> {
    await this.tasks.addUsage(taskId, usage, costUsd, manager);
  }

  async markCacheHit(manager: EntityManager, taskId: string): Promise<void> {
    await this.tasks.markCacheHit(taskId, manager);
  }
}
