import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED_POSTGRES } from '../src/database/database.module.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import type { EmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { fastQuery, preparedName, preparesStatements, withoutPreparedStatements } from '../src/database/fast-query.js';
import { BufferedStepRecorder } from '../src/execution/step-recorder.js';
import { GetTaskListTask } from '../src/system/get-task-list.task.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** A one-connection data source on the test app's database, so pg_prepared_statements shows that connection's. */
async function oneConnection(testApp: TestApp): Promise<DataSource> {
  const embedded = testApp.app.get<EmbeddedPostgres | null>(EMBEDDED_POSTGRES);
  const target = testApp.database.url ? { url: testApp.database.url } : { socketDir: embedded?.socketDir };
  return new DataSource({ ...dataSourceOptions({ ...target, poolSize: 1 }), migrations: [] }).initialize();
}

async function preparedTexts(dataSource: DataSource): Promise<Map<string, string>> {
  const rows = await dataSource.query<{ name: string; statement: string }[]>('SELECT name, statement FROM pg_prepared_statements');
  return new Map(rows.map((row) => [row.name, row.statement]));
}

describe('hot-path statements are prepared once per connection', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('names a statement after its text: one name per text, stable across calls', () => {
    const text = 'SELECT id FROM tasks WHERE tenant_id = $1';
    expect(preparedName(text)).toMatch(/^crew_[0-9a-f]{24}$/);
    expect(preparedName(text)).toBe(preparedName(text));
    expect(preparedName(`${text} LIMIT 1`)).not.toBe(preparedName(text));
  });

  it('prepares the statement on the connection that runs it, and answers the same rows as an unprepared query', async () => {
    const dataSource = await oneConnection(testApp);
    try {
      const text = 'SELECT $1::text AS tenant, count(*)::int AS tasks FROM tasks WHERE tenant_id = $1';
      const first = await fastQuery(dataSource.manager, text, ['prepared-acme']);
      const second = await fastQuery(dataSource.manager, text, ['prepared-acme']);
      expect(first).toEqual([{ tenant: 'prepared-acme', tasks: 0 }]);
      expect(second).toEqual(first);
      expect((await preparedTexts(dataSource)).get(preparedName(text) as string)).toBe(text);
    } finally {
      await dataSource.destroy();
    }
  });

  it('DATABASE_PREPARED_STATEMENTS=false: the same query runs unnamed', async () => {
    const dataSource = await oneConnection(testApp);
    try {
      withoutPreparedStatements(dataSource);
      const text = 'SELECT $1::int + 1 AS next';
      expect(await fastQuery(dataSource.manager, text, [41])).toEqual([{ next: 42 }]);
      const texts = [...(await preparedTexts(dataSource)).values()];
      // On the embedded database every connection shares one session; none of them prepared this text.
      expect(texts).not.toContain(text);
    } finally {
      await dataSource.destroy();
    }
  });

  it('planPerCall: the statement runs unnamed (planned for its own values each time), with prepared statements on', async () => {
    const dataSource = await oneConnection(testApp);
    try {
      expect(preparesStatements(dataSource)).toBe(true);
      const text = 'SELECT $1::int * 2 AS twice';
      expect(await fastQuery(dataSource.manager, text, [21], { planPerCall: true })).toEqual([{ twice: 42 }]);
      expect([...(await preparedTexts(dataSource)).values()]).not.toContain(text);
    } finally {
      await dataSource.destroy();
    }
  });

  it('get_task_list (a tenant-scoped LIMIT query) is never prepared, so no generic plan serves every tenant', async () => {
    const dataSource = await oneConnection(testApp);
    try {
      const signal = new AbortController().signal;
      const outcome = await testApp.app.get(GetTaskListTask).run(
        {
          taskId: randomUUID(),
          tenantId: 'plan-per-call',
          description: 'List tasks',
          signal,
          manager: dataSource.manager,
          write: (work) => work(dataSource.manager),
          trace: new BufferedStepRecorder(randomUUID(), 'plan-per-call', signal),
          stepSignal: () => signal,
        },
        { limit: 1 },
      );
      expect(outcome.result).toEqual({ count: 0, tasks: [] });
      const texts = [...(await preparedTexts(dataSource)).values()];
      expect(texts.some((text) => text.includes('ORDER BY created_at DESC, id DESC LIMIT'))).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });

  it('a direct task completes with prepared statements off (the setting reaches the app)', async () => {
    expect(preparesStatements(testApp.app.get(DataSource))).toBe(true);
    const off = await createTestApp({ DATABASE_PREPARED_STATEMENTS: 'false' });
    try {
      expect(preparesStatements(off.app.get(DataSource))).toBe(false);
      const answer = await request(off.app.getHttpServer())
        .post('/api/crew/execute')
        .send({ type: 'get_task_list', description: 'List tasks', tenant_id: 'unprepared' })
        .expect(200);
      expect(answer.body).toMatchObject({ status: 'completed', result: { count: 0, tasks: [] } });
    } finally {
      await off.dispose();
    }
  });
});
