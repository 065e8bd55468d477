import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import { fastQuery } from '../database/fast-query.js';
import { TaskStepEntity } from './entities/task-step.entity.js';
import { TaskEntity } from './entities/task.entity.js';
import { TaskHistory } from './task-history.js';
import {
  decodeCursor,
  encodeCursor,
  insertTaskStatement,
  type SqlRunner,
  taskDefaults,
  taskFromRow,
  type TaskListFilter,
  type TaskPage,
  UUID,
} from './task-rows.js';
import {
  ABANDON_EARLIER_ATTEMPTS,
  ADD_USAGE,
  CANCEL_PENDING,
  CANCEL_REQUESTED,
  CLAIM,
  COUNT_CALL,
  FAIL_STALE,
  MARK_CACHE_HIT,
  purgeSteps,
  REQUEST_CANCEL,
  RESERVE_CALL,
  STALE_RUNNING,
  TASK_EXISTS,
} from './task.statements.js';
import { UnitOfWork } from './unit-of-work.js';

export type { SqlRunner, TaskListFilter, TaskPage } from './task-rows.js';

/** Tokens one LLM call used (the task row's running totals). */
export interface CallUsage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
}

/** The per-task LLM call budget is used up. */
export class CallBudgetUsedUp extends Error {
  constructor(
    readonly taskId: string,
    readonly limit: number,
  ) {
    super(`Task ${taskId} used its ${limit} LLM calls`);
    this.name = 'CallBudgetUsedUp';
  }
}

/**
 * The task core's repository: the only code that reads or writes `tasks` and `task_steps` (with TaskHistory,
 * its read-only questions). No EntityManager leaves it: a caller that needs its writes in a transaction passes
 * the transaction's manager in (`handle`); without one they run on the pool. Every read is tenant-scoped.
 */
@Injectable()
export class TaskStore {
  private insertSql?: { sql: string; columns: [string, boolean][] };
  private exclusive?: Promise<boolean>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Statements on the service's pool, outside any transaction. */
  private readonly sql: SqlRunner = (sql, values) => fastQuery(this.pool, sql, values);

  private get pool(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * Whether the database serialises an open transaction against every other connection (the embedded
   * PGlite, also when reached through its socket from another process): asked once.
   */
  exclusiveTransactions(): Promise<boolean> {
    this.exclusive ??= this.pool.query<{ version: string }[]>('SELECT version()').then(
      (rows) => /PGlite/i.test(rows[0]?.version ?? ''),
      () => false,
    );
    return this.exclusive;
  }

  /** Read-only questions about the task history, asked on `handle` (the pool's when absent). */
  history(handle: EntityManager = this.pool): TaskHistory {
    return new TaskHistory(handle);
  }

  /**
   * One INSERT round trip: ids, timestamps and defaults are filled in here, so nothing has to be read
   * back (save() would add BEGIN/COMMIT and a SELECT; Repository.insert would add RETURNING and put the raw
   * database values of defaulted columns — numeric cost_usd as a string — over the typed ones).
   */
  async insert(values: Partial<TaskEntity>, handle: EntityManager = this.pool): Promise<TaskEntity> {
    const task = this.build(values);
    await this.insertRow(task, handle);
    return task;
  }

  /**
   * A whole task row in one parameterised INSERT (no query building): the hot path of direct tasks, which are
   * written once, finished.
   */
  async insertRow(task: TaskEntity, handle: EntityManager = this.pool): Promise<void> {
    this.insertSql ??= insertTaskStatement(this.dataSource);
    const { sql, columns } = this.insertSql;
    await fastQuery(
      handle,
      sql,
      columns.map(([property, json]) => {
        const value = (task as unknown as Record<string, unknown>)[property];
        return json && value !== null && value !== undefined ? JSON.stringify(value) : (value ?? null);
      }),
    );
  }

  /** Creates the in-memory row for a new task (defaults filled in), without writing it. */
  build(values: Partial<TaskEntity>): TaskEntity {
    return Object.assign(new TaskEntity(), taskDefaults(), values);
  }

  async insertSteps(steps: TaskStepEntity[], handle: EntityManager = this.pool): Promise<void> {
    if (steps.length > 0) await handle.getRepository(TaskStepEntity).insert(steps);
  }

  /** Inserts unless the tenant already used this idempotency key; answers the task either way. */
  async insertIdempotent(values: Partial<TaskEntity>, handle: EntityManager = this.pool): Promise<{ task: TaskEntity; created: boolean }> {
    const result = await handle
      .createQueryBuilder()
      .insert()
      .into(TaskEntity)
      .values({ ...taskDefaults(), ...values } as QueryDeepPartialEntity<TaskEntity>)
      .orIgnore()
      .returning(['id'])
      .execute();
    const insertedId = (result.raw as { id: string }[])[0]?.id;
    if (insertedId) return { task: await handle.getRepository(TaskEntity).findOneByOrFail({ id: insertedId }), created: true };
    const existing = await handle.getRepository(TaskEntity).findOneByOrFail({
      tenantId: values.tenantId as string,
      idempotencyKey: values.idempotencyKey as string,
    });
    return { task: existing, created: false };
  }

  /** By task id or workflow id, only within the tenant. */
  async findForTenant(tenantId: string, idOrWorkflowId: string): Promise<TaskEntity | null> {
    if (!UUID.test(idOrWorkflowId)) return null;
    return this.pool
      .getRepository(TaskEntity)
      .createQueryBuilder('task')
      .where('task.tenant_id = :tenantId', { tenantId })
      .andWhere('(task.id = :id OR task.workflow_id = :id)', { id: idOrWorkflowId })
      .getOne();
  }

  async findById(id: string): Promise<TaskEntity | null> {
    return this.pool.getRepository(TaskEntity).findOneBy({ id });
  }

  async list(tenantId: string, filter: TaskListFilter, limit: number, cursor?: string): Promise<TaskPage> {
    const query = this.pool
      .getRepository(TaskEntity)
      .createQueryBuilder('task')
      .where('task.tenant_id = :tenantId', { tenantId })
      .orderBy('task.created_at', 'DESC')
      .addOrderBy('task.id', 'DESC')
      .take(limit + 1);
    if (filter.status) query.andWhere('task.status = :status', { status: filter.status });
    if (filter.domain) query.andWhere('task.domain = :domain', { domain: filter.domain });
    if (filter.type) query.andWhere('task.type = :type', { type: filter.type });
    if (filter.strategy) query.andWhere('task.strategy = :strategy', { strategy: filter.strategy });
    if (cursor) {
      const after = decodeCursor(cursor);
      query.andWhere('(task.created_at, task.id) < (:createdAt, :id)', after);
    }
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null };
  }

  async update(id: string, patch: Partial<TaskEntity>, handle: EntityManager = this.pool): Promise<void> {
    await this.rawUpdate(handle, TaskEntity, 'tasks', id, { ...patch, updatedAt: new Date() }, false);
  }

  /** Updates and answers the row as stored (tokens and cost that agents added meanwhile included). */
  async updateReturning(id: string, patch: Partial<TaskEntity>, handle: EntityManager = this.pool): Promise<TaskEntity | null> {
    const rows = await this.rawUpdate(handle, TaskEntity, 'tasks', id, { ...patch, updatedAt: new Date() }, true);
    return rows.length > 0 ? taskFromRow(this.dataSource, rows[0]) : null;
  }

  /**
   * One parameterised UPDATE built from the entity metadata (the execution hot path: TypeORM's query
   * builder costs more CPU than the round trip itself when a worker finishes many tasks at once).
   */
  private async rawUpdate(
    handle: EntityManager,
    entity: typeof TaskEntity | typeof TaskStepEntity,
    table: string,
    id: string,
    patch: object,
    returning: boolean,
  ): Promise<Record<string, unknown>[]> {
    const columns = this.dataSource.getMetadata(entity).columns;
    const sets: string[] = [];
    const values: unknown[] = [id];
    for (const [property, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      const column = columns.find((c) => c.propertyName === property);
      if (!column) throw new Error(`Unknown column for ${property}`);
      const json = column.type === 'jsonb' || column.type === 'json';
      values.push(json && value !== null ? JSON.stringify(value) : value);
      sets.push(`${column.databaseName} = $${values.length}`);
    }
    if (sets.length === 0) return [];
    return fastQuery(handle, `UPDATE ${table} SET ${sets.join(', ')} WHERE id = $1${returning ? ' RETURNING *' : ''}`, values);
  }

  async steps(taskId: string): Promise<TaskStepEntity[]> {
    return this.pool.getRepository(TaskStepEntity).find({ where: { taskId }, order: { startedAt: 'ASC' } });
  }

  async countSteps(taskId: string): Promise<{ total: number; completed: number }> {
    const row = await this.pool
      .getRepository(TaskStepEntity)
      .createQueryBuilder('step')
      .select('count(*)::int', 'total')
      .addSelect(`count(*) FILTER (WHERE step.status IN ('completed', 'degraded'))::int`, 'completed')
      .where('step.task_id = :taskId', { taskId })
      .andWhere(`step.status <> 'abandoned'`)
      .getRawOne<{ total: number; completed: number }>();
    return { total: row?.total ?? 0, completed: row?.completed ?? 0 };
  }

  /** One INSERT, no transaction and no read-back (the id is made here). */
  async insertStep(values: Partial<TaskStepEntity>, handle: EntityManager = this.pool): Promise<TaskStepEntity> {
    const row = Object.assign(new TaskStepEntity(), { id: randomUUID(), ...values });
    const entries: [string, unknown][] = Object.entries(row as unknown as Record<string, unknown>).filter(
      ([, value]) => value !== undefined,
    );
    const columns = this.dataSource.getMetadata(TaskStepEntity).columns;
    const names = entries.map(([property]) => (columns.find((c) => c.propertyName === property) as { databaseName: string }).databaseName);
    await fastQuery(
      handle,
      `INSERT INTO task_steps (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
      entries.map(([, value]): unknown => value),
    );
    return row;
  }

  async updateStep(id: string, patch: Partial<TaskStepEntity>, handle: EntityManager = this.pool): Promise<void> {
    await this.rawUpdate(handle, TaskStepEntity, 'task_steps', id, patch, false);
  }

  /** A redelivered task's earlier attempts are over: their steps are marked abandoned. */
  async abandonEarlierAttempts(taskId: string, attempt: number, error: string): Promise<void> {
    await fastQuery(this.pool, ABANDON_EARLIER_ATTEMPTS, [taskId, attempt, error]);
  }

  /**
   * Claims queued tasks for this worker in one round trip (UPDATE … RETURNING): running, attempt counted,
   * queue wait recorded on the first attempt. Answers the claimed ones; a task cancelled or already finished
   * is left out.
   */
  async claim(taskIds: readonly string[], workerId: string, run: SqlRunner = this.sql): Promise<TaskEntity[]> {
    if (taskIds.length === 0) return [];
    const rows = await run(CLAIM, [taskIds, workerId]);
    return rows.map((row) => taskFromRow(this.dataSource, row));
  }

  /**
   * Counts one LLM call against the task (tasks.llm_calls is the per-task call budget, so agents running
   * concurrently, instances and attempts add up exactly); throws CallBudgetUsedUp when `limit` is reached.
   * Counted on `handle` (the task's transaction when open) and again on the pool if that rolls back: a call
   * made is spent.
   */
  async reserveCall(taskId: string, limit: number, handle: EntityManager = this.pool): Promise<number> {
    const rows = await UnitOfWork.keep(
      handle,
      (m = this.pool) => fastQuery<{ llm_calls: number }>(m, RESERVE_CALL, [taskId, limit]),
      async (m, reserved) => {
        if (reserved.length > 0) await fastQuery(m, COUNT_CALL, [taskId]);
      },
    );
    if (rows.length > 0) return rows[0].llm_calls;
    if ((await fastQuery(handle, TASK_EXISTS, [taskId])).length === 0)
      throw new Error(`Task ${taskId} has no row: LLM calls are counted on the task row, so only persisted tasks can make them`);
    throw new CallBudgetUsedUp(taskId, limit);
  }

  /** Adds a call's tokens and cost to the task's totals (kept after a rollback, like reserveCall). */
  async addUsage(taskId: string, usage: CallUsage, costUsd: number, handle: EntityManager = this.pool): Promise<void> {
    const add = (m: EntityManager = this.pool) =>
      fastQuery(m, ADD_USAGE, [taskId, usage.inputTokens, usage.outputTokens, usage.cachedTokens, costUsd.toFixed(6)]);
    await UnitOfWork.keep(handle, add, add);
  }

  async markCacheHit(taskId: string, handle: EntityManager = this.pool): Promise<void> {
    const mark = (m: EntityManager = this.pool) => fastQuery(m, MARK_CACHE_HIT, [taskId]);
    await UnitOfWork.keep(handle, mark, mark);
  }

  /** Cancels a task that has not started; false when it is no longer pending. */
  async cancelPending(id: string, error: string, guidance: string): Promise<boolean> {
    return (await fastQuery(this.pool, CANCEL_PENDING, [id, error, guidance])).length > 0;
  }

  /** Asks the instance running the task to stop it (it polls cancelRequested). */
  async requestCancel(id: string): Promise<void> {
    await fastQuery(this.pool, REQUEST_CANCEL, [id]);
  }

  /** Which of these tasks have a cancel request. */
  async cancelRequested(ids: readonly string[]): Promise<string[]> {
    const rows = await fastQuery<{ id: string }>(this.pool, CANCEL_REQUESTED, [ids]);
    return rows.map((row) => row.id);
  }

  /** Running tasks past their timeout plus `graceS` (at most 100). */
  async staleRunning(graceS: number): Promise<TaskEntity[]> {
    const rows = await fastQuery(this.pool, STALE_RUNNING, [graceS]);
    return rows.map((row) => taskFromRow(this.dataSource, row));
  }

  /** Fails a stale running task; false when it finished meanwhile. */
  async failStale(id: string, error: string, guidance: string): Promise<boolean> {
    return (await fastQuery(this.pool, FAIL_STALE, [id, error, guidance])).length > 0;
  }

  /**
   * Deletes steps older than `days`, `batch` rows per statement, until fewer than a batch are left or
   * `stop()` says so; answers how many went. Task rows are kept.
   */
  async purgeSteps(days: number, batch: number, stop: () => boolean): Promise<number> {
    let total = 0;
    for (;;) {
      // TypeORM answers a DELETE as [rows, affected].
      const [, deleted] = await this.pool.query<[unknown[], number]>(purgeSteps(batch), [days]);
      total += deleted;
      if (deleted < batch || stop()) return total;
    }
  }
}
