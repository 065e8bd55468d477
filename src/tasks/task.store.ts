import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import { ValidationProblem } from '../common/problem.js';
import { fastQuery } from '../database/fast-query.js';
import { TaskStepEntity } from './entities/task-step.entity.js';
import { TaskEntity } from './entities/task.entity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Runs one parameterised statement and answers its rows. */
export type SqlRunner = (sql: string, values: unknown[]) => Promise<Record<string, unknown>[]>;

export interface TaskListFilter {
  status?: string;
  domain?: string;
  type?: string;
  strategy?: string;
}

export interface TaskPage {
  items: TaskEntity[];
  nextCursor: string | null;
}

function encodeCursor(task: TaskEntity): string {
  return Buffer.from(`${task.createdAt.toISOString()}|${task.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(createdAt ?? '');
  if (!id || !UUID.test(id) || Number.isNaN(date.getTime())) {
    throw new ValidationProblem([
      { field: 'cursor', message: 'is not a cursor this service issued; pass next_cursor from the previous page' },
    ]);
  }
  return { createdAt: date, id };
}

/** Every column's value for a new task row, as the migration's defaults would set them. */
function taskDefaults(): Partial<TaskEntity> {
  const now = new Date();
  return {
    id: randomUUID(),
    workflowId: randomUUID(),
    userId: null,
    sessionId: null,
    domain: null,
    parameters: {},
    metadata: {},
    priority: 5,
    dataVolume: 0,
    requiresAi: false,
    multiDomain: false,
    preferredStrategy: null,
    forceCrew: false,
    asyncExecution: false,
    complexity: null,
    category: null,
    strategy: null,
    decision: null,
    status: 'pending',
    aiMode: null,
    result: null,
    error: null,
    guidance: null,
    agentsUsed: [],
    fallbackChain: [],
    recommendations: [],
    cacheHit: false,
    attempts: 0,
    callbackUrl: null,
    idempotencyKey: null,
    createdAt: now,
    updatedAt: now,
    enqueuedAt: null,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    queueWaitMs: null,
    llmCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    costUsd: 0,
    cancelRequestedAt: null,
    workerId: null,
    requestId: null,
  };
}

/** Persistence of tasks and their steps. Every read is tenant-scoped. */
@Injectable()
export class TaskStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Statements on the service's pool, outside any transaction. */
  private readonly sql: SqlRunner = (sql, values) => fastQuery(this.manager, sql, values);

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * One INSERT round trip: ids, timestamps and defaults are filled in here, so nothing has to be read
   * back (save() would add BEGIN/COMMIT and a SELECT; Repository.insert would add RETURNING and put the raw
   * database values of defaulted columns — numeric cost_usd as a string — over the typed ones).
   */
  async insert(manager: EntityManager, values: Partial<TaskEntity>): Promise<TaskEntity> {
    const task = this.build(values);
    await this.insertRow(manager, task);
    return task;
  }

  /**
   * A whole task row in one parameterised INSERT (no query building): the hot path of direct tasks, which are
   * written once, finished.
   */
  async insertRow(manager: EntityManager, task: TaskEntity): Promise<void> {
    const { sql, columns } = this.insertStatement(manager);
    await fastQuery(
      manager,
      sql,
      columns.map(([property, json]) => {
        const value = (task as unknown as Record<string, unknown>)[property];
        return json && value !== null && value !== undefined ? JSON.stringify(value) : (value ?? null);
      }),
    );
  }

  private insertSql?: { sql: string; columns: [string, boolean][] };

  private insertStatement(manager: EntityManager): { sql: string; columns: [string, boolean][] } {
    if (!this.insertSql) {
      const metadata = manager.connection.getMetadata(TaskEntity);
      const columns = metadata.columns.map((column) => ({
        name: column.databaseName,
        property: column.propertyName,
        json: column.type === 'jsonb',
      }));
      this.insertSql = {
        sql: `INSERT INTO tasks (${columns.map((c) => c.name).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        columns: columns.map((c) => [c.property, c.json]),
      };
    }
    return this.insertSql;
  }

  /** Creates the in-memory row for a new task (defaults filled in), without writing it. */
  build(values: Partial<TaskEntity>): TaskEntity {
    return Object.assign(new TaskEntity(), taskDefaults(), values);
  }

  async insertSteps(manager: EntityManager, steps: TaskStepEntity[]): Promise<void> {
    if (steps.length > 0) await manager.getRepository(TaskStepEntity).insert(steps);
  }

  /** Inserts unless the tenant already used this idempotency key; answers the task either way. */
  async insertIdempotent(manager: EntityManager, values: Partial<TaskEntity>): Promise<{ task: TaskEntity; created: boolean }> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(TaskEntity)
      .values({ ...taskDefaults(), ...values } as QueryDeepPartialEntity<TaskEntity>)
      .orIgnore()
      .returning(['id'])
      .execute();
    const insertedId = (result.raw as { id: string }[])[0]?.id;
    if (insertedId) return { task: await manager.getRepository(TaskEntity).findOneByOrFail({ id: insertedId }), created: true };
    const existing = await manager.getRepository(TaskEntity).findOneByOrFail({
      tenantId: values.tenantId as string,
      idempotencyKey: values.idempotencyKey as string,
    });
    return { task: existing, created: false };
  }

  /** By task id or workflow id, only within the tenant. */
  async findForTenant(tenantId: string, idOrWorkflowId: string): Promise<TaskEntity | null> {
    if (!UUID.test(idOrWorkflowId)) return null;
    return this.manager
      .getRepository(TaskEntity)
      .createQueryBuilder('task')
      .where('task.tenant_id = :tenantId', { tenantId })
      .andWhere('(task.id = :id OR task.workflow_id = :id)', { id: idOrWorkflowId })
      .getOne();
  }

  async findById(id: string): Promise<TaskEntity | null> {
    return this.manager.getRepository(TaskEntity).findOneBy({ id });
  }

  async list(tenantId: string, filter: TaskListFilter, limit: number, cursor?: string): Promise<TaskPage> {
    const query = this.manager
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

  async update(manager: EntityManager, id: string, patch: Partial<TaskEntity>): Promise<void> {
    await this.rawUpdate(manager, TaskEntity, 'tasks', id, { ...patch, updatedAt: new Date() }, false);
  }

  /** Updates and answers the row as stored (tokens and cost that agents added meanwhile included). */
  async updateReturning(manager: EntityManager, id: string, patch: Partial<TaskEntity>): Promise<TaskEntity | null> {
    const rows = await this.rawUpdate(manager, TaskEntity, 'tasks', id, { ...patch, updatedAt: new Date() }, true);
    return rows.length > 0 ? this.fromRow(rows[0]) : null;
  }

  /**
   * One parameterised UPDATE built from the entity metadata (the execution hot path: TypeORM's query
   * builder costs more CPU than the round trip itself when a worker finishes many tasks at once).
   */
  private async rawUpdate(
    manager: EntityManager,
    entity: typeof TaskEntity | typeof TaskStepEntity,
    table: string,
    id: string,
    patch: object,
    returning: boolean,
  ): Promise<Record<string, unknown>[]> {
    const columns = manager.connection.getMetadata(entity).columns;
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
    return fastQuery(manager, `UPDATE ${table} SET ${sets.join(', ')} WHERE id = $1${returning ? ' RETURNING *' : ''}`, values);
  }

  async steps(taskId: string): Promise<TaskStepEntity[]> {
    return this.manager.getRepository(TaskStepEntity).find({ where: { taskId }, order: { startedAt: 'ASC' } });
  }

  async countSteps(taskId: string): Promise<{ total: number; completed: number }> {
    const row = await this.manager
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
  async insertStep(manager: EntityManager, values: Partial<TaskStepEntity>): Promise<TaskStepEntity> {
    const row = Object.assign(new TaskStepEntity(), { id: randomUUID(), ...values });
    const entries: [string, unknown][] = Object.entries(row as unknown as Record<string, unknown>).filter(
      ([, value]) => value !== undefined,
    );
    const columns = manager.connection.getMetadata(TaskStepEntity).columns;
    const names = entries.map(([property]) => (columns.find((c) => c.propertyName === property) as { databaseName: string }).databaseName);
    await fastQuery(
      manager,
      `INSERT INTO task_steps (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
      entries.map(([, value]): unknown => value),
    );
    return row;
  }

  /**
   * Claims queued tasks for this worker in one round trip (UPDATE … RETURNING): running, attempt counted,
   * queue wait recorded on the first attempt. Answers the claimed ones; a task cancelled or already finished
   * is left out.
   */
  async claim(taskIds: readonly string[], workerId: string, run: SqlRunner = this.sql): Promise<TaskEntity[]> {
    if (taskIds.length === 0) return [];
    const rows = await run(
      `UPDATE tasks SET status = 'running', worker_id = $2, started_at = now(), attempts = attempts + 1, updated_at = now(),
              queue_wait_ms = COALESCE(queue_wait_ms, GREATEST(0, (EXTRACT(EPOCH FROM (now() - created_at)) * 1000)::int))
        WHERE id = ANY($1::uuid[]) AND status IN ('pending', 'running') AND cancel_requested_at IS NULL
        RETURNING *`,
      [taskIds, workerId],
    );
    return rows.map((row) => this.fromRow(row));
  }

  /** Maps a raw `tasks` row (snake_case) to the entity, as TypeORM would. */
  private fromRow(row: Record<string, unknown>): TaskEntity {
    const task = new TaskEntity();
    const target = task as unknown as Record<string, unknown>;
    for (const column of this.manager.connection.getMetadata(TaskEntity).columns) {
      const value = row[column.databaseName];
      target[column.propertyName] = column.transformer && !Array.isArray(column.transformer) ? column.transformer.from(value) : value;
    }
    return task;
  }

  async updateStep(manager: EntityManager, id: string, patch: Partial<TaskStepEntity>): Promise<void> {
    await this.rawUpdate(manager, TaskStepEntity, 'task_steps', id, patch, false);
  }
}
