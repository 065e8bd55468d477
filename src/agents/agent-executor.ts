import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { ResponseFormat } from '../llm/llm-client.js';
import { addUsd } from '../llm/prices.js';
import { LlmCallBudgetExceededError, translateLlmFailure } from './agent.errors.js';
import type { AgentRunRequest, AgentRunResult } from './agent.types.js';
import { AgentMemory, memorySummary } from './agent-memory.service.js';
import { allowedTools, runToolCall, type ToolCallScope } from './agent-tools.js';
import { LlmGateway, type LlmTurnResult } from './llm-gateway.js';
import { repairMessage, systemPrompt, taskMessage } from './prompts.js';
import { parseAnswer, type Validation } from './result-validator.js';
import { toOpenAiTool } from './tool-schema.js';
import { logFor } from '../common/request-context.js';

/** What the conversation ended with. */
type Outcome = { output: unknown; degraded: false } | { output: unknown; degraded: true; reason: string };

/** Token and cost totals of one agent run. */
class RunTotals {
  llmCalls = 0;
  inputTokens = 0;
  outputTokens = 0;
  cachedTokens = 0;
  costUsd = 0;
  cacheHit = false;

  add(turn: LlmTurnResult): void {
    if (turn.cacheHit) this.cacheHit = true;
    this.llmCalls += turn.llmCalls;
    this.inputTokens += turn.usage.inputTokens;
    this.outputTokens += turn.usage.outputTokens;
    this.cachedTokens += turn.usage.cachedTokens;
    this.costUsd = addUsd(this.costUsd, turn.costUsd);
  }
}

interface Conversation {
  request: AgentRunRequest;
  scope: ToolCallScope;
  totals: RunTotals;
  /** What is sent. */
  messages: ChatCompletionMessageParam[];
  /** The system prompt without recalled memories: what identifies the request for the cache. */
  cacheSystem: ChatCompletionMessageParam;
  tools: ChatCompletionTool[];
  responseFormat: ResponseFormat;
  model: string;
}

function schemaName(agentId: string): string {
  return `${agentId}_result`.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
}

function preview(text: string, limit = 500): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/**
 * Runs one agent on one piece of work. Deterministic mode (no LLM configured, or forced): the request's
 * deterministic function, as a `tool` step. LLM mode: an OpenAI function-calling loop under a `delegate`
 * step — allow-listed tools validated with their DTOs, bounded by AGENT_MAX_ITERATIONS (and the agent's
 * own limit) and AGENT_EXECUTION_TIMEOUT, the final answer validated against the result schema with one
 * repair attempt, then the deterministic result marked `degraded`.
 *
 * Throws the task's abort reason when the task is cancelled or times out, and an AgentFallbackError
 * (LlmUnavailableError, AgentTimeoutError) when the strategy layer should fall back.
 */
@Injectable()
export class AgentExecutor {
  private readonly logger = new Logger(AgentExecutor.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gateway: LlmGateway,
    private readonly memory: AgentMemory,
  ) {}

  /** 'deterministic' when no LLM is configured. */
  get mode(): 'llm' | 'deterministic' {
    return this.gateway.enabled ? 'llm' : 'deterministic';
  }

  async run(request: AgentRunRequest): Promise<AgentRunResult> {
    if (!this.gateway.enabled || request.forceDeterministic) return this.runDeterministic(request);
    return this.runWithLlm(request);
  }

  private async runDeterministic(request: AgentRunRequest): Promise<AgentRunResult> {
    const { agent, context } = request;
    const step = await context.trace.start({
      kind: 'tool',
      name: `${agent.id} (deterministic)`,
      agentId: agent.id,
      tier: agent.tier,
      parentStepId: request.parentStepId,
      input: { instructions: preview(request.instructions) },
    });
    try {
      const output = await request.deterministic();
      await step.finish({ output });
      return { ...new RunTotals(), output, degraded: false, aiMode: 'deterministic', stepId: step.id };
    } catch (error) {
      await step.finish({
        status: context.signal.aborted ? 'cancelled' : 'failed',
        error: error instanceof Error ? error.message : String(error),
      });
      throw context.signal.aborted ? context.signal.reason : error;
    }
  }

  private async runWithLlm(request: AgentRunRequest): Promise<AgentRunResult> {
    const { agent, context } = request;
    const signal = context.stepSignal();
    const tools = allowedTools(agent, request.tools);
    const step = await context.trace.start({
      kind: 'delegate',
      name: agent.id,
      agentId: agent.id,
      tier: agent.tier,
      parentStepId: request.parentStepId,
      input: { instructions: preview(request.instructions), tools: tools.map((tool) => tool.name) },
    });
    const totals = new RunTotals();
    try {
      const conversation = await this.open(request, { context, agent, agentStepId: step.id, signal, tools }, totals);
      const outcome = await this.converse(conversation);
      await step.finish({
        status: outcome.degraded ? 'degraded' : 'completed',
        output: outcome.output,
        error: outcome.degraded ? outcome.reason : undefined,
      });
      if (!outcome.degraded && totals.llmCalls > 0) await this.remember(request, outcome.output);
      return {
        ...totals,
        output: outcome.output,
        degraded: outcome.degraded,
        aiMode: 'llm',
        stepId: step.id,
        degradedReason: outcome.degraded ? outcome.reason : undefined,
      };
    } catch (error) {
      const failure = translateLlmFailure(
        error,
        { task: context.signal, step: signal },
        { id: agent.id, timeoutS: this.config.crew.agentExecutionTimeoutS },
      );
      await step.finish({
        status: context.signal.aborted ? 'cancelled' : 'failed',
        error: failure instanceof Error ? failure.message : String(failure),
      });
      throw failure;
    }
  }

  private async open(request: AgentRunRequest, scope: ToolCallScope, totals: RunTotals): Promise<Conversation> {
    const { agent, context } = request;
    const memories = this.memory.enabled ? await this.memory.recall(context.manager, context.tenantId, agent.id, request.instructions) : [];
    const user: ChatCompletionMessageParam = {
      role: 'user',
      content: taskMessage(request.instructions, request.input, request.resultSchema),
    };
    return {
      request,
      scope,
      totals,
      messages: [{ role: 'system', content: systemPrompt(agent, memories) }, user],
      cacheSystem: { role: 'system', content: systemPrompt(agent, []) },
      tools: scope.tools.map(toOpenAiTool),
      responseFormat: { type: 'json_schema', json_schema: { name: schemaName(agent.id), schema: request.resultSchema, strict: false } },
      model: agent.model ?? (this.gateway.defaultModel as string),
    };
  }

  private async converse(conversation: Conversation): Promise<Outcome> {
    const { request, scope, messages } = conversation;
    const maxIterations = Math.min(request.agent.maxIterations, this.config.crew.agentMaxIterations);
    try {
      for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
        const turn = await this.ask(conversation, 'auto', iteration === 1 ? undefined : `turn ${iteration}`);
        messages.push(turn.chat.message);
        if (turn.chat.toolCalls.length > 0) {
          for (const call of turn.chat.toolCalls) {
            messages.push({ role: 'tool', tool_call_id: call.id, content: await runToolCall(scope, call) });
          }
          continue;
        }
        const answer = answerOf(turn, request);
        if (answer.valid) return { output: answer.value, degraded: false };
        messages.push({ role: 'user', content: repairMessage(answer.errors) });
        const repair = await this.ask(conversation, 'none', 'repair');
        messages.push(repair.chat.message);
        const repaired = answerOf(repair, request);
        if (repaired.valid) return { output: repaired.value, degraded: false };
        return this.degrade(
          conversation,
          `The answer did not match the result schema after a repair attempt: ${repaired.errors.slice(0, 5).join('; ')}`,
        );
      }
      return this.degrade(conversation, `Stopped after ${maxIterations} LLM turns without a final answer (AGENT_MAX_ITERATIONS).`);
    } catch (error) {
      if (!(error instanceof LlmCallBudgetExceededError)) throw error;
      return this.degrade(conversation, error.message);
    }
  }

  private async ask(conversation: Conversation, toolChoice: 'auto' | 'none', label?: string): Promise<LlmTurnResult> {
    const { scope, messages, tools } = conversation;
    if (scope.signal.aborted) throw scope.signal.reason;
    const turn = await this.gateway.chat({
      context: scope.context,
      signal: scope.signal,
      agent: scope.agent,
      parentStepId: scope.agentStepId,
      label,
      request: {
        model: conversation.model,
        messages: [...messages],
        tools,
        toolChoice: tools.length > 0 ? toolChoice : undefined,
        responseFormat: conversation.responseFormat,
      },
      cacheMessages: [conversation.cacheSystem, ...messages.slice(1)],
    });
    conversation.totals.add(turn);
    return turn;
  }

  /** The model's answer was not usable: the deterministic result, as a child step, and the reason. */
  private async degrade(conversation: Conversation, reason: string): Promise<Outcome> {
    const { scope, request } = conversation;
    const output = await scope.context.trace.run(
      {
        kind: 'tool',
        name: 'deterministic',
        agentId: scope.agent.id,
        tier: scope.agent.tier,
        parentStepId: scope.agentStepId,
        input: { reason },
      },
      () => request.deterministic(),
    );
    return { output, degraded: true, reason };
  }

  private async remember(request: AgentRunRequest, output: unknown): Promise<void> {
    const { agent, context } = request;
    try {
      await this.memory.remember(context.manager, {
        tenantId: context.tenantId,
        agentId: agent.id,
        taskId: context.taskId,
        summary: memorySummary(request.instructions, output),
      });
    } catch (error) {
      // Memory is an aid: failing to store one must not fail the work it summarises.
      logFor(context.requestId, () =>
        this.logger.warn(`Storing a memory of ${agent.id} failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }
}

function answerOf(turn: LlmTurnResult, request: AgentRunRequest): Validation {
  if (turn.chat.toolCalls.length > 0) return { valid: false, errors: ['the answer called tools instead of giving the final JSON object'] };
  if (turn.chat.refusal) return { valid: false, errors: [`the model refused: ${turn.chat.refusal}`] };
  return parseAnswer(turn.chat.content, request.resultSchema);
}
