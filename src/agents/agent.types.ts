import type { EntityManager } from 'typeorm';
import type { JsonSchema, TaskRunContext, TraceWriter } from '../tasks/task-type.js';
import type { Domain } from '../tasks/task.types.js';

export type AgentTier = 'master' | 'supervisor' | 'specialist' | 'worker';

/** One of the 31 agents of the hierarchy (DESIGN.md §8). */
export interface AgentDefinition {
  id: string;
  name: string;
  tier: AgentTier;
  /** null for the master supervisor. */
  domain: Domain | null;
  role: string;
  goal: string;
  backstory: string;
  /** Names of the tools this agent may call (allow-list). */
  tools: string[];
  /** Model override; OPENAI_MODEL when absent. */
  model?: string;
  maxIterations: number;
  /** The agent this one reports to (null for the master). */
  reportsTo: string | null;
}

/** What a tool sees when an agent (or the deterministic path) calls it. Always tenant-scoped. */
export interface ToolContext {
  tenantId: string;
  taskId: string;
  signal: AbortSignal;
  /** For reads. */
  manager: EntityManager;
  /** Business writes, in the task's unit of work (see TaskRunContext.write). */
  write: <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T>;
  trace: TraceWriter;
  parentStepId?: string;
}

/**
 * A typed tool: deterministic code exposed to agents. `parameters` is the DTO class that validates the
 * arguments; the JSON schema the model sees is generated from it.
 */
export interface ToolDefinition<P extends object = object, R = unknown> {
  name: string;
  description: string;
  parameters: new () => P;
  execute(context: ToolContext, parameters: P): Promise<R>;
}

/** A request to run one agent on one piece of work. */
export interface AgentRunRequest {
  agent: AgentDefinition;
  /** What to do, in words (the task description or a planned subtask). */
  instructions: string;
  /** Data for the prompt (kept inside a delimited block). */
  input: unknown;
  tools: ToolDefinition[];
  /** The final answer must validate against this; one repair attempt, then `deterministic()` (degraded). */
  resultSchema: JsonSchema;
  deterministic: () => Promise<unknown>;
  context: TaskRunContext;
  parentStepId?: string;
  /** Run `deterministic()` even with an LLM configured (e.g. the tenant's budget was downgraded). */
  forceDeterministic?: boolean;
}

export interface AgentRunResult {
  output: unknown;
  /** The model's answer could not be used; `output` is the deterministic result. */
  degraded: boolean;
  aiMode: 'llm' | 'deterministic';
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costUsd: number;
  cacheHit: boolean;
  stepId?: string;
  /** Why the model's answer was not used (set when `degraded`). */
  degradedReason?: string;
}
