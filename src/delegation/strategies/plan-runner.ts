import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AgentDefinition } from '../../agents/agent.types.js';
import { validateDto } from '../../common/validation.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { PlanStep } from '../../tasks/task-type.js';
import { AgentRegistry } from '../agent-registry.js';
import { MASTER_SUPERVISOR_ID } from '../master-supervisor.js';
import { TaskTypeRegistry } from '../task-type.registry.js';
import { AGENT_PLANNER, type AgentPlannerPort } from './agent-executor.port.js';
import { childTrace, type RunState } from './strategy-runner.js';
import { inStep } from './traced-step.js';

/** Plans of the multi-agent and crew strategies: the supervisor's choice of work units, and running them. */
@Injectable()
export class PlanRunner {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly agents: AgentRegistry,
    private readonly taskTypes: TaskTypeRegistry,
    @Optional() @Inject(AGENT_PLANNER) private readonly planner?: AgentPlannerPort,
  ) {}

  /**
   * With an LLM, the supervisor plans: it assigns the available work units (the catalogue plan's steps) to
   * the agents that exist under it, as structured output restricted to them. The work itself stays the
   * deterministic steps; units the plan gives no agent are skipped, except `required` ones (the type's own
   * computation). Without an LLM the catalogue plan is used as it is.
   */
  async supervise(
    supervisor: AgentDefinition,
    plan: PlanStep[],
    required: (step: PlanStep) => boolean,
    parameters: object,
    state: RunState,
    depth: number,
    parentStepId: string | undefined,
  ): Promise<PlanStep[]> {
    if (!this.config.llm.enabled || !this.planner || state.forceDeterministic || plan.length === 0) return plan;
    const candidates = [...new Set(plan.map((step) => step.agent))].filter((id) => id !== supervisor.id).map((id) => this.agents.agent(id));
    if (candidates.length === 0) return plan;
    const planned = await this.planner.plan({
      supervisor,
      instructions: state.context.description,
      input: { parameters, work_units: plan.map((step) => ({ id: step.id, agent_id: step.agent, work: step.instructions })) },
      candidates,
      maxSubtasks: Math.max(plan.length * 2, 2),
      context: state.context,
      depth,
      delegatedBy: depth > 1 ? MASTER_SUPERVISOR_ID : undefined,
      parentStepId,
    });
    state.usage.llm = true;
    const assigned = new Set(planned.subtasks.map((subtask) => subtask.agent_id));
    const kept = plan.filter((step) => assigned.has(step.agent) || required(step));
    return kept.length > 0 ? kept : plan;
  }

  /** Runs plan steps, independent ones in parallel, each after the steps it depends on. */
  async run(fullPlan: PlanStep[], parameters: object, state: RunState, parentStepId: string): Promise<Record<string, unknown>> {
    const plan = fullPlan.filter((step) => step.when?.(parameters) ?? true);
    const ids = new Set(plan.map((step) => step.id));
    for (const step of plan) {
      for (const dependency of step.dependsOn ?? [])
        if (!ids.has(dependency)) throw new Error(`Plan step ${step.id} depends on unknown ${dependency}`);
    }
    const results: Record<string, unknown> = {};
    const started = new Map<string, Promise<void>>();
    const start = (step: PlanStep): Promise<void> => {
      let promise = started.get(step.id);
      if (!promise) {
        promise = (async () => {
          await Promise.all((step.dependsOn ?? []).map((id) => start(plan.find((s) => s.id === id) as PlanStep)));
          results[step.id] = await this.runStep(step, step.parameters ? step.parameters(parameters) : parameters, state, parentStepId);
        })();
        started.set(step.id, promise);
      }
      return promise;
    };
    await Promise.all(plan.map(start));
    return results;
  }

  /** One plan step: its agent runs the step's tool or catalogue type, under a delegate step of its own. */
  private async runStep(step: PlanStep, parameters: object, state: RunState, parentStepId: string): Promise<unknown> {
    const agent = this.agents.agent(step.agent);
    state.agentsUsed.add(agent.id);
    const trace = state.context.trace;
    const delegated = {
      kind: 'delegate',
      name: step.id,
      agentId: agent.id,
      tier: agent.tier,
      parentStepId,
      input: step.instructions,
    } as const;
    return inStep(state.context, delegated, async (handle) => {
      if (step.tool) {
        if (!agent.tools.includes(step.tool)) throw new Error(`${agent.id} may not use tool ${step.tool}`);
        const tool = this.agents.tool(step.tool);
        const validated = await validateDto(tool.parameters, parameters, `plan.${step.id}`);
        return trace.run({ kind: 'tool', name: tool.name, agentId: agent.id, tier: agent.tier, parentStepId: handle.id }, () =>
          tool.execute(
            {
              tenantId: state.context.tenantId,
              taskId: state.context.taskId,
              signal: state.context.signal,
              manager: state.context.manager,
              write: state.context.write,
              trace,
              parentStepId: handle.id,
            },
            validated,
          ),
        );
      }
      if (step.taskType) {
        const definition = this.taskTypes.get(step.taskType);
        if (!definition) throw new Error(`Plan step ${step.id} names unknown task type ${step.taskType}`);
        const validated = await validateDto(definition.parameters, parameters, `plan.${step.id}`);
        return (await definition.run({ ...state.context, trace: childTrace(trace, handle.id) }, validated)).result;
      }
      throw new Error(`Plan step ${step.id} names neither a tool nor a task type`);
    });
  }
}
