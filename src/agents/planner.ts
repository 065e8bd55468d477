import { Inject, Injectable } from '@nestjs/common';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { JsonSchema, TaskRunContext } from '../tasks/task-type.js';
import { addUsd } from '../llm/prices.js';
import { DelegationGuardError, PlanRejectedError, translateLlmFailure } from './agent.errors.js';
import type { AgentDefinition } from './agent.types.js';
import { LlmGateway, type LlmTurnResult } from './llm-gateway.js';
import { planMessage, plannerSystemPrompt, repairMessage } from './prompts.js';
import { parseAnswer, type Validation } from './result-validator.js';

/** Plans nest at most this deep (master → domain supervisor → specialist). */
export const MAX_DELEGATION_DEPTH = 3;

export interface PlanRequest {
  supervisor: AgentDefinition;
  instructions: string;
  input: unknown;
  /** The agents the plan may use; the schema's enum is exactly their ids (minus the excluded ones). */
  candidates: AgentDefinition[];
  maxSubtasks: number;
  context: TaskRunContext;
  /** 1 for the first plan of a task, one more for each plan made inside a planned subtask; refused past 3. */
  depth: number;
  /** The agent that delegated this work to the supervisor: never given a subtask back. */
  delegatedBy?: string;
  parentStepId?: string;
}

export interface PlannedSubtask {
  id: string;
  agent_id: string;
  instructions: string;
  depends_on: string[];
}

export interface DroppedSubtask {
  id: string;
  agent_id: string;
  reason: 'duplicate_in_plan' | 'already_delegated';
}

export interface Plan {
  subtasks: PlannedSubtask[];
  /** Subtasks the guards removed. */
  dropped: DroppedSubtask[];
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costUsd: number;
  cacheHit: boolean;
  stepId: string;
}

/** "Score  the Leads!" and "score the leads" are the same subtask. */
export function normaliseInstructions(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function planSchema(agentIds: string[], maxSubtasks: number): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['subtasks'],
    properties: {
      subtasks: {
        type: 'array',
        minItems: 1,
        maxItems: maxSubtasks,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'agent_id', 'instructions', 'depends_on'],
          properties: {
            id: { type: 'string', minLength: 1, maxLength: 64 },
            agent_id: { type: 'string', enum: agentIds },
            instructions: { type: 'string', minLength: 1, maxLength: 4000 },
            depends_on: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  };
}

/** What the schema cannot say: unique ids, dependencies on subtasks that exist, no cycles. */
export function checkPlanStructure(subtasks: PlannedSubtask[]): string[] {
  const errors: string[] = [];
  const ids = new Set<string>();
  for (const subtask of subtasks) {
    if (ids.has(subtask.id)) errors.push(`subtask id "${subtask.id}" is used twice`);
    ids.add(subtask.id);
  }
  for (const subtask of subtasks) {
    for (const dependency of subtask.depends_on) {
      if (dependency === subtask.id) errors.push(`subtask "${subtask.id}" depends on itself`);
      else if (!ids.has(dependency)) errors.push(`subtask "${subtask.id}" depends on "${dependency}", which is not in the plan`);
    }
  }
  if (errors.length === 0 && hasCycle(subtasks))
    errors.push('depends_on forms a cycle; order the subtasks so each depends only on earlier work');
  return errors;
}

function hasCycle(subtasks: PlannedSubtask[]): boolean {
  const byId = new Map(subtasks.map((subtask) => [subtask.id, subtask]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): boolean => {
    if (state.get(id) === 'done') return false;
    if (state.get(id) === 'visiting') return true;
    state.set(id, 'visiting');
    const cyclic = (byId.get(id)?.depends_on ?? []).some(visit);
    state.set(id, 'done');
    return cyclic;
  };
  return subtasks.some((subtask) => visit(subtask.id));
}

/**
 * A supervisor's plan as structured output restricted to the candidate agents, with the guards that keep
 * delegation from running away: depth ≤ 3, no subtask back to the supervisor or to whoever delegated to
 * it, repeated subtasks removed (within the plan and across the task's earlier plans), and the per-task LLM
 * call budget (through the gateway). Only used with an LLM; deterministic mode uses catalogue plans.
 */
@Injectable()
export class Planner {
  /** Subtasks already delegated in a task run (agent + normalised instructions), per run context. */
  private readonly delegated = new WeakMap<TaskRunContext, Set<string>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gateway: LlmGateway,
  ) {}

  async plan(request: PlanRequest): Promise<Plan> {
    const { supervisor, context } = request;
    if (!this.gateway.enabled) throw new Error('The planner needs an LLM; deterministic mode uses the catalogue default plans');
    if (request.depth > MAX_DELEGATION_DEPTH) {
      throw new DelegationGuardError('depth', `Delegation depth ${request.depth} exceeds the limit of ${MAX_DELEGATION_DEPTH}.`);
    }
    const excluded = new Set([supervisor.id, request.delegatedBy].filter((id): id is string => id !== undefined));
    const candidates = request.candidates.filter((agent) => !excluded.has(agent.id));
    if (candidates.length === 0) throw new DelegationGuardError('no_candidates', `${supervisor.id} has no agent to delegate to.`);

    const signal = context.stepSignal();
    const step = await context.trace.start({
      kind: 'delegate',
      name: `plan ${supervisor.id}`,
      agentId: supervisor.id,
      tier: supervisor.tier,
      parentStepId: request.parentStepId,
      input: { instructions: request.instructions.slice(0, 500), candidates: candidates.map((agent) => agent.id), depth: request.depth },
    });
    const totals = { llmCalls: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0, cacheHit: false };
    try {
      const maxSubtasks = Math.max(1, request.maxSubtasks);
      const schema = planSchema(
        candidates.map((agent) => agent.id),
        maxSubtasks,
      );
      const messages: ChatCompletionMessageParam[] = [
        { role: 'system', content: plannerSystemPrompt(supervisor) },
        { role: 'user', content: planMessage(request.instructions, request.input, candidates, maxSubtasks) },
      ];
      const ask = async (label?: string): Promise<Validation> => {
        const turn = await this.gateway.chat({
          context,
          signal,
          agent: supervisor,
          parentStepId: step.id,
          label,
          request: {
            model: supervisor.model,
            messages: [...messages],
            responseFormat: { type: 'json_schema', json_schema: { name: 'plan', schema, strict: false } },
          },
        });
        addTurn(totals, turn);
        messages.push(turn.chat.message);
        return validatePlan(turn, schema);
      };
      let answer = await ask();
      if (!answer.valid) {
        messages.push({ role: 'user', content: repairMessage(answer.errors) });
        answer = await ask('repair');
      }
      if (!answer.valid) throw new PlanRejectedError(supervisor.id, answer.errors);
      const plan = this.applyGuards(context, (answer.value as { subtasks: PlannedSubtask[] }).subtasks);
      await step.finish({ output: plan });
      return { ...plan, ...totals, stepId: step.id };
    } catch (error) {
      const failure = translateLlmFailure(
        error,
        { task: context.signal, step: signal },
        { id: supervisor.id, timeoutS: this.config.crew.agentExecutionTimeoutS },
      );
      await step.finish({
        status: context.signal.aborted ? 'cancelled' : 'failed',
        error: failure instanceof Error ? failure.message : String(failure),
      });
      throw failure;
    }
  }

  /** Removes repeated subtasks (remapping dependencies onto the one kept) and records what is delegated. */
  private applyGuards(context: TaskRunContext, planned: PlannedSubtask[]): { subtasks: PlannedSubtask[]; dropped: DroppedSubtask[] } {
    let seen = this.delegated.get(context);
    if (!seen) {
      seen = new Set();
      this.delegated.set(context, seen);
    }
    const keptByKey = new Map<string, string>();
    const replacement = new Map<string, string | null>();
    const kept: PlannedSubtask[] = [];
    const dropped: DroppedSubtask[] = [];
    for (const subtask of planned) {
      const key = `${subtask.agent_id}|${normaliseInstructions(subtask.instructions)}`;
      const twin = keptByKey.get(key);
      if (twin !== undefined) {
        replacement.set(subtask.id, twin);
        dropped.push({ id: subtask.id, agent_id: subtask.agent_id, reason: 'duplicate_in_plan' });
      } else if (seen.has(key)) {
        replacement.set(subtask.id, null);
        dropped.push({ id: subtask.id, agent_id: subtask.agent_id, reason: 'already_delegated' });
      } else {
        keptByKey.set(key, subtask.id);
        kept.push(subtask);
      }
    }
    if (kept.length === 0) {
      throw new DelegationGuardError('duplicates', 'Every planned subtask repeats one already delegated in this task.');
    }
    const subtasks = kept.map((subtask) => ({
      ...subtask,
      depends_on: [
        ...new Set(
          subtask.depends_on
            .map((id) => (replacement.has(id) ? replacement.get(id) : id))
            .filter((id): id is string => typeof id === 'string' && id !== subtask.id),
        ),
      ],
    }));
    for (const key of keptByKey.keys()) seen.add(key);
    return { subtasks, dropped };
  }
}

function addTurn(totals: Omit<Plan, 'subtasks' | 'dropped' | 'stepId'>, turn: LlmTurnResult): void {
  if (turn.cacheHit) totals.cacheHit = true;
  totals.llmCalls += turn.llmCalls;
  totals.inputTokens += turn.usage.inputTokens;
  totals.outputTokens += turn.usage.outputTokens;
  totals.cachedTokens += turn.usage.cachedTokens;
  totals.costUsd = addUsd(totals.costUsd, turn.costUsd);
}

function validatePlan(turn: LlmTurnResult, schema: JsonSchema): Validation {
  if (turn.chat.refusal) return { valid: false, errors: [`the model refused: ${turn.chat.refusal}`] };
  if (turn.chat.toolCalls.length > 0) return { valid: false, errors: ['answer with the plan JSON object, not a tool call'] };
  const parsed = parseAnswer(turn.chat.content, schema);
  if (!parsed.valid) return parsed;
  const errors = checkPlanStructure((parsed.value as { subtasks: PlannedSubtask[] }).subtasks);
  return errors.length > 0 ? { valid: false, errors } : parsed;
}
