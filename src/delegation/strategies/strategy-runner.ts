import type { AgentDefinition } from '../../agents/agent.types.js';
import type { StepStart, TaskOutcome, TaskRunContext, TaskTypeDefinition, TraceWriter } from '../../tasks/task-type.js';
import type { Strategy } from '../../tasks/task.types.js';
import type { AgentRegistry } from '../agent-registry.js';

/** The last resort of the fallback chain: the type's deterministic handler, run directly. */
export const DETERMINISTIC = 'deterministic';
export type ChainLink = Strategy | typeof DETERMINISTIC;

export interface StrategyOutcome extends TaskOutcome {
  fallbackChain: ChainLink[];
  degraded: boolean;
}

/** What one link of the chain produced; the fallback chain adds the links it took. */
export type LinkOutcome = Omit<StrategyOutcome, 'fallbackChain'>;

export interface RunOptions {
  /** The budget downgraded the task: agents answer with their deterministic fallbacks, supervisors use the catalogue plans. */
  forceDeterministic?: boolean;
}

/** What one run of a link accumulates while strategies nest (a crew runs multi-agent and single-agent work). */
export interface RunState {
  context: TaskRunContext;
  forceDeterministic: boolean;
  agentsUsed: Set<string>;
  usage: { llm: boolean; degraded: boolean };
}

/** One way of running a task type: a link of the fallback chain (or two, for the direct strategies). */
export interface StrategyRunner {
  readonly links: readonly ChainLink[];
  run(definition: TaskTypeDefinition, parameters: object, context: TaskRunContext, options: RunOptions): Promise<LinkOutcome>;
}

/** Every StrategyRunner, collected for the fallback chain. */
export const STRATEGY_RUNNERS = Symbol('STRATEGY_RUNNERS');

export function newRunState(context: TaskRunContext, options: RunOptions): RunState {
  return {
    context,
    forceDeterministic: options.forceDeterministic ?? false,
    agentsUsed: new Set(),
    usage: { llm: false, degraded: false },
  };
}

export function outcomeOf(result: unknown, state: RunState): LinkOutcome {
  return {
    result,
    aiMode: state.usage.llm ? 'llm' : 'deterministic',
    agentsUsed: [...state.agentsUsed],
    degraded: state.usage.degraded,
  };
}

/** Sub-steps of a handler nest under `parentStepId` in the trace. */
export function childTrace(trace: TraceWriter, parentStepId: string): TraceWriter {
  return {
    start: (step: StepStart) => trace.start({ parentStepId, ...step }),
    run: (step, work, describe) => trace.run({ parentStepId, ...step }, work, describe),
  };
}

export function withNarrative(result: unknown, narrative: unknown): unknown {
  if (result && typeof result === 'object' && !Array.isArray(result)) return { ...(result as Record<string, unknown>), narrative };
  return { value: result, narrative };
}

/** The agent that runs a type on its own: its specialist, else its domain supervisor. */
export function ownerOf(agents: AgentRegistry, definition: TaskTypeDefinition): AgentDefinition {
  if (definition.agent) return agents.agent(definition.agent);
  if (definition.domain === 'system') throw new Error(`${definition.type} has no agent`);
  return agents.agent(`${definition.domain}_supervisor`);
}
