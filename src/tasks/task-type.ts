import type { EntityManager } from 'typeorm';
import type { AiMode, Complexity, Domain, StepKind, StepStatus, Strategy } from './task.types.js';
import type { TypedSchema } from './result-schema.js';

export type JsonSchema = Record<string, unknown>;

export interface StepStart {
  kind: StepKind;
  name: string;
  agentId?: string;
  tier?: string;
  parentStepId?: string;
  input?: unknown;
}

export interface StepFinish {
  status?: StepStatus;
  output?: unknown;
  error?: string;
  inputTokens?: number;
  outputTokens?: number;
  cachedTokens?: number;
  costUsd?: number;
}

export interface StepHandle {
  id: string;
  finish(outcome?: StepFinish): Promise<void>;
}

/** Writes the task's trace (task_steps) as the work goes. */
export interface TraceWriter {
  start(step: StepStart): Promise<StepHandle>;
  run<T>(step: StepStart, work: () => Promise<T>, describeOutput?: (value: T) => unknown): Promise<T>;
}

/** What a task's handler sees: its tenant, its cancellation signal, a database manager and its trace. */
export interface TaskRunContext {
  taskId: string;
  tenantId: string;
  description: string;
  /** X-Request-Id of the request that submitted the task (for its log lines), when known. */
  requestId?: string | null;
  /** Aborts on cancel, timeout or shutdown; pass it to every I/O call. */
  signal: AbortSignal;
  /** For reads. Business writes go through `write`, never through this manager. */
  manager: EntityManager;
  /**
   * Runs the task's business writes (inserts, updates, deletes of domain tables) in the task's unit of work:
   * they commit in the same transaction as the task's final state and steps, or not at all. `work` may also
   * read (it sees its own writes); keep network calls out of it.
   */
  write: <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T>;
  trace: TraceWriter;
  /** The task's signal further bounded by AGENT_EXECUTION_TIMEOUT, for one agent/tool step. */
  stepSignal(): AbortSignal;
}

export interface TaskOutcome<R = unknown> {
  result: R;
  aiMode: AiMode;
  agentsUsed?: string[];
}

/** One unit of a multi-agent or crew plan: an agent runs a catalogue task type or a tool. */
export interface PlanStep<P extends object = object> {
  id: string;
  /** The agent doing the work (a specialist or worker of the domain, or a domain supervisor in a crew). */
  agent: string;
  instructions: string;
  /** Runs this catalogue task type's deterministic handler… */
  taskType?: string;
  /** …or this tool. */
  tool?: string;
  /** The step's parameters, derived from the parent task's. The parent's when absent. */
  parameters?: (parent: P) => object;
  /** Skips the step when false (e.g. the input has no data for it). */
  when?: (parent: P) => boolean;
  dependsOn?: string[];
}

/**
 * What running a task type does to the tenant's records (declared, so clients such as MCP assistants can tell a
 * lookup from a change without guessing from the name):
 * - `read`: reads only, writes nothing.
 * - `create`: adds records (a new row, a payment, a stock movement); running it again adds more.
 * - `update`: sets records to the given or fetched values (updates, upserts, imports); running it again with the
 *   same parameters changes nothing more, but it overwrites what was there.
 * - `delete`: removes records.
 */
export type TaskEffect = 'read' | 'create' | 'update' | 'delete';

/**
 * One entry of the task catalogue. `parameters` is the DTO class that validates `parameters` of an
 * execute request; the catalogue's JSON schema is generated from the same class.
 */
export interface TaskTypeDefinition<P extends object = object, R = unknown> {
  type: string;
  domain: Domain | 'system';
  description: string;
  complexity: Complexity;
  strategy: Strategy;
  requiresAi: boolean;
  parameters: new () => P;
  /** The result's JSON schema; a typed one (result-schema.ts) holds `run`'s result type to it. */
  resultSchema: TypedSchema<R>;
  /** What it does to the tenant's records; `read` when absent. A type whose handler calls `context.write` declares it. */
  effect?: TaskEffect;
  /**
   * Runs in the background queue even though its strategy is direct (diagnostic tasks that wait on I/O).
   * Every AI strategy is queued anyway.
   */
  queued?: boolean;
  /**
   * Takes bulk input (e.g. up to 100,000 customers): an /execute body naming this type may be as large as
   * BULK_BODY_LIMIT instead of BODY_LIMIT.
   */
  bulkInput?: boolean;
  /** The specialist that owns this type (runs it as single_agent). */
  agent?: string;
  /** Strategies this type can run as; `[strategy]` when absent. */
  supportedStrategies?: Strategy[];
  /** The supervisor's default plan for multi_agent (used as is in deterministic mode). */
  plan?: PlanStep<P>[];
  /** The master supervisor's default plan for crew_workflow: steps run by domain supervisors. */
  crewPlan?: PlanStep<P>[];
  /** Combines the plan's step results into the task's result (deterministic synthesis). */
  synthesize?(results: Record<string, unknown>, parameters: P): unknown;
  /** Combines the crew plan's results (by domain supervisor); `synthesize` when absent. */
  synthesizeCrew?(results: Record<string, unknown>, parameters: P): unknown;
  /** Free-form types (outside the catalogue): any `parameters` object is passed through unvalidated. */
  freeForm?: boolean;
  /**
   * The one tenant this type may run for (the demo loader): any other is refused at submission with a 422 on
   * `tenant_id`, before a task exists, whichever way the task came in (REST, the Brain, MCP).
   */
  onlyTenant?: string;
  /** Cross-field checks beyond the DTO's decorators; field names relative to `parameters`. */
  check?(parameters: P): { field: string; message: string }[];
  run(context: TaskRunContext, parameters: P): Promise<TaskOutcome<R>>;
}
