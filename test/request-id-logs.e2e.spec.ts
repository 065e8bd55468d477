import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrewLogger } from '../src/common/crew-logger.js';
import { logFor } from '../src/common/request-context.js';
import { eventually, LoopbackServer } from './support/loopback-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type JsonLine = { context?: string; message?: unknown; request_id?: string; level?: string };

/** The service's JSON logger, keeping each line it would print. */
class CapturingLogger extends CrewLogger {
  readonly lines: JsonLine[] = [];

  constructor() {
    super('info', true);
  }

  protected override printAsJson(message: unknown, options: Parameters<CrewLogger['printAsJson']>[1]): void {
    this.lines.push(this.getJsonLogObject(message, options));
  }
}

describe('request ids on log lines (carried explicitly, no AsyncLocalStorage)', () => {
  let testApp: TestApp;
  let receiver: LoopbackServer;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    receiver = await new LoopbackServer().start();
    testApp = await createTestApp({ LOG_LEVEL: 'info', OUTBOUND_ALLOW_PRIVATE: 'true' }, { logger });
  });
  afterAll(async () => {
    await testApp?.dispose();
    await receiver?.close();
  });

  it('a line logged through logFor names the request; lines outside it name none, and nesting restores the outer one', () => {
    logger.lines.length = 0;
    logFor('outer-req', () => {
      logger.log('first', 'Test');
      logFor('inner-req', () => logger.warn('second', 'Test'));
      logger.log('third', 'Test');
    });
    logger.log('fourth', 'Test');
    logFor(null, () => logger.log('fifth', 'Test'));
    expect(logger.lines.map((line) => [line.message, line.request_id])).toEqual([
      ['first', 'outer-req'],
      ['second', 'inner-req'],
      ['third', 'outer-req'],
      ['fourth', undefined],
      ['fifth', undefined],
    ]);
  });

  it("keeps the submitting request's id on the task, and a background line about the task names it", async () => {
    receiver.respond((_request, response) => response.writeHead(204).end());
    const accepted = await request(testApp.app.getHttpServer())
      .post('/api/crew/execute')
      .set('X-Tenant-ID', 'log-tenant')
      .set('X-Request-Id', 'req-log-42')
      .send({
        type: 'system_probe',
        description: 'probe with a callback',
        parameters: { wait_ms: 10 },
        async_execution: true,
        callback_url: `${receiver.url}/hook`,
      })
      .expect(202);
    expect(accepted.headers['x-request-id']).toBe('req-log-42');
    const taskId = accepted.body.task_id as string;
    const rows = await testApp.app.get(DataSource).query<{ request_id: string }[]>('SELECT request_id FROM tasks WHERE id = $1', [taskId]);
    expect(rows).toEqual([{ request_id: 'req-log-42' }]);

    // The callback goes out from the callback queue's worker, long after the request answered.
    const delivered = await eventually(() =>
      logger.lines.find((line) => line.context === 'CallbackService' && String(line.message).includes(`task ${taskId} delivered`)),
    );
    expect(delivered.request_id).toBe('req-log-42');
  });

  it('an error answered as problem+json is logged with the request id the response carries', async () => {
    logger.lines.length = 0;
    // A body the JSON parser cannot read is a 400 (not logged); a 500 is logged: make the database refuse a query.
    const dataSource = testApp.app.get(DataSource);
    await dataSource.query('ALTER TABLE tasks RENAME TO tasks_away');
    try {
      const failed = await request(testApp.app.getHttpServer())
        .get('/api/crew/tasks')
        .set('X-Tenant-ID', 'log-tenant')
        .set('X-Request-Id', 'req-log-500')
        .expect(500);
      expect(failed.body.request_id).toBe('req-log-500');
    } finally {
      await dataSource.query('ALTER TABLE tasks_away RENAME TO tasks');
    }
    const line = logger.lines.find((entry) => entry.level === 'error' && entry.context === 'ProblemFilter');
    expect(line?.request_id).toBe('req-log-500');
  });
});
