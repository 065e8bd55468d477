import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, LoopbackServer } from './support/loopback-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'exec-tenant';

describe('execution core (queue, background, cancellation, timeouts, callbacks, events)', () => {
  let testApp: TestApp;
  let receiver: LoopbackServer;
  const http = () => request(testApp.app.getHttpServer());
  const submit = (body: Record<string, unknown>) =>
    http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', TENANT)
      .send({ type: 'system_probe', description: 'probe', ...body });
  const get = async (id: string) => (await http().get(`/api/crew/task/${id}?include=trace`).set('X-Tenant-ID', TENANT).expect(200)).body;
  const untilStatus = (id: string, statuses: string[]) =>
    eventually(async () => {
      const task = await get(id);
      return statuses.includes(task.status) ? task : undefined;
    });

  beforeAll(async () => {
    receiver = await new LoopbackServer().start();
    // One slot makes queue order and saturation observable.
    testApp = await createTestApp({ MAX_CONCURRENT_WORKFLOWS: '1', OUTBOUND_ALLOW_PRIVATE: 'true', CALLBACK_RETRY_DELAY_SECONDS: '1' });
  });
  afterAll(async () => {
    await testApp?.dispose();
    await receiver?.close();
  });

  it('answers 202 at once for async_execution and completes in the background', async () => {
    const accepted = await submit({ parameters: { wait_ms: 300 }, async_execution: true }).expect(202);
    expect(accepted.body).toMatchObject({ status: 'pending', links: { self: `/api/crew/task/${accepted.body.task_id}` } });
    // Typed like a finished task's metrics (numbers, not the database's numeric strings).
    expect(accepted.body.metrics).toMatchObject({ cost_usd: 0, llm_calls: 0, queue_wait_ms: null });
    expect(accepted.headers.location).toBe(accepted.body.links.self);
    const done = await untilStatus(accepted.body.task_id, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', attempts: 1, result: { url: null, http_status: null } });
    expect(done.result.waited_ms).toBeGreaterThanOrEqual(300);
    expect(done.metrics.queue_wait_ms).toBeGreaterThanOrEqual(0);
    expect(done.trace).toHaveLength(1);
    expect(done.trace[0]).toMatchObject({ kind: 'wait', name: 'wait', status: 'completed', attempt: 1 });
    expect(done.progress).toEqual({ completed_steps: 1, total_steps: 1, percent: 100 });
  });

  it('waits for a queued task synchronously and answers 200 with the result', async () => {
    const response = await submit({ parameters: { wait_ms: 100 } }).expect(200);
    expect(response.body).toMatchObject({ status: 'completed', strategy_used: 'direct_api', metrics: { ai_mode: 'deterministic' } });
  });

  it('rejects a probe without wait_ms or url before creating a task', async () => {
    const response = await submit({ parameters: {} }).expect(422);
    expect(response.body.errors).toEqual([{ field: 'parameters', message: 'give wait_ms, url or both' }]);
  });

  it('delivers the final result to callback_url, retrying after a failure', async () => {
    let calls = 0;
    receiver.requests.length = 0;
    receiver.respond((_request, response) => {
      calls += 1;
      response.writeHead(calls === 1 ? 500 : 204).end();
    });
    const accepted = await submit({ parameters: { wait_ms: 10 }, async_execution: true, callback_url: `${receiver.url}/hook` }).expect(202);
    await eventually(() => receiver.requests.length >= 2, 15_000);
    const delivered = receiver.requests[1];
    expect(delivered.method).toBe('POST');
    expect(delivered.url).toBe('/hook');
    expect(delivered.headers['x-crew-task-id']).toBe(accepted.body.task_id);
    expect(JSON.parse(delivered.body)).toMatchObject({ event: 'task.finished', task_id: accepted.body.task_id, status: 'completed' });
    expect(JSON.parse(receiver.requests[0].body).task_id).toBe(accepted.body.task_id);
  });

  it('runs queued tasks by priority when the pool is saturated (10 first)', async () => {
    const blocker = await submit({ parameters: { wait_ms: 1500 }, async_execution: true }).expect(202);
    await untilStatus(blocker.body.task_id, ['running']);
    const ids: Record<number, string> = {};
    for (const priority of [1, 5, 10, 3]) {
      ids[priority] = (await submit({ parameters: { wait_ms: 20 }, priority, async_execution: true }).expect(202)).body.task_id;
    }
    const finished = await Promise.all(Object.values(ids).map((id) => untilStatus(id, ['completed'])));
    const order = finished
      .sort((a, b) => Date.parse(a.start_time) - Date.parse(b.start_time))
      .map((task) => Object.entries(ids).find(([, id]) => id === task.id)?.[0]);
    expect(order).toEqual(['10', '5', '3', '1']);
  });

  it('cancels a pending task in the queue: it never starts', async () => {
    const blocker = await submit({ parameters: { wait_ms: 800 }, async_execution: true }).expect(202);
    await untilStatus(blocker.body.task_id, ['running']);
    const queued = await submit({ parameters: { wait_ms: 10 }, async_execution: true }).expect(202);
    const cancel = await http().delete(`/api/crew/task/${queued.body.task_id}`).set('X-Tenant-ID', TENANT).expect(200);
    expect(cancel.body).toEqual({ status: 'cancelled', task_id: queued.body.task_id });
    await untilStatus(blocker.body.task_id, ['completed']);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const after = await get(queued.body.task_id);
    expect(after).toMatchObject({ status: 'cancelled', attempts: 0, start_time: null, trace: [] });
    const again = await http().delete(`/api/crew/task/${queued.body.task_id}`).set('X-Tenant-ID', TENANT).expect(409);
    expect(again.body).toMatchObject({ status: 409, task_status: 'cancelled' });
  });

  it('cancels a running task: the in-flight HTTP request is closed and the slot frees', async () => {
    receiver.requests.length = 0;
    receiver.respond(() => 'hang');
    const running = await submit({ parameters: { url: `${receiver.url}/slow` }, async_execution: true }).expect(202);
    await eventually(() => receiver.requests.length === 1);
    const cancelledAt = Date.now();
    const cancel = await http().delete(`/api/crew/task/${running.body.task_id}`).set('X-Tenant-ID', TENANT).expect(200);
    expect(cancel.body).toEqual({ status: 'cancelled', task_id: running.body.task_id });
    await eventually(() => receiver.requests[0].closedEarly, 1000);
    const task = await get(running.body.task_id);
    expect(task).toMatchObject({ status: 'cancelled', error: 'The task was cancelled' });
    expect(task.trace[0]).toMatchObject({ kind: 'tool', name: 'http_get', status: 'cancelled' });
    // The only slot is free again: the next task starts and finishes promptly.
    receiver.respond((_request, response) => response.writeHead(200).end('ok'));
    const next = await submit({ parameters: { wait_ms: 10 } }).expect(200);
    expect(next.body.status).toBe('completed');
    expect(Date.parse((await get(next.body.task_id)).start_time) - cancelledAt).toBeLessThan(5000);
  });

  it('ends a task that runs past its timeout as timed_out with guidance', async () => {
    const response = await submit({ parameters: { wait_ms: 10_000 }, timeout: 1 }).expect(200);
    expect(response.body).toMatchObject({
      status: 'timed_out',
      error: 'The task exceeded its timeout of 1 s',
      guidance: expect.stringContaining('Raise "timeout"'),
    });
    expect(response.body.execution_time).toBeGreaterThanOrEqual(1);
  });

  it('streams status and step events over SSE, ending with the final result', async () => {
    const accepted = await submit({ parameters: { wait_ms: 400 }, async_execution: true }).expect(202);
    const stream = await http()
      .get(`/api/crew/task/${accepted.body.task_id}/events`)
      .set('X-Tenant-ID', TENANT)
      .buffer(true)
      .parse((response, callback) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => callback(null, text));
      })
      .expect(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = String(stream.body)
      .split('\n\n')
      .filter((block) => block.startsWith('id:'))
      .map((block) => {
        const event = /event: (\w+)/.exec(block)?.[1];
        const data = JSON.parse(/data: (.*)/.exec(block)?.[1] ?? 'null');
        return { event, data };
      });
    const names = events.map((e) =>
      e.event === 'step' ? `step:${e.data.phase}` : e.event === 'status' ? `status:${e.data.status}` : e.event,
    );
    expect(names).toContain('step:start');
    expect(names).toContain('step:finish');
    expect(names.indexOf('step:start')).toBeLessThan(names.indexOf('step:finish'));
    expect(names.at(-2)).toBe('status:completed');
    expect(names.at(-1)).toBe('end');
    expect(events.at(-1)?.data).toMatchObject({ task_id: accepted.body.task_id, status: 'completed' });
  });

  it('answers 404 for the events of another tenant’s task', async () => {
    const accepted = await submit({ parameters: { wait_ms: 10 } }).expect(200);
    const response = await http().get(`/api/crew/task/${accepted.body.task_id}/events`).set('X-Tenant-ID', 'someone-else').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
