import { Injectable } from '@nestjs/common';
import { validateDto } from '../../common/validation.js';
import type { PlanStep, TaskRunContext, TaskTypeDefinition } from '../../tasks/task-type.js';
import { AgentRegistry } from '../agent-registry.js';
import { MASTER_SUPERVISOR_ID } from '../master-supervisor.js';
import { TaskTypeRegistry } from '../task-type.registry.js';
import { MultiAgentRunner } from './multi-agent.runner.js';
import { Narrator } from './narrator.js';
import { PlanRunner } from './plan-runner.js';
import { SingleAgentRunner } from './single-agent.runner.js';
import {
  type LinkOutcome,
  newRunState,
  outcomeOf,
  type RunOptions,
  type RunState,
  type StrategyRunner,
  withNarrative,
} from './strategy-runner.js';
import { inStep } from './traced-step.js';

/** The master supervisor runs each domain supervisor's part (as multi-agent work) and merges them. */
@Injectable()
export class CrewWorkflowRunner implements StrategyRunner {
  readonly links = ['crew_workflow'] as const;

  constructor(
    private readonly agents: AgentRegistry,
    private readonly taskTypes: TaskTypeRegistry,
    private readonly plans: PlanRunner,
    private readonly narrator: Narrator,
    private readonly single: SingleAgentRunner,
    private readonly multi: MultiAgentRunner,
  ) {}

  async run(definition: TaskTypeDefinition, parameters: object, context: TaskRunContext, options: RunOptions): Promise<LinkOutcome> {
    const state = newRunState(context, options);
    const master = this.agents.agent(MASTER_SUPERVISOR_ID);
    state.agentsUsed.add(master.id);
    const catalogued: PlanStep[] = (
      definition.crewPlan ?? [
        {
          id: definition.domain,
          agent: `${definition.domain}_supervisor`,
          instructions: definition.description,
          taskType: definition.type,
        },
      ]
    ).filter((part) => part.when?.(parameters) ?? true);
    const plan = await this.plans.supervise(
      master,
      catalogued,
      (part) => part.agent === `${definition.domain}_supervisor`,
      parameters,
      state,
      1,
      undefined,
    );
    const result = await inStep(
      context,
      {
        kind: 'delegate',
        name: `crew:${definition.type}`,
        agentId: master.id,
        tier: master.tier,
        input: plan.map((s) => ({ id: s.id, agent: s.agent })),
      },
      async (step) => {
        const results: Record<string, unknown> = {};
        await Promise.all(
          plan.map(async (part) => {
            results[part.id] = await this.runPart(definition, part, parameters, state, step.id);
          }),
        );
        return definition.crewPlan && definition.synthesizeCrew
          ? definition.synthesizeCrew(results, parameters)
          : definition.crewPlan && definition.synthesize
            ? definition.synthesize(results, parameters)
            : plan.length === 1
              ? results[plan[0].id]
              : results;
      },
      async (synthesized, step) => {
        if (plan.length <= 1) return synthesized;
        const narrative = await this.narrator.narrate(master, context.description, { parameters, results: synthesized }, state, step.id);
        return withNarrative(synthesized, narrative);
      },
    );
    return outcomeOf(result, state);
  }

  /** One domain supervisor's part: multi-agent work when its type can run so, else delegated to its specialist. */
  private async runPart(
    definition: TaskTypeDefinition,
    part: PlanStep,
    parameters: object,
    state: RunState,
    crewStepId: string,
  ): Promise<unknown> {
    const sub = part.taskType ? this.taskTypes.get(part.taskType) : undefined;
    if (!sub) throw new Error(`Crew step ${part.id} names unknown task type ${part.taskType ?? '(none)'}`);
    const subParameters = await validateDto(sub.parameters, part.parameters ? part.parameters(parameters) : parameters, `crew.${part.id}`);
    const canMulti = sub.domain !== 'system' && (sub.supportedStrategies ?? [sub.strategy]).includes('multi_agent');
    if (canMulti) {
      return this.multi.within(sub === definition ? { ...sub, crewPlan: undefined } : sub, subParameters, state, crewStepId);
    }
    // The domain supervisor still delegates the part to its specialist.
    const supervisor = this.agents.agent(part.agent);
    state.agentsUsed.add(supervisor.id);
    return inStep(
      state.context,
      {
        kind: 'delegate',
        name: part.id,
        agentId: supervisor.id,
        tier: supervisor.tier,
        parentStepId: crewStepId,
        input: part.instructions,
      },
      (delegated) => this.single.within(sub, subParameters, state, delegated.id),
    );
  }
}
