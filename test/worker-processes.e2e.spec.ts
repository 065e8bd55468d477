import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/loopback-server.js';
import { ServiceProcess, sharedDatabaseUrl } from './support/service-process.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'proc-tenant';
// Short expiry so a dead worker's job comes back within seconds.
const QUEUE_ENV = { TASK_EXPIRY_MARGIN_SECONDS: '2', QUEUE_MAINTENANCE_SECONDS: '1' };

function suite(name: string, apiEnv: Record<string, string>, body: (context: () => Context) => void): void {
  describe(name, () => {
    const context = {} as Context;
    beforeAll(async () => {
      // The in-process app is API-only: every task runs in a worker process.
      context.api = await createTestApp({ ...QUEUE_ENV, WORKER_ENABLED: 'false', ...apiEnv });
      context.workers = [];
      context.startWorker = async (env = {}) => {
        const worker = await ServiceProcess.start({ ...QUEUE_ENV, DATABASE_URL: sharedDatabaseUrl(context.api.env), ...env });
        context.workers.push(worker);
        return worker;
      };
    });
    afterEach(async () => {
      await Promise.all(context.workers.map((worker) => worker.stop()));
      context.workers = [];
    });
    afterAll(async () => {
      await context.api?.dispose();
    });
    body(() => context);
  });
}

interface Context {
  api: TestApp;
  workers: ServiceProcess[];
  startWorker(env?: Record<string, string>): Promise<ServiceProcess>;
}

async function submit(context: Context, parameters: Record<string, unknown>, timeout: number): Promise<string> {
  const response = await request(context.api.app.getHttpServer())
    .post('/api/crew/execute')
    .set('X-Tenant-ID', TENANT)
    .send({ type: 'system_probe', description: 'probe', parameters, timeout, async_execution: true })
    .expect(202);
  return response.body.task_id as string;
}

async function task(context: Context, id: string): Promise<Record<string, any>> {
  return (await request(context.api.app.getHttpServer()).get(`/api/crew/task/${id}?include=trace`).set('X-Tenant-ID', TENANT).expect(200))
    .body;
}

async function runningOn(context: Context, id: string, worker: ServiceProcess): Promise<void> {
  await eventually(async () => {
    const current = await task(context, id);
    return current.status === 'running' && current.trace.length > 0 && current.attempts >= 1;
  }, 15_000);
  expect(worker.output.join('')).not.toContain('ERROR');
}

suite('worker processes: crash recovery and drain', {}, (ctx) => {
  it('re-delivers the task of a SIGKILLed worker to another worker, which completes it exactly once', async () => {
    const context = ctx();
    const first = await context.startWorker();
    const id = await submit(context, { wait_ms: 2500 }, 3);
    await runningOn(context, id, first);
    first.kill('SIGKILL');
    await first.waitForExit(5000);
    await context.startWorker();
    const done = await eventually(async () => {
      const current = await task(context, id);
      return ['completed', 'failed', 'timed_out'].includes(current.status) ? current : undefined;
    }, 30_000);
    expect(done).toMatchObject({ status: 'completed', attempts: 2 });
    const steps = done.trace.map((step: Record<string, unknown>) => ({ attempt: step.attempt, status: step.status }));
    expect(steps).toEqual([
      { attempt: 1, status: 'abandoned' },
      { attempt: 2, status: 'completed' },
    ]);
    expect(done.progress).toEqual({ completed_steps: 1, total_steps: 1, percent: 100 });
  });

  it('SIGTERM lets the running task finish before the process exits', async () => {
    const context = ctx();
    const worker = await context.startWorker({ SHUTDOWN_GRACE_SECONDS: '15' });
    const id = await submit(context, { wait_ms: 1500 }, 20);
    await runningOn(context, id, worker);
    worker.kill('SIGTERM');
    await worker.waitForExit(15_000);
    const done = await task(context, id);
    expect(done).toMatchObject({ status: 'completed', attempts: 1 });
    expect(done.trace).toHaveLength(1);
  });

  it('SIGTERM past the grace period hands the task back to the queue for another worker', async () => {
    const context = ctx();
    const worker = await context.startWorker({ SHUTDOWN_GRACE_SECONDS: '1' });
    const id = await submit(context, { wait_ms: 4000 }, 30);
    await runningOn(context, id, worker);
    worker.kill('SIGTERM');
    await worker.waitForExit(10_000);
    expect(worker.output.join('')).toContain('handing 1 task(s) back to the queue');
    expect((await task(context, id)).status).toBe('pending');
    await context.startWorker();
    const done = await eventually(async () => {
      const current = await task(context, id);
      return current.status === 'completed' ? current : undefined;
    }, 30_000);
    expect(done.attempts).toBe(2);
    expect(done.trace.map((step: Record<string, unknown>) => step.status)).toEqual(['abandoned', 'completed']);
  });
});

suite('worker processes: retry limit', { TASK_MAX_ATTEMPTS: '1' }, (ctx) => {
  it('fails a task with a clear error when its only allowed delivery died', async () => {
    const context = ctx();
    const worker = await context.startWorker({ TASK_MAX_ATTEMPTS: '1' });
    const id = await submit(context, { wait_ms: 2500 }, 2);
    await runningOn(context, id, worker);
    worker.kill('SIGKILL');
    await worker.waitForExit(5000);
    // Only the API instance is left; its sweeper must still end the task.
    const done = await eventually(async () => {
      const current = await task(context, id);
      return current.status === 'running' ? undefined : current;
    }, 30_000);
    expect(done).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'The worker running this task stopped 1 time(s); the retry limit (TASK_MAX_ATTEMPTS=1) is reached.',
    });
    expect(done.guidance).toContain('Submit the task again');
  });
});
