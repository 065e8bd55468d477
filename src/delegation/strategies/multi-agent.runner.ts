import { Injectable } from '@nestjs/common';
import type { PlanStep, TaskRunContext, TaskTypeDefinition } from '../../tasks/task-type.js';
import { AgentRegistry } from '../agent-registry.js';
import { Narrator } from './narrator.js';
import { PlanRunner } from './plan-runner.js';
import {
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

/** The domain supervisor runs its plan over specialists and workers and synthesises the results. */
@Injectable()
export class MultiAgentRunner implements StrategyRunner {
  readonly links = ['multi_agent'] as const;

  constructor(
    private readonly agents: AgentRegistry,
    private readonly plans: PlanRunner,
    private readonly narrator: Narrator,
  ) {}

  async run(definition: TaskTypeDefinition, parameters: object, context: TaskRunContext, options: RunOptions): Promise<LinkOutcome> {
    const state = newRunState(context, options);
    return outcomeOf(await this.within(definition, parameters, state, undefined), state);
  }

  /** The multi-agent work inside a run (a crew's domain part nests under `parentStepId`, one plan deeper). */
  async within(definition: TaskTypeDefinition, parameters: object, state: RunState, parentStepId: string | undefined): Promise<unknown> {
    if (definition.domain === 'system') throw new Error(`${definition.type} has no domain supervisor`);
    const supervisor = this.agents.agent(`${definition.domain}_supervisor`);
    state.agentsUsed.add(supervisor.id);
    const catalogued = (definition.plan ?? this.defaultPlan(definition)).filter((s) => s.when?.(parameters) ?? true);
    const plan = await this.plans.supervise(
      supervisor,
      catalogued,
      (s) => s.taskType === definition.type || s.id === 'compute',
      parameters,
      state,
      parentStepId ? 2 : 1,
      parentStepId,
    );
    return inStep(
      state.context,
      {
        kind: 'delegate',
        name: `plan:${definition.type}`,
        agentId: supervisor.id,
        tier: supervisor.tier,
        parentStepId,
        input: plan.map((s) => ({ id: s.id, agent: s.agent, depends_on: s.dependsOn ?? [] })),
      },
      async (step) => {
        const results = await this.plans.run(plan, parameters, state, step.id);
        return definition.synthesize ? definition.synthesize(results, parameters) : this.defaultSynthesis(results);
      },
      async (synthesized, step) => {
        const narrative = await this.narrator.narrate(
          supervisor,
          state.context.description,
          { parameters, results: synthesized },
          state,
          step.id,
        );
        return withNarrative(synthesized, narrative);
      },
    );
  }

  /** Without a catalogue plan: the owner computes, after a worker profiles the input when the domain has one. */
  private defaultPlan(definition: TaskTypeDefinition): PlanStep[] {
    const owner = ownerOf(this.agents, definition);
    const worker = this.agents
      .subordinatesOf(`${definition.domain}_supervisor`)
      .find((a) => a.tier === 'worker' && a.tools.includes('profile_dataset'));
    const plan: PlanStep[] = [{ id: 'compute', agent: owner.id, instructions: `Run ${definition.type}`, taskType: definition.type }];
    if (worker) {
      plan.unshift({
        id: 'profile',
        agent: worker.id,
        instructions: 'Profile the input data (rows, missing values, ranges)',
        tool: 'profile_dataset',
        parameters: (p) => ({ data: p }),
      });
    }
    return plan;
  }

  private defaultSynthesis(results: Record<string, unknown>): unknown {
    const computed = results.compute;
    const base =
      computed && typeof computed === 'object' && !Array.isArray(computed) ? (computed as Record<string, unknown>) : { value: computed };
    return 'profile' in results ? { ...base, data_profile: results.profile } : base;
  }
}
