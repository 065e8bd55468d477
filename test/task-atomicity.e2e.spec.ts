import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, LoopbackServer } from './support/loopback-server.js';
import { reply, type ScriptedOpenAiServer, startScriptedOpenAiServer } from './support/scripted-openai-server.js';
import { ServiceProcess, sharedDatabaseUrl } from './support/service-process.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'atomicity';
/** The description that marks a task whose completed state the injected trigger refuses. */
const FAIL = 'fail-after-write';
/** The description that marks a task whose completed state the injected trigger holds for three seconds. */
const SLOW = 'sleep-on-write';

/** Refuses (or delays) the completed state of a marked task: a failure after the task's business writes. */
const TRIGGER = `
  CREATE OR REPLACE FUNCTION atomicity_probe() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.status = 'completed' AND NEW.description = '${FAIL}' THEN
      RAISE EXCEPTION 'injected failure after the business write';
    END IF;
    IF NEW.status = 'completed' AND NEW.description = '${SLOW}' THEN
      PERFORM pg_sleep(3);
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER atomicity_probe BEFORE INSERT OR UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION atomicity_probe()`;
const DROP_TRIGGER = `DROP TRIGGER IF EXISTS atomicity_probe ON tasks; DROP FUNCTION IF EXISTS atomicity_probe()`;

describe('a task and its business writes commit together or not at all', () => {
  let testApp: TestApp;
  let db: DataSource;
  const upstream = new LoopbackServer();
  const http = () => request(testApp.app.getHttpServer());
  const execute = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    http()
      .post('/api/crew/execute')
      .set({ 'X-Tenant-ID': TENANT, ...headers })
      .send(body);
  const count = async (sql: string, values: unknown[]): Promise<number> =>
    Number((await db.query<{ n: string | number }[]>(sql, values))[0].n);
  const customers = (externalId: string) =>
    count(`SELECT count(*) AS n FROM customers WHERE tenant_id = $1 AND external_id = $2`, [TENANT, externalId]);
  const taskRow = async (id: string): Promise<{ status: string; error: string | null } | undefined> =>
    (await db.query<{ status: string; error: string | null }[]>(`SELECT status, error FROM tasks WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    await upstream.start();
    upstream.respond((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          records: [
            { id: 'sync-1', email: 'one@example.com', name: 'One' },
            { id: 'sync-2', email: 'two@example.com', name: 'Two' },
          ],
        }),
      ),
    );
    testApp = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' });
    db = testApp.app.get<DataSource>(getDataSourceToken());
  });
  afterAll(async () => {
    await testApp?.dispose();
    await upstream.close();
  });

  describe('a failure after the business write', () => {
    beforeAll(async () => {
      await db.query(TRIGGER);
    });
    afterAll(async () => {
      await db.query(DROP_TRIGGER);
    });

    it('leaves a direct task failed and no customer row', async () => {
      const response = await execute({ type: 'create_customer', description: FAIL, parameters: { external_id: 'fail-direct', name: 'F' } });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'failed', result: null, error: expect.stringMatching(/^internal_error/) });
      expect(JSON.stringify(response.body)).not.toContain('injected failure');
      expect(await taskRow(response.body.task_id)).toMatchObject({ status: 'failed' });
      expect(await customers('fail-direct')).toBe(0);
      // Without the marker the same write commits with its task.
      const ok = await execute({ type: 'create_customer', description: 'ok', parameters: { external_id: 'ok-direct', name: 'O' } }).expect(
        200,
      );
      expect(ok.body.status).toBe('completed');
      expect(await taskRow(ok.body.task_id)).toMatchObject({ status: 'completed' });
      expect(await customers('ok-direct')).toBe(1);
    });

    it('leaves an idempotent direct task failed and no customer row, and a replay does not run it again', async () => {
      const body = { type: 'create_customer', description: FAIL, parameters: { external_id: 'fail-keyed', name: 'K' } };
      const first = await execute(body, { 'Idempotency-Key': 'atomicity-fail-1' }).expect(200);
      expect(first.body).toMatchObject({ status: 'failed', error: expect.stringMatching(/^internal_error/) });
      expect(await taskRow(first.body.task_id)).toMatchObject({ status: 'failed' });
      expect(await customers('fail-keyed')).toBe(0);
      const replay = await execute(body, { 'Idempotency-Key': 'atomicity-fail-1' }).expect(200);
      expect(replay.body).toMatchObject({ task_id: first.body.task_id, status: 'failed' });
      expect(await customers('fail-keyed')).toBe(0);
    });

    it('leaves a queued task failed, its writes undone and its trace kept', async () => {
      for (const [index, email] of ['a@leads.example', 'b@leads.example'].entries()) {
        const created = await execute({
          type: 'create_lead',
          description: 'lead',
          parameters: { external_id: `lead-${index}`, email, engagement_score: 40 + index * 30, demo_requested: index === 1 },
        }).expect(200);
        expect(created.body.status).toBe('completed');
      }
      const scored = () => count(`SELECT count(*) AS n FROM leads WHERE tenant_id = $1 AND scored_at IS NOT NULL`, [TENANT]);
      // single_agent runs deterministically without an LLM, through the queue; its handler saves the scores.
      const response = await execute({
        type: 'crm_lead_scoring',
        description: FAIL,
        parameters: {},
        preferred_strategy: 'single_agent',
      }).expect(200);
      expect(response.body).toMatchObject({ status: 'failed', error: expect.stringMatching(/^internal_error/) });
      expect(await scored()).toBe(0);
      const task = await http().get(`/api/crew/task/${response.body.task_id}?include=trace`).set('X-Tenant-ID', TENANT).expect(200);
      expect(task.body.status).toBe('failed');
      expect(task.body.trace.length).toBeGreaterThan(0);
      // Unmarked, the scores commit with the task.
      const ok = await execute({ type: 'crm_lead_scoring', description: 'ok', parameters: {}, preferred_strategy: 'single_agent' }).expect(
        200,
      );
      expect(ok.body.status).toBe('completed');
      expect(await scored()).toBe(2);
    });

    it('leaves a sync failed with nothing imported or staged', async () => {
      const connection = await execute({
        type: 'integrations_create_connection',
        description: 'connection',
        parameters: { name: 'atomic', base_url: `${upstream.url}/api`, target_domain: 'crm' },
      }).expect(200);
      expect(connection.body.status).toBe('completed');
      const connectionId = connection.body.result.connection_id as string;
      const response = await execute({
        type: 'integrations_sync',
        description: FAIL,
        parameters: { connection_id: connectionId, path: '/contacts' },
      }).expect(200);
      expect(response.body).toMatchObject({ status: 'failed', error: expect.stringMatching(/^internal_error/) });
      expect(await taskRow(response.body.task_id)).toMatchObject({ status: 'failed' });
      expect(await count(`SELECT count(*) AS n FROM integration_records WHERE connection_id = $1`, [connectionId])).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM sync_runs WHERE connection_id = $1 AND status = 'succeeded'`, [connectionId])).toBe(0);
      expect(await customers('sync-1')).toBe(0);
    });
  });

  it('runs plan steps that read while another writes (no read waits behind the task’s own transaction)', async () => {
    for (const [index, email] of ['e@plan.example', 'f@plan.example'].entries()) {
      await execute({ type: 'create_lead', description: 'lead', parameters: { external_id: `plan-${index}`, email } }).expect(200);
      await execute({
        type: 'create_customer',
        description: 'customer',
        parameters: { external_id: `plan-${index}`, name: `P${index}`, ltv: 1000 * (index + 1), engagement_score: 40, churn_risk: 0.3 },
      }).expect(200);
    }
    // The lead step saves scores while the customer steps read, concurrently.
    for (let run = 0; run < 5; run++) {
      const response = await execute({
        type: 'comprehensive_crm_analysis',
        description: 'plan',
        parameters: {},
        preferred_strategy: 'multi_agent',
        timeout: 20,
      }).expect(200);
      expect(response.body.status, JSON.stringify(response.body.error)).toBe('completed');
    }
  });

  it('answers an idempotent replay with the same task and writes the customer once', async () => {
    const body = { type: 'create_customer', description: 'keyed', parameters: { external_id: 'keyed-once', name: 'Once' } };
    const first = await execute(body, { 'Idempotency-Key': 'atomicity-once' }).expect(200);
    const second = await execute(body, { 'Idempotency-Key': 'atomicity-once' }).expect(200);
    expect(first.body.status).toBe('completed');
    expect(second.body).toMatchObject({ task_id: first.body.task_id, status: 'completed' });
    expect(await customers('keyed-once')).toBe(1);
  });

  describe('a process killed during a write task', () => {
    let service: ServiceProcess | undefined;
    afterEach(async () => {
      await service?.stop();
      await db.query(DROP_TRIGGER);
    });

    // The kill must land while the write is in the database server; the embedded database dies with its process.
    it.runIf(process.env.TEST_DATABASE_URL)('leaves no customer row without its task', async () => {
      service = await ServiceProcess.start({ DATABASE_URL: sharedDatabaseUrl(testApp.env), WORKER_ENABLED: 'false' });
      await db.query(TRIGGER);
      const submit = (externalId: string, headers: Record<string, string>) =>
        fetch(`${(service as ServiceProcess).url}/api/crew/execute`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tenant-id': TENANT, ...headers },
          body: JSON.stringify({ type: 'create_customer', description: SLOW, parameters: { external_id: externalId, name: 'Killed' } }),
        }).catch(() => undefined);
      const answers = [submit('killed-direct', {}), submit('killed-keyed', { 'Idempotency-Key': 'atomicity-killed' })];
      const sleeping = () =>
        count(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'`, []);
      await eventually(async () => (await sleeping()) === 2, 10_000);
      service.kill('SIGKILL');
      await service.waitForExit(5000);
      await Promise.all(answers);
      // The server ends the dead client's transactions once the sleeps return.
      await eventually(
        async () =>
          (await count(
            `SELECT count(*) AS n FROM pg_stat_activity
              WHERE datname = current_database() AND (wait_event = 'PgSleep' OR state LIKE 'idle in transaction%')`,
            [],
          )) === 0,
        15_000,
      );
      expect(await customers('killed-direct')).toBe(0);
      expect(await customers('killed-keyed')).toBe(0);
      expect(
        await count(`SELECT count(*) AS n FROM tasks WHERE tenant_id = $1 AND description = $2 AND idempotency_key IS NULL`, [
          TENANT,
          SLOW,
        ]),
      ).toBe(0);
      // The keyed task's row was written (running) before it ran: it stays, without the customer.
      const keyed = await db.query<{ status: string }[]>(`SELECT status FROM tasks WHERE tenant_id = $1 AND idempotency_key = $2`, [
        TENANT,
        'atomicity-killed',
      ]);
      expect(keyed).toEqual([{ status: 'running' }]);
    });
  });

  describe('an LLM call after the business write', () => {
    let llmApp: TestApp;
    let server: ScriptedOpenAiServer;
    const onLlmApp = (body: Record<string, unknown>) =>
      request(llmApp.app.getHttpServer()).post('/api/crew/execute').set('X-Tenant-ID', TENANT).send(body);

    beforeAll(async () => {
      server = await startScriptedOpenAiServer();
      server.setScript(() =>
        reply.message(JSON.stringify({ summary: 'Two leads.', highlights: ['demo'], recommendations: ['Call b'] }), {
          usage: { prompt_tokens: 100, completion_tokens: 20 },
        }),
      );
      llmApp = await createTestApp({ OPENAI_BASE_URL: server.url, OPENAI_MODEL: 'gpt-4o-mini', LLM_MAX_RETRIES: '1' });
      for (const [index, email] of ['c@leads.example', 'd@leads.example'].entries()) {
        const created = await onLlmApp({
          type: 'create_lead',
          description: 'lead',
          parameters: { external_id: `llm-${index}`, email },
        }).expect(200);
        expect(created.body.status).toBe('completed');
      }
    });
    afterAll(async () => {
      await llmApp?.dispose();
      await server?.close();
    });

    it('scores the stored leads: with the narrative on PostgreSQL, deterministically on the embedded database (no deadlock)', async () => {
      const response = await onLlmApp({ type: 'crm_lead_scoring', description: 'score stored leads', parameters: {} }).expect(200);
      expect(response.body.status).toBe('completed');
      const llmDb = llmApp.app.get<DataSource>(getDataSourceToken());
      const [{ n }] = await llmDb.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM leads WHERE tenant_id = $1 AND scored_at IS NOT NULL`,
        [TENANT],
      );
      expect(n).toBe(2);
      if (process.env.TEST_DATABASE_URL) {
        // The transaction stayed open across the call: the narrative came, and the call was counted.
        expect(response.body.metrics).toMatchObject({ fallback_chain: ['single_agent'], llm_calls: 1, input_tokens: 100 });
        expect(response.body.result.narrative).toMatchObject({ summary: 'Two leads.' });
      } else {
        // The embedded database would stop the call's bookkeeping behind the open transaction: the model is not asked.
        expect(response.body.metrics.fallback_chain).toEqual(['single_agent', 'deterministic']);
        expect(response.body.result.narrative).toBeUndefined();
      }
    });
  });
});
