import { Injectable } from '@nestjs/common';
import type { TaskRunContext, TaskTypeDefinition } from '../../tasks/task-type.js';
import { AgentRegistry } from '../agent-registry.js';
import { Narrator } from './narrator.js';
import {
  childTrace,
  type LinkOutcome,
  newRunState,
  outcomeOf,
  ownerOf,
  type RunOptions,
  type RunState,
  type StrategyRunner,
  withNarrative,
} from './strategy-runner.js';
import { inStep } from './traced-step.js';

/** One specialist computes with its tool (the type's handler) and, with an LLM, explains the result. */
@Injectable()
export class SingleAgentRunner implements StrategyRunner {
  readonly links = ['single_agent'] as const;

  constructor(
    private readonly agents: AgentRegistry,
    private readonly narrator: Narrator,
  ) {}

  async run(definition: TaskTypeDefinition, parameters: object, context: TaskRunContext, options: RunOptions): Promise<LinkOutcome> {
    const state = newRunState(context, options);
    return outcomeOf(await this.within(definition, parameters, state, undefined), state);
  }

  /** The single-agent work inside a run (a crew part delegated to a specialist nests under `parentStepId`). */
  async within(definition: TaskTypeDefinition, parameters: object, state: RunState, parentStepId: string | undefined): Promise<unknown> {
    const agent = ownerOf(this.agents, definition);
    state.agentsUsed.add(agent.id);
    const trace = state.context.trace;
    // The narrative nests under the tool step but is written after it finished: its failure does not fail the step.
    let stepId = '';
    const computed = await inStep(
      state.context,
      { kind: 'tool', name: definition.type, agentId: agent.id, tier: agent.tier, parentStepId, input: parameters },
      async (step) => {
        stepId = step.id;
        return (await definition.run({ ...state.context, trace: childTrace(trace, step.id) }, parameters)).result;
      },
    );
    if (definition.freeForm) {
      state.usage.llm = true;
      return computed;
    }
    const narrative = await this.narrator.narrate(
      agent,
      state.context.description,
      { parameters, computed_result: computed },
      state,
      stepId,
    );
    return withNarrative(computed, narrative);
  }
}
