import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { TaskRunContext, TaskTypeDefinition } from '../../tasks/task-type.js';
import type { Strategy } from '../../tasks/task.types.js';
import { AgentRegistry } from '../agent-registry.js';
import { TaskTypeRegistry } from '../task-type.registry.js';
import { AGENT_EXECUTOR, type AgentExecutorPort } from './agent-executor.port.js';
import { FallbackChain } from './fallback-chain.js';
import { freeFormType } from './free-form.js';
import type { RunOptions, StrategyOutcome } from './strategy-runner.js';

export { FallbackExhaustedError } from './fallback-chain.js';
export type { ChainLink, StrategyOutcome } from './strategy-runner.js';

/**
 * Runs a task the way the delegation engine decided — direct, single agent, multi-agent (domain
 * supervisor plans, specialists and workers execute, supervisor synthesises) or crew workflow (master
 * supervisor over domain supervisors) — and falls back down the chain crew → multi → single →
 * deterministic when a strategy fails. Numbers always come from the types' deterministic handlers and
 * tools; with an LLM configured, agents add the narrative on top. Each strategy is a StrategyRunner; the
 * FallbackChain walks them.
 */
@Injectable()
export class StrategyExecutor {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly agents: AgentRegistry,
    private readonly taskTypes: TaskTypeRegistry,
    private readonly chain: FallbackChain,
    @Optional() @Inject(AGENT_EXECUTOR) private readonly executor?: AgentExecutorPort,
  ) {}

  /** A catalogue type, or — with an LLM configured and a domain given — a free-form type run by that domain's supervisor. */
  resolve(type: string, domain: string | null | undefined): TaskTypeDefinition | undefined {
    const known = this.taskTypes.get(type);
    if (known || !this.config.llm.enabled || !this.executor || !domain || !this.agents.findAgent(`${domain}_supervisor`)) return known;
    return freeFormType(type, domain, this.agents, this.executor);
  }

  execute(
    strategy: Strategy,
    definition: TaskTypeDefinition,
    parameters: object,
    context: TaskRunContext,
    options: RunOptions = {},
  ): Promise<StrategyOutcome> {
    return this.chain.run(strategy, definition, parameters, context, options);
  }
}
