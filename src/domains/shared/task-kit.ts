/** Building blocks of the domains' task catalogues: CRUD task types, list pages, AI strategy lists, sync results. */
import type { TaskOutcome, TaskRunContext, TaskTypeDefinition } from '../../tasks/task-type.js';
import type { Domain, Strategy } from '../../tasks/task.types.js';
import { array, describes, int, object, str, strOf, type TypedSchema } from '../../tasks/result-schema.js';

/** The strategies an AI task type offers (its deterministic computation backs each of them). */
export const AI_STRATEGIES = ['single_agent', 'multi_agent', 'crew_workflow'] as const satisfies readonly Strategy[];

/** A deterministic outcome: the result as computed, no LLM involved. */
export function deterministic<R>(result: R): TaskOutcome<R> {
  return { aiMode: 'deterministic', result };
}

type DirectFields = 'domain' | 'strategy' | 'requiresAi' | 'complexity';

/** The fields every CRUD task type of `domain` shares: direct_db, no AI, simple. */
export function directDb<D extends Domain>(domain: D) {
  return { domain, complexity: 'simple', strategy: 'direct_db', requiresAi: false } as const;
}

/** A CRUD task type: direct_db, no AI, simple; `run` answers the result R (always deterministic), which `resultSchema` describes. */
export function directDbType<P extends object, R = unknown>(
  domain: Domain,
  definition: Omit<TaskTypeDefinition<P, R>, DirectFields | 'run'> & { run: (context: TaskRunContext, parameters: P) => Promise<R> },
): TaskTypeDefinition {
  const { run, ...rest } = definition;
  const typed: TaskTypeDefinition<P, R> = {
    ...rest,
    ...directDb(domain),
    run: async (context: TaskRunContext, parameters: P): Promise<TaskOutcome<R>> => deterministic(await run(context, parameters)),
  };
  return typed as unknown as TaskTypeDefinition;
}

/** The limit and offset of a list request, defaults applied. */
export const pageOf = (parameters: { limit?: number; offset?: number }) => ({
  limit: parameters.limit ?? 50,
  offset: parameters.offset ?? 0,
});

/** A page of a list: `key` holds the rows. */
export type ListPage<K extends string, T> = { count: number; total: number; limit: number; offset: number } & { [F in K]: T[] };

/**
 * Result schema of a list: `key` holds the rows. It describes ListPage<K, T> (limit and offset, always
 * answered, are published as optional fields).
 */
export function listSchema<K extends string, T>(key: K, item: TypedSchema<T>): TypedSchema<ListPage<K, T>> {
  const fields = { count: int(), total: int(), limit: int(), offset: int(), [key]: array(item) };
  return object(fields, { optional: ['limit', 'offset'] }) as TypedSchema<ListPage<K, T>>;
}

/** What a list sync (products, orders, payments) answers: how many upstream rows it received and created, updated or left unchanged. */
export interface SyncResult {
  status: 'completed';
  source_url: string;
  attempts: number;
  received: number;
  created: number;
  updated: number;
  unchanged: number;
}

export const SYNC_RESULT_FIELDS = {
  status: strOf(['completed'] as const),
  source_url: str(),
  attempts: int(),
  received: int(),
  created: int(),
  updated: int(),
  unchanged: int(),
};

/** The fields of SYNC_RESULT_FIELDS the schema does not list as required. */
export const SYNC_RESULT_OPTIONAL = ['attempts', 'unchanged'] as const;

export const SYNC_RESULT_SCHEMA = describes<SyncResult>()(object(SYNC_RESULT_FIELDS, { optional: SYNC_RESULT_OPTIONAL }));
