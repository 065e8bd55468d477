import { Inject, Injectable, Logger } from '@nestjs/common';
import { isExposed, ProblemException } from '../../common/problem.js';
import { logFor } from '../../common/request-context.js';
import type { TaskRunContext, TaskTypeDefinition } from '../../tasks/task-type.js';
import { STRATEGIES, type Strategy } from '../../tasks/task.types.js';
import {
  type ChainLink,
  DETERMINISTIC,
  type RunOptions,
  STRATEGY_RUNNERS,
  type StrategyOutcome,
  type StrategyRunner,
} from './strategy-runner.js';
import { errorText } from './traced-step.js';

/** Every strategy of the chain failed; carries the chain for the task record. */
export class FallbackExhaustedError extends Error {
  constructor(
    readonly fallbackChain: ChainLink[],
    readonly causes: string[],
  ) {
    super(`Every strategy failed (${fallbackChain.join(' → ')}): ${causes.join('; ')}`);
    this.name = 'FallbackExhaustedError';
  }
}

const AI_ORDER: Strategy[] = ['crew_workflow', 'multi_agent', 'single_agent'];

/** A link's failure as the task may show it: internal errors' text stays in the log. */
function publicCause(error: unknown): string {
  return isExposed(error) ? error.message : 'an unexpected error (details in the service log)';
}

/**
 * Walks the fallback chain crew → multi → single → deterministic from the decided strategy down, each link
 * on a fresh run, and records the links it took; a direct strategy is a chain of one.
 */
@Injectable()
export class FallbackChain {
  private readonly logger = new Logger(FallbackChain.name);
  private readonly runners = new Map<ChainLink, StrategyRunner>();

  constructor(@Inject(STRATEGY_RUNNERS) runners: StrategyRunner[]) {
    for (const runner of runners) for (const link of runner.links) this.runners.set(link, runner);
    const links: ChainLink[] = [...STRATEGIES, DETERMINISTIC];
    const missing = links.filter((link) => !this.runners.has(link));
    if (missing.length > 0) throw new Error(`No strategy runner for ${missing.join(', ')}`);
  }

  /** The chain for a decided strategy: itself, then the AI strategies below it the type supports, then deterministic. */
  chainFor(strategy: Strategy, definition: TaskTypeDefinition): ChainLink[] {
    const index = AI_ORDER.indexOf(strategy);
    if (index === -1) return [strategy];
    const supported = new Set(definition.supportedStrategies ?? [definition.strategy]);
    const below = AI_ORDER.slice(index + 1).filter((s) => supported.has(s));
    return [strategy, ...below, DETERMINISTIC];
  }

  async run(
    strategy: Strategy,
    definition: TaskTypeDefinition,
    parameters: object,
    context: TaskRunContext,
    options: RunOptions = {},
  ): Promise<StrategyOutcome> {
    const chain = this.chainFor(strategy, definition);
    const taken: ChainLink[] = [];
    const causes: string[] = [];
    for (const link of chain) {
      taken.push(link);
      try {
        const outcome = await (this.runners.get(link) as StrategyRunner).run(definition, parameters, context, options);
        return {
          result: outcome.result,
          aiMode: outcome.aiMode,
          agentsUsed: outcome.agentsUsed,
          fallbackChain: taken,
          degraded: outcome.degraded,
        };
      } catch (error) {
        // Bad input and cancellation are not strategy failures, and a direct strategy has nothing to fall back to.
        if (context.signal.aborted || error instanceof ProblemException || chain.length === 1) throw error;
        causes.push(`${link}: ${publicCause(error)}`);
        logFor(context.requestId, () => this.logger.warn(`Task ${context.taskId}: ${link} failed (${errorText(error)}); falling back`));
      }
    }
    throw new FallbackExhaustedError(taken, causes);
  }
}
