import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { AgentDefinition, AgentRunResult } from '../../agents/agent.types.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { isExposed, ProblemException } from '../../common/problem.js';
import { validateDto } from '../../common/validation.js';
import type { AiMode, Strategy } from '../../tasks/task.types.js';
import { AgentRegistry } from '../agent-registry.js';
import { MASTER_SUPERVISOR_ID } from '../master-supervisor.js';
import type { PlanStep, StepStart, TaskOutcome, TaskRunContext, TaskTypeDefinition, TraceWriter } from '../../tasks/task-type.js';
import { TaskTypeRegistry } from '../task-type.registry.js';
import {
  AGENT_EXECUTOR,
  AGENT_PLANNER,
  type AgentExecutorPort,
  type AgentPlannerPort,
  FREE_FORM_SCHEMA,
  NARRATIVE_SCHEMA,
} from './agent-executor.port.js';
import { logFor } from '../../common/request-context.js';

/** The last resort of the fallback chain: the type's deterministic handler, run directly. */
export const DETERMINISTIC = 'deterministic';
export type ChainLink = Strategy | typeof DETERMINISTIC;

export interface StrategyOutcome extends TaskOutcome {
  fallbackChain: ChainLink[];
  degraded: boolean;
}

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

interface RunState {
  context: TaskRunContext;
  forceDeterministic: boolean;
  agentsUsed: Set<string>;
  usage: { llm: boolean; degraded: boolean };
}

/** Sub-steps of a handler nest under `parentStepId` in the trace. */
function childTrace(trace: TraceWriter, parentStepId: string): TraceWriter {
  return {
    start: (step: StepStart) => trace.start({ parentStepId, ...step }),
    run: (step, work, describe) => trace.run({ parentStepId, ...step }, work, describe),
  };
}

function withNarrative(result: unknown, narrative: unknown): unknown {
  if (result && typeof result === 'object' && !Array.isArray(result)) return { ...(result as Record<string, unknown>), narrative };
  return { value: result, narrative };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A link's failure as the task may show it: internal errors' text stays in the log. */
function publicCause(error: unknown): string {
  return isExposed(error) ? error.message : 'an unexpected error (details in the service log)';
}

/**
 * Runs a task the way the delegation engine decided — direct, single agent, multi-agent (domain
 * supervisor plans, specialists and workers execute, supervisor synthesises) or crew workflow (master
 * supervisor over domain supervisors) — and falls back down the chain crew → multi → single →
 * deterministic when a strategy fails. Numbers always come from the types' deterministic handlers and
 * tools; with an LLM configured, agents add the narrative on top.
 */
@Injectable()
export class StrategyExecutor {
  private readonly logger = new Logger(StrategyExecutor.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly agents: AgentRegistry,
    private readonly taskTypes: TaskTypeRegistry,
    @Optional() @Inject(AGENT_EXECUTOR) private readonly executor?: AgentExecutorPort,
    @Optional() @Inject(AGENT_PLANNER) private readonly planner?: AgentPlannerPort,
  ) {}

  /** A catalogue type, or — with an LLM configured and a domain given — a free-form type run by that domain's supervisor. */
  resolve(type: string, domain: string | null | undefined): TaskTypeDefinition | undefined {
    const known = this.taskTypes.get(type);
    if (known || !this.config.llm.enabled || !this.executor || !domain || !this.agents.findAgent(`${domain}_supervisor`)) return known;
    return this.freeForm(type, domain);
  }

  private freeForm(type: string, domain: string): TaskTypeDefinition {
    const supervisor = this.agents.agent(`${domain}_supervisor`);
    // The supervisor may use every tool of its domain for work the catalogue does not describe.
    const domainAgents = this.agents.all().filter((agent) => agent.domain === domain);
    const tools = [...new Set(domainAgents.flatMap((agent) => agent.tools))];
    const agent = { ...supervisor, tools };
    const executor = this.executor as AgentExecutorPort;
    return {
      type,
      domain: domain as TaskTypeDefinition['domain'],
      description: `Free-form task run by ${supervisor.name}`,
      complexity: 'moderate',
      strategy: 'single_agent',
      supportedStrategies: ['single_agent'],
      requiresAi: true,
      freeForm: true,
      agent: supervisor.id,
      parameters: Object,
      resultSchema: FREE_FORM_SCHEMA,
      run: async (context, parameters) => {
        const run = await executor.run({
          agent,
          instructions: context.description,
          input: parameters,
          tools: this.agents.toolsOf(agent),
          resultSchema: FREE_FORM_SCHEMA,
          deterministic: () => Promise.reject(new Error(`${type} is not in the catalogue and has no deterministic handler`)),
          context,
        });
        if (run.degraded) throw new Error(run.degradedReason ?? 'the model did not produce a valid answer');
        return { result: run.output, aiMode: run.aiMode, agentsUsed: [supervisor.id] };
      },
    };
  }

  /** The chain for a decided strategy: itself, then the AI strategies below it the type supports, then deterministic. */
  chainFor(strategy: Strategy, definition: TaskTypeDefinition): ChainLink[] {
    const index = AI_ORDER.indexOf(strategy);
    if (index === -1) return [strategy];
    const supported = new Set(definition.supportedStrategies ?? [definition.strategy]);
    const below = AI_ORDER.slice(index + 1).filter((s) => supported.has(s));
    return [strategy, ...below, DETERMINISTIC];
  }

  async execute(
    strategy: Strategy,
    definition: TaskTypeDefinition,
    parameters: object,
    context: TaskRunContext,
    options: { forceDeterministic?: boolean } = {},
  ): Promise<StrategyOutcome> {
    const chain = this.chainFor(strategy, definition);
    const taken: ChainLink[] = [];
    const causes: string[] = [];
    for (const link of chain) {
      taken.push(link);
      const state: RunState = {
        context,
        forceDeterministic: options.forceDeterministic ?? false,
        agentsUsed: new Set(),
        usage: { llm: false, degraded: false },
      };
      try {
        const result = await this.runAs(link, definition, parameters, state);
        return {
          result,
          aiMode: state.usage.llm ? 'llm' : 'deterministic',
          agentsUsed: [...state.agentsUsed],
          fallbackChain: taken,
          degraded: state.usage.degraded,
        };
      } catch (error) {
        // Bad input and cancellation are not strategy failures, and a direct strategy has nothing to fall back to.
        if (context.signal.aborted || error instanceof ProblemException || chain.length === 1) throw error;
        causes.push(`${link}: ${publicCause(error)}`);
        logFor(context.requestId, () => this.logger.warn(`Task ${context.taskId}: ${link} failed (${describe(error)}); falling back`));
      }
    }
    throw new FallbackExhaustedError(taken, causes);
  }

  private runAs(link: ChainLink, definition: TaskTypeDefinition, parameters: object, state: RunState): Promise<unknown> {
    switch (link) {
      case 'direct_db':
      case 'direct_api':
        return definition.run(state.context, parameters).then((outcome) => outcome.result);
      case DETERMINISTIC:
        return state.context.trace.run({ kind: 'direct', name: definition.type, input: parameters }, () =>
          definition.run(state.context, parameters).then((outcome) => outcome.result),
        );
      case 'single_agent':
        return this.singleAgent(definition, parameters, state, undefined);
      case 'multi_agent':
        return this.multiAgent(definition, parameters, state, undefined);
      case 'crew_workflow':
        return this.crewWorkflow(definition, parameters, state);
    }
  }

  private owner(definition: TaskTypeDefinition): AgentDefinition {
    if (definition.agent) return this.agents.agent(definition.agent);
    if (definition.domain === 'system') throw new Error(`${definition.type} has no agent`);
    return this.agents.agent(`${definition.domain}_supervisor`);
  }

  /** One specialist computes with its tool (the type's handler) and, with an LLM, explains the result. */
  private async singleAgent(definition: TaskTypeDefinition, parameters: object, state: RunState, parentStepId?: string): Promise<unknown> {
    const agent = this.owner(definition);
    state.agentsUsed.add(agent.id);
    const trace = state.context.trace;
    const step = await trace.start({
      kind: 'tool',
      name: definition.type,
      agentId: agent.id,
      tier: agent.tier,
      parentStepId,
      input: parameters,
    });
    let computed: unknown;
    try {
      const outcome = await definition.run({ ...state.context, trace: childTrace(trace, step.id) }, parameters);
      computed = outcome.result;
      await step.finish({ output: computed });
    } catch (error) {
      await step.finish({ status: state.context.signal.aborted ? 'cancelled' : 'failed', error: describe(error) });
      throw error;
    }
    if (definition.freeForm) {
      state.usage.llm = true;
      return computed;
    }
    const narrative = await this.narrate(agent, state.context.description, { parameters, computed_result: computed }, state, step.id);
    return withNarrative(computed, narrative);
  }

  /** With an LLM: the agent writes a narrative over the computed result. Without: null. */
  private async narrate(
    agent: AgentDefinition,
    instructions: string,
    input: unknown,
    state: RunState,
    parentStepId: string,
  ): Promise<unknown> {
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

  /**
   * With an LLM, the supervisor plans: it assigns the available work units (the catalogue plan's steps) to
   * the agents that exist under it, as structured output restricted to them. The work itself stays the
   * deterministic steps; units the plan gives no agent are skipped, except `required` ones (the type's own
   * computation). Without an LLM the catalogue plan is used as it is.
   */
  private async supervise(
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

  private defaultPlan(definition: TaskTypeDefinition): PlanStep[] {
    const owner = this.owner(definition);
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

  /** Runs plan steps, independent ones in parallel, each after the steps it depends on. */
  private async runPlan(fullPlan: PlanStep[], parameters: object, state: RunState, parentStepId: string): Promise<Record<string, unknown>> {
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

  private async runStep(step: PlanStep, parameters: object, state: RunState, parentStepId: string): Promise<unknown> {
    const agent = this.agents.agent(step.agent);
    state.agentsUsed.add(agent.id);
    const trace = state.context.trace;
    const handle = await trace.start({
      kind: 'delegate',
      name: step.id,
      agentId: agent.id,
      tier: agent.tier,
      parentStepId,
      input: step.instructions,
    });
    try {
      let output: unknown;
      if (step.tool) {
        if (!agent.tools.includes(step.tool)) throw new Error(`${agent.id} may not use tool ${step.tool}`);
        const tool = this.agents.tool(step.tool);
        const validated = await validateDto(tool.parameters, parameters, `plan.${step.id}`);
        output = await trace.run({ kind: 'tool', name: tool.name, agentId: agent.id, tier: agent.tier, parentStepId: handle.id }, () =>
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
      } else if (step.taskType) {
        const definition = this.taskTypes.get(step.taskType);
        if (!definition) throw new Error(`Plan step ${step.id} names unknown task type ${step.taskType}`);
        const validated = await validateDto(definition.parameters, parameters, `plan.${step.id}`);
        output = (await definition.run({ ...state.context, trace: childTrace(trace, handle.id) }, validated)).result;
      } else {
        throw new Error(`Plan step ${step.id} names neither a tool nor a task type`);
      }
      await handle.finish({ output });
      return output;
    } catch (error) {
      await handle.finish({ status: state.context.signal.aborted ? 'cancelled' : 'failed', error: describe(error) });
      throw error;
    }
  }

  /** The domain supervisor runs its plan over specialists and workers and synthesises the results. */
  private async multiAgent(definition: TaskTypeDefinition, parameters: object, state: RunState, parentStepId?: string): Promise<unknown> {
    if (definition.domain === 'system') throw new Error(`${definition.type} has no domain supervisor`);
    const supervisor = this.agents.agent(`${definition.domain}_supervisor`);
    state.agentsUsed.add(supervisor.id);
    const trace = state.context.trace;
    const catalogued = (definition.plan ?? this.defaultPlan(definition)).filter((s) => s.when?.(parameters) ?? true);
    const plan = await this.supervise(
      supervisor,
      catalogued,
      (s) => s.taskType === definition.type || s.id === 'compute',
      parameters,
      state,
      parentStepId ? 2 : 1,
      parentStepId,
    );
    const step = await trace.start({
      kind: 'delegate',
      name: `plan:${definition.type}`,
      agentId: supervisor.id,
      tier: supervisor.tier,
      parentStepId,
      input: plan.map((s) => ({ id: s.id, agent: s.agent, depends_on: s.dependsOn ?? [] })),
    });
    try {
      const results = await this.runPlan(plan, parameters, state, step.id);
      const synthesized = definition.synthesize ? definition.synthesize(results, parameters) : this.defaultSynthesis(results);
      await step.finish({ output: synthesized });
      const narrative = await this.narrate(supervisor, state.context.description, { parameters, results: synthesized }, state, step.id);
      return withNarrative(synthesized, narrative);
    } catch (error) {
      await step.finish({ status: state.context.signal.aborted ? 'cancelled' : 'failed', error: describe(error) });
      throw error;
    }
  }

  private defaultSynthesis(results: Record<string, unknown>): unknown {
    const computed = results.compute;
    const base =
      computed && typeof computed === 'object' && !Array.isArray(computed) ? (computed as Record<string, unknown>) : { value: computed };
    return 'profile' in results ? { ...base, data_profile: results.profile } : base;
  }

  /** The master supervisor runs each domain supervisor's part (as multi-agent work) and merges them. */
  private async crewWorkflow(definition: TaskTypeDefinition, parameters: object, state: RunState): Promise<unknown> {
    const master = this.agents.agent(MASTER_SUPERVISOR_ID);
    state.agentsUsed.add(master.id);
    const trace = state.context.trace;
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
    const plan = await this.supervise(
      master,
      catalogued,
      (part) => part.agent === `${definition.domain}_supervisor`,
      parameters,
      state,
      1,
      undefined,
    );
    const step = await trace.start({
      kind: 'delegate',
      name: `crew:${definition.type}`,
      agentId: master.id,
      tier: master.tier,
      input: plan.map((s) => ({ id: s.id, agent: s.agent })),
    });
    try {
      const results: Record<string, unknown> = {};
      await Promise.all(
        plan.map(async (part) => {
          const sub = part.taskType ? this.taskTypes.get(part.taskType) : undefined;
          if (!sub) throw new Error(`Crew step ${part.id} names unknown task type ${part.taskType ?? '(none)'}`);
          const subParameters = await validateDto(
            sub.parameters,
            part.parameters ? part.parameters(parameters) : parameters,
            `crew.${part.id}`,
          );
          const canMulti = sub.domain !== 'system' && (sub.supportedStrategies ?? [sub.strategy]).includes('multi_agent');
          if (canMulti) {
            results[part.id] = await this.multiAgent(
              sub === definition ? { ...sub, crewPlan: undefined } : sub,
              subParameters,
              state,
              step.id,
            );
            return;
          }
          // The domain supervisor still delegates the part to its specialist.
          const supervisor = this.agents.agent(part.agent);
          state.agentsUsed.add(supervisor.id);
          const delegated = await trace.start({
            kind: 'delegate',
            name: part.id,
            agentId: supervisor.id,
            tier: supervisor.tier,
            parentStepId: step.id,
            input: part.instructions,
          });
          try {
            results[part.id] = await this.singleAgent(sub, subParameters, state, delegated.id);
            await delegated.finish({ output: results[part.id] });
          } catch (error) {
            await delegated.finish({ status: state.context.signal.aborted ? 'cancelled' : 'failed', error: describe(error) });
            throw error;
          }
        }),
      );
      const synthesized =
        definition.crewPlan && definition.synthesizeCrew
          ? definition.synthesizeCrew(results, parameters)
          : definition.crewPlan && definition.synthesize
            ? definition.synthesize(results, parameters)
            : plan.length === 1
              ? results[plan[0].id]
              : results;
      await step.finish({ output: synthesized });
      const narrative =
        plan.length > 1
          ? await this.narrate(master, state.context.description, { parameters, results: synthesized }, state, step.id)
          : null;
      return plan.length > 1 ? withNarrative(synthesized, narrative) : synthesized;
    } catch (error) {
      await step.finish({ status: state.context.signal.aborted ? 'cancelled' : 'failed', error: describe(error) });
      throw error;
    }
  }
}

export type { AiMode };
