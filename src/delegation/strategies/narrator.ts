import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AgentDefinition, AgentRunResult } from '../../agents/agent.types.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AgentRegistry } from '../agent-registry.js';
import { AGENT_EXECUTOR, type AgentExecutorPort, NARRATIVE_SCHEMA } from './agent-executor.port.js';
import type { RunState } from './strategy-runner.js';

/** The narrative an agent writes over numbers the deterministic handlers computed. */
@Injectable()
export class Narrator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly agents: AgentRegistry,
    @Optional() @Inject(AGENT_EXECUTOR) private readonly executor?: AgentExecutorPort,
  ) {}

  /** With an LLM: the agent writes a narrative over the computed result. Without: null. */
  async narrate(agent: AgentDefinition, instructions: string, input: unknown, state: RunState, parentStepId: string): Promise<unknown> {
    if (!this.config.llm.enabled || !this.executor) return null;
    const run: AgentRunResult = await this.executor.run({
      agent,
      instructions,
      input,
      tools: this.agents.toolsOf(agent),
      resultSchema: NARRATIVE_SCHEMA,
      deterministic: () => Promise.resolve(null),
      context: state.context,
      parentStepId,
      forceDeterministic: state.forceDeterministic,
    });
    state.usage.llm = state.usage.llm || run.aiMode === 'llm';
    state.usage.degraded = state.usage.degraded || run.degraded;
    return run.output;
  }
}
