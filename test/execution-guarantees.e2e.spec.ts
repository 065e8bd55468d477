import type { ServerResponse } from 'node:http';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, LoopbackServer } from './support/loopback-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'guarantees-tenant';
/** CALLBACK_RETRY_DELAY_SECONDS: the smallest allowed, so three backed-off retries fit in a test. */
const RETRY_DELAY_S = 1;
/** Generous bounds for a loaded machine: waits end as soon as their condition holds. */
const LONG_WAIT_MS = 45_000;

interface SseEvent {
  id: number;
  event: string;
  data: Record<string, unknown>;
}

function parseEvents(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('id:'))
    .map((block) => ({
      id: Number(/^id: (\d+)$/m.exec(block)?.[1]),
      event: /^event: (\w+)$/m.exec(block)?.[1] ?? '',
      data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as Record<string, unknown>,
    }));
}

/** `status:pending`, `step:start`, `end`: one word per event, to compare whole sequences. */
function label(event: SseEvent): string {
  if (event.event === 'status') return `status:${String(event.data.status)}`;
  if (event.event === 'step') return `step:${String(event.data.phase)}`;
  return event.event;
}

/**
 * Behaviours the execution core promises over HTTP, each asserted so that breaking it fails a test:
 * callback retries with backoff, the exact SSE sequence with ids, queue_wait_ms of a task that waited, and
 * a 500 that tells nothing of the internal error.
 */
describe('execution guarantees over HTTP', () => {
  let testApp: TestApp;
  let dataSource: DataSource;
  let receiver: LoopbackServer;
  /** Requests to /hold/<name> stay open until released. */
  const held = new Map<string, ServerResponse>();
  const http = () => request(testApp.app.getHttpServer());
  const submit = (body: Record<string, unknown>) =>
    http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', TENANT)
      .send({ type: 'system_probe', description: 'probe', async_execution: true, ...body });
  const get = async (id: string) => (await http().get(`/api/crew/task/${id}?include=trace`).set('X-Tenant-ID', TENANT).expect(200)).body;
  const untilStatus = (id: string, statuses: string[]) =>
    eventually(async () => {
      const task = await get(id);
      return statuses.includes(task.status) ? task : undefined;
    }, LONG_WAIT_MS);
  const arrived = (path: string) => eventually(() => receiver.requests.find((r) => r.url === path), LONG_WAIT_MS);
  /** Answers a held request; returns the moment (ms) just before the answer was sent. */
  const release = (path: string): number => {
    const response = held.get(path);
    if (!response) throw new Error(`no held request for ${path}`);
    held.delete(path);
    const at = Date.now();
    response.writeHead(200, { 'content-type': 'text/plain' }).end('released');
    return at;
  };
  /** Opens the task's event stream and keeps reading it; `done` settles when the server ends it. */
  const openEvents = (taskId: string) => {
    let text = '';
    const done = http()
      .get(`/api/crew/task/${taskId}/events`)
      .set('X-Tenant-ID', TENANT)
      .buffer(true)
      .parse((response, callback) => {
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => callback(null, text));
      })
      .then((response) => response);
    return { events: () => parseEvents(text), done };
  };

  beforeAll(async () => {
    receiver = await new LoopbackServer().start();
    receiver.respond((recorded, response) => {
      if (recorded.url.startsWith('/hold/')) held.set(recorded.url, response);
      else if (recorded.url.startsWith('/fail/')) response.writeHead(500).end('callback receiver is down');
      else response.writeHead(204).end();
    });
    // One worker slot: a held task keeps the next one pending for as long as the test wants.
    testApp = await createTestApp({
      MAX_CONCURRENT_WORKFLOWS: '1',
      OUTBOUND_ALLOW_PRIVATE: 'true',
      CALLBACK_RETRY_DELAY_SECONDS: String(RETRY_DELAY_S),
    });
    dataSource = testApp.app.get<DataSource>(getDataSourceToken());
  });
  afterAll(async () => {
    for (const path of [...held.keys()]) release(path);
    await testApp?.dispose();
    await receiver?.close();
  });

  it('retries a failing callback exactly three times, the delays doubling from CALLBACK_RETRY_DELAY_SECONDS', async () => {
    const path = '/fail/callback';
    const accepted = await submit({ parameters: { wait_ms: 10 }, callback_url: `${receiver.url}${path}` }).expect(202);
    const taskId = accepted.body.task_id as string;
    // The delivery job ends failed once its retries are spent; only then is the count final.
    const job = await eventually(
      async () => {
        const rows = await dataSource.query<{ state: string; retry_count: number }[]>(
          `SELECT state, retry_count FROM pgboss.job WHERE name = 'crew-callbacks' AND data->>'taskId' = $1
             UNION ALL
             SELECT state, retry_count FROM pgboss.archive WHERE name = 'crew-callbacks' AND data->>'taskId' = $1`,
          [taskId],
        );
        return rows.length === 1 && rows[0].state === 'failed' ? rows[0] : undefined;
      },
      LONG_WAIT_MS,
      200,
    );
    expect(job).toEqual({ state: 'failed', retry_count: 3 });
    const deliveries = receiver.requests.filter((r) => r.url === path);
    expect(deliveries).toHaveLength(4);
    for (const delivery of deliveries) {
      expect(delivery.method).toBe('POST');
      expect(delivery.headers['x-crew-task-id']).toBe(taskId);
      expect(JSON.parse(delivery.body)).toMatchObject({ event: 'task.finished', task_id: taskId, status: 'completed' });
    }
    // Backoff: the n-th retry waits at least delay × 2^(n-1) (pg-boss adds up to as much again as jitter),
    // measured on the receiving server's clock. 10 ms allow for millisecond rounding between the clocks.
    const gaps = deliveries.slice(1).map((delivery, i) => delivery.receivedAt - deliveries[i].receivedAt);
    const base = RETRY_DELAY_S * 1000;
    for (const [i, gap] of gaps.entries())
      expect(gap, `delay before retry ${i + 1} (all: ${gaps.join(', ')} ms)`).toBeGreaterThanOrEqual(base * 2 ** i - 10);
  }, 90_000);

  it('streams a task that was pending: pending, running, step start, step finish, completed, end, with ids 1 to 6', async () => {
    const blocker = await submit({ parameters: { url: `${receiver.url}/hold/sse-blocker` } }).expect(202);
    await arrived('/hold/sse-blocker');
    const target = await submit({ parameters: { url: `${receiver.url}/hold/sse-target` } }).expect(202);
    const taskId = target.body.task_id as string;
    const stream = openEvents(taskId);
    await eventually(() => stream.events().length >= 1, LONG_WAIT_MS);
    release('/hold/sse-blocker');
    // Held in its HTTP call, the task is observably running until released.
    await arrived('/hold/sse-target');
    await eventually(() => stream.events().some((e) => e.event === 'step'), LONG_WAIT_MS);
    release('/hold/sse-target');
    const response = await stream.done;
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');

    const events = stream.events();
    expect(events.map(label)).toEqual(['status:pending', 'status:running', 'step:start', 'step:finish', 'status:completed', 'end']);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[0].data).toEqual({ task_id: taskId, status: 'pending' });
    expect(events[1].data).toEqual({ task_id: taskId, status: 'running' });
    const task = await get(taskId);
    const stepId = task.trace[0].id as string;
    expect(events[2].data).toMatchObject({
      phase: 'start',
      task_id: taskId,
      step_id: stepId,
      kind: 'tool',
      name: 'http_get',
      status: 'running',
    });
    expect(events[3].data).toMatchObject({
      phase: 'finish',
      task_id: taskId,
      step_id: stepId,
      kind: 'tool',
      name: 'http_get',
      status: 'completed',
    });
    expect(events[4].data).toEqual({ task_id: taskId, status: 'completed' });
    expect(events[5].data).toMatchObject({ task_id: taskId, status: 'completed', result: { http_status: 200, bytes: 8 } });
    await untilStatus(blocker.body.task_id as string, ['completed']);
  }, 90_000);

  it('streams a task that is already running: running first, then step start, step finish, completed, end, with ids 1 to 5', async () => {
    const running = await submit({ parameters: { url: `${receiver.url}/hold/sse-running` } }).expect(202);
    const taskId = running.body.task_id as string;
    await arrived('/hold/sse-running');
    const stream = openEvents(taskId);
    await eventually(() => stream.events().some((e) => e.event === 'step'), LONG_WAIT_MS);
    release('/hold/sse-running');
    await stream.done;

    const events = stream.events();
    expect(events.map(label)).toEqual(['status:running', 'step:start', 'step:finish', 'status:completed', 'end']);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0].data).toEqual({ task_id: taskId, status: 'running' });
    expect(events[3].data).toEqual({ task_id: taskId, status: 'completed' });
    expect(events[4].data).toMatchObject({ task_id: taskId, status: 'completed' });
  }, 90_000);

  it('records queue_wait_ms of a task that waited behind a busy slot: at least the time it waited, and start_time − created_at', async () => {
    const blocker = await submit({ parameters: { url: `${receiver.url}/hold/wait-blocker` } }).expect(202);
    await arrived('/hold/wait-blocker');
    const queued = await submit({ parameters: { wait_ms: 1 } }).expect(202);
    const queuedId = queued.body.task_id as string;
    expect((await get(queuedId)).status).toBe('pending');
    // Let it wait a while behind the held slot (a lower bound for the assertion, not a timing check).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const releasedAt = release('/hold/wait-blocker');
    const done = await untilStatus(queuedId, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    await untilStatus(blocker.body.task_id as string, ['completed']);

    const createdAt = Date.parse(done.created_at as string);
    const startedAt = Date.parse(done.start_time as string);
    // The slot was held until releasedAt: the task cannot have started before (1 ms for rounding).
    expect(startedAt).toBeGreaterThanOrEqual(releasedAt - 1);
    expect(releasedAt - createdAt).toBeGreaterThanOrEqual(500);
    expect(done.metrics.queue_wait_ms).toBeGreaterThanOrEqual(releasedAt - createdAt - 1);
    // It is the database's started_at − created_at in whole ms (the API's timestamps carry ms only).
    expect(Math.abs(done.metrics.queue_wait_ms - (startedAt - createdAt))).toBeLessThanOrEqual(1);
  }, 90_000);

  it('answers an unexpected error with the generic 500 problem+json, nothing of the internal message', async () => {
    await dataSource.query('ALTER TABLE tasks RENAME TO tasks_hidden_xq7');
    let response: request.Response;
    try {
      response = await http().get('/api/crew/tasks').set('X-Tenant-ID', TENANT).set('X-Request-Id', 'req-500-guarantee').expect(500);
    } finally {
      await dataSource.query('ALTER TABLE tasks_hidden_xq7 RENAME TO tasks');
    }
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['x-request-id']).toBe('req-500-guarantee');
    expect(response.body).toEqual({
      type: 'urn:ai-crew:problem:internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred. Quote the request id when reporting it.',
      instance: '/api/crew/tasks',
      request_id: 'req-500-guarantee',
    });
    // The database said: relation "tasks" does not exist (a QueryFailedError with a stack).
    for (const internal of ['tasks_hidden_xq7', 'relation', 'does not exist', 'QueryFailedError', '    at ', '.ts:', '.js:']) {
      expect(response.text).not.toContain(internal);
    }
  });
});
