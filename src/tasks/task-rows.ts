import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { decodeKeysetCursor, encodeKeysetCursor, type KeysetPosition } from '../common/keyset-cursor.js';
import { ValidationProblem } from '../common/problem.js';
import { TaskEntity } from './entities/task.entity.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

export function encodeCursor(task: TaskEntity): string {
  return encodeKeysetCursor(task.createdAt, task.id);
}

export function decodeCursor(cursor: string): KeysetPosition {
  const position = decodeKeysetCursor(cursor);
  if (!position) {
    throw new ValidationProblem([
      { field: 'cursor', message: 'is not a cursor this service issued; pass next_cursor from the previous page' },
    ]);
  }
  return position;
}

/** Every column's value for a new task row, as the migration's defaults would set them. */
export function taskDefaults(): Partial<TaskEntity> {
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

/** Maps a raw `tasks` row (snake_case) to the entity, as TypeORM would. */
export function taskFromRow(dataSource: DataSource, row: Record<string, unknown>): TaskEntity {
  const task = new TaskEntity();
  const target = task as unknown as Record<string, unknown>;
  for (const column of dataSource.getMetadata(TaskEntity).columns) {
    const value = row[column.databaseName];
    target[column.propertyName] = column.transformer && !Array.isArray(column.transformer) ? column.transformer.from(value) : value;
  }
  return task;
}

/** The whole-row INSERT of a task: every column a parameter, JSON columns serialised by the caller. */
export function insertTaskStatement(dataSource: DataSource): { sql: string; columns: [string, boolean][] } {
  const columns = dataSource.getMetadata(TaskEntity).columns.map((column) => ({
    name: column.databaseName,
    property: column.propertyName,
    json: column.type === 'jsonb',
  }));
  return {
    sql: `INSERT INTO tasks (${columns.map((c) => c.name).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    columns: columns.map((c) => [c.property, c.json]),
  };
}
