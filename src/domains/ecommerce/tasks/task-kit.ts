import { QueryFailedError } from 'typeorm';
import type { JsonSchema, TaskOutcome, TaskRunContext, TaskTypeDefinition } from '../../../delegation/task-type.js';
import type { Domain } from '../../../tasks/task.types.js';

type DirectFields = 'domain' | 'strategy' | 'requiresAi' | 'complexity';

/** A CRUD task type: direct_db, no AI, simple; `run` answers the result (always deterministic). */
export function directDbType<P extends object>(
  domain: Domain,
  definition: Omit<TaskTypeDefinition<P>, DirectFields | 'run'> & { run: (context: TaskRunContext, parameters: P) => Promise<unknown> },
): TaskTypeDefinition {
  const { run, ...rest } = definition;
  return {
    ...rest,
    domain,
    strategy: 'direct_db',
    requiresAi: false,
    complexity: 'simple',
    run: async (context: TaskRunContext, parameters: P): Promise<TaskOutcome> => ({
      aiMode: 'deterministic',
      result: await run(context, parameters),
    }),
  } as unknown as TaskTypeDefinition;
}

/** Postgres unique violation (23505), optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}

/** Postgres foreign-key violation (23503). */
export function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23503';
}

export const pageOf = (parameters: { limit?: number; offset?: number }) => ({
  limit: parameters.limit ?? 50,
  offset: parameters.offset ?? 0,
});

/** Result schema of a list: `key` holds the rows. */
export function listSchema(key: string, item: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['count', 'total', key],
    properties: {
      count: { type: 'integer' },
      total: { type: 'integer' },
      limit: { type: 'integer' },
      offset: { type: 'integer' },
      [key]: { type: 'array', items: item },
    },
  };
}

export const SYNC_RESULT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['status', 'source_url', 'received', 'created', 'updated'],
  properties: {
    status: { type: 'string', enum: ['completed'] },
    source_url: { type: 'string' },
    attempts: { type: 'integer' },
    received: { type: 'integer' },
    created: { type: 'integer' },
    updated: { type: 'integer' },
    unchanged: { type: 'integer' },
  },
};
