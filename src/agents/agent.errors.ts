import { LlmAbortedError, LlmError } from '../llm/llm.errors.js';

export type AgentFallbackCode = 'llm_unavailable' | 'agent_timeout' | 'llm_call_budget_exceeded' | 'delegation_guard' | 'plan_rejected';

/**
 * The agent runtime could not do this piece of work with the LLM. The strategy layer catches this class
 * and takes the next step of the fallback chain; `guidance` is written for the task's `guidance` field.
 */
export abstract class AgentFallbackError extends Error {
  /** Its message is written for the caller: a task that fails with it shows it as its error (isExposed). */
  readonly expose = true;

  abstract readonly code: AgentFallbackCode;
  abstract readonly guidance: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The provider failed after its retries, timed out, refused the request, or the circuit is open. */
export class LlmUnavailableError extends AgentFallbackError {
  readonly code = 'llm_unavailable';
  readonly guidance: string;

  constructor(readonly llmError: LlmError) {
    super(llmError.message, { cause: llmError });
    this.guidance = llmError.guidance;
  }

  /** The underlying LlmError code: llm_provider_error, llm_timeout, llm_request_error or llm_circuit_open. */
  get llmCode(): LlmError['code'] {
    return this.llmError.code;
  }
}

/** The agent ran past AGENT_EXECUTION_TIMEOUT (the task itself still has time). */
export class AgentTimeoutError extends AgentFallbackError {
  readonly code = 'agent_timeout';
  readonly guidance = 'The agent did not finish within AGENT_EXECUTION_TIMEOUT; raise it or narrow the task.';

  constructor(
    readonly agentId: string,
    readonly timeoutS: number,
  ) {
    super(`Agent ${agentId} did not finish within ${timeoutS} s (AGENT_EXECUTION_TIMEOUT).`);
  }
}

/** The task used up MAX_LLM_CALLS_PER_TASK. */
export class LlmCallBudgetExceededError extends AgentFallbackError {
  readonly code = 'llm_call_budget_exceeded';
  readonly guidance = 'The task reached its LLM call budget (MAX_LLM_CALLS_PER_TASK); raise it or split the task.';

  constructor(
    readonly taskId: string,
    readonly limit: number,
  ) {
    super(`Task ${taskId} reached its budget of ${limit} LLM calls (MAX_LLM_CALLS_PER_TASK).`);
  }
}

export type DelegationGuard = 'depth' | 'no_candidates' | 'duplicates';

/** A delegation guard stopped a plan: too deep, nobody to delegate to, or only repeated subtasks. */
export class DelegationGuardError extends AgentFallbackError {
  readonly code = 'delegation_guard';
  readonly guidance = 'The delegation guards stopped a runaway plan; the catalogue default plan is used instead.';

  constructor(
    readonly guard: DelegationGuard,
    message: string,
  ) {
    super(message);
  }
}

/** The supervisor's plan stayed invalid after the repair attempt. */
export class PlanRejectedError extends AgentFallbackError {
  readonly code = 'plan_rejected';
  readonly guidance = 'The model could not produce a valid plan; the catalogue default plan is used instead.';

  constructor(
    readonly supervisorId: string,
    readonly errors: string[],
  ) {
    super(`The plan of ${supervisorId} is invalid after a repair attempt: ${errors.slice(0, 5).join('; ')}`);
  }
}

/**
 * Turns whatever stopped an LLM call into what the caller must see: the task's own abort reason when the
 * task was cancelled or timed out (so the runner records cancelled / timed_out), AgentTimeoutError when only
 * the agent's time ran out, a LlmUnavailableError for provider failures; anything else unchanged.
 */
export function translateLlmFailure(
  error: unknown,
  signals: { task: AbortSignal; step: AbortSignal },
  agent: { id: string; timeoutS: number },
): unknown {
  if (signals.task.aborted) return signals.task.reason;
  if (signals.step.aborted) return new AgentTimeoutError(agent.id, agent.timeoutS);
  if (error instanceof LlmAbortedError) return error;
  if (error instanceof LlmError) return new LlmUnavailableError(error);
  return error;
}
