import { randomUUID } from 'node:crypto';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StepRecorder } from '../src/execution/step-recorder.js';
import { TaskEvents, type TaskEvent } from '../src/execution/task-events.js';
import { TaskStore } from '../src/tasks/task.store.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('worker bookkeeping: the trace written behind the work, the batch claim', () => {
  let testApp: TestApp;
  let store: TaskStore;

  beforeAll(async () => {
    testApp = await createTestApp();
    store = new TaskStore(testApp.app.get<DataSource>(getDataSourceToken()));
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  const newTask = (status: 'pending' | 'running' | 'completed' | 'cancelled' = 'running') =>
    store.insert({
      tenantId: 'trace-tenant',
      type: 'system_probe',
      description: 'trace test',
      strategy: 'direct_api',
      status,
      attempts: status === 'running' ? 1 : 0,
      timeoutS: 60,
    });

  function recorder(taskId: string, events = new TaskEvents()): StepRecorder {
    return new StepRecorder(store, events, taskId, 'trace-tenant', 1, new AbortController().signal, { writeBehind: true });
  }

  it('lets the work go on before the rows are written, writes them in order, and emits each step event after its write', async () => {
    const task = await newTask();
    const events = new TaskEvents();
    // What a reader sees in the database the moment each step event fires.
    const seen: Promise<number>[] = [];
    events.subscribe(task.id, (event: TaskEvent) => {
      if (event.kind === 'step') seen.push(store.steps(task.id).then((rows) => rows.filter((row) => row.id === event.stepId).length));
    });
    const trace = recorder(task.id, events);

    const parent = await trace.start({ kind: 'delegate', name: 'plan', input: { goal: 'x' } });
    const value = await trace.run({ kind: 'tool', name: 'lookup', parentStepId: parent.id }, () => Promise.resolve(42));
    await parent.finish({ output: { planned: true }, inputTokens: 10, outputTokens: 5 });
    expect(value).toBe(42);

    await trace.flush();
    const rows = await store.steps(task.id);
    expect(rows.map((row) => [row.name, row.status, row.parentStepId])).toEqual([
      ['plan', 'completed', null],
      ['lookup', 'completed', parent.id],
    ]);
    expect(rows[0]).toMatchObject({ inputTokens: 10, outputTokens: 5, outputSummary: '{"planned":true}' });
    expect(rows[1].outputSummary).toBe('42');
    expect(rows.every((row) => row.finishedAt !== null && row.durationMs !== null)).toBe(true);
    // Every event fired after the row it announces was written.
    expect(await Promise.all(seen)).toEqual([1, 1, 1, 1]);
  });

  it('holds the writes behind a closed gate (a worker refilling its slots) and writes them in order once it opens', async () => {
    const task = await newTask();
    let open!: () => void;
    let gateChecks = 0;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const trace = new StepRecorder(store, new TaskEvents(), task.id, 'trace-tenant', 1, new AbortController().signal, {
      writeBehind: true,
      gate: () => {
        gateChecks += 1;
        return gate;
      },
    });
    await trace.run({ kind: 'wait', name: 'first' }, () => Promise.resolve(1));
    await trace.run({ kind: 'wait', name: 'second' }, () => Promise.resolve(2));
    // The work went on; nothing reached the database while the gate was closed.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await store.steps(task.id)).toEqual([]);
    open();
    await trace.flush();
    const rows = await store.steps(task.id);
    expect(rows.map((row) => [row.name, row.status])).toEqual([
      ['first', 'completed'],
      ['second', 'completed'],
    ]);
    // Every write (two starts, two finishes) asked the gate.
    expect(gateChecks).toBe(4);
  });

  it('surfaces a failed write: the flush throws it and the next step refuses to start', async () => {
    // No such task: the step row violates task_steps.task_id's foreign key.
    const trace = recorder(randomUUID());
    const first = await trace.start({ kind: 'wait', name: 'orphan' });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    await expect(trace.flush()).rejects.toThrow(/foreign key/i);
    await expect(trace.start({ kind: 'wait', name: 'next' })).rejects.toThrow(/foreign key/i);
  });

  it('claims a fetched batch in one statement, leaving out cancelled and finished tasks', async () => {
    const pending = await newTask('pending');
    const redelivered = await newTask('running');
    const finished = await newTask('completed');
    const cancelled = await newTask('pending');
    await store.update(cancelled.id, { cancelRequestedAt: new Date() });

    const claimed = await store.claim([pending.id, redelivered.id, finished.id, cancelled.id], 'worker-test');
    expect(claimed.map((task) => task.id).sort()).toEqual([pending.id, redelivered.id].sort());
    for (const task of claimed) {
      expect(task).toMatchObject({ status: 'running', workerId: 'worker-test' });
      expect(task.startedAt).toBeInstanceOf(Date);
    }
    expect(claimed.find((task) => task.id === pending.id)?.attempts).toBe(1);
    expect(claimed.find((task) => task.id === redelivered.id)?.attempts).toBe(2);
    expect((await store.findById(finished.id))?.status).toBe('completed');
    expect(await store.claim([], 'worker-test')).toEqual([]);
  });
});
