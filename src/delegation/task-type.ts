import type { EntityManager } from 'typeorm';
import type { AiMode, Complexity, Domain, Strategy } from '../tasks/task.types.js';

export type JsonSchema = Record<string, unknown>;

/** What a task's handler sees: its tenant, its cancellation signal and a database manager. */
export interface TaskRunContext {
  taskId: string;
  tenantId: string;
  description: string;
  signal: AbortSignal;
  manager: EntityManager;
}

export interface TaskOutcome {
  result: unknown;
  aiMode: AiMode;
  agentsUsed?: string[];
}

/**
 * One entry of the task catalogue. `parameters` is the DTO class that validates `parameters` of an
 * execute request; the catalogue's JSON schema is generated from the same class.
 */
export interface TaskTypeDefinition<P extends object = object> {
  type: string;
  domain: Domain | 'system';
  description: string;
  complexity: Complexity;
  strategy: Strategy;
  requiresAi: boolean;
  parameters: new () => P;
  resultSchema: JsonSchema;
  run(context: TaskRunContext, parameters: P): Promise<TaskOutcome>;
}
