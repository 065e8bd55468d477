import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/loopback-server.js';
import { Cluster, type Instance, TENANT } from './support/cluster.js';
import { ReliabilityLlm } from './support/reliability-llm.js';

/**
 * A is API-only (WORKER_ENABLED=false); B is the only worker and has ONE slot. A task accepted by A runs
 * on B; a DELETE sent to A stops it on B, and the next task accepted by A runs on B — so the slot came back.
 */
describe('a cancel sent to one instance stops the task on the instance running it', () => {
  let cluster: Cluster;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    cluster = await Cluster.create();
    a = await cluster.start('A', { WORKER_ENABLED: 'false' });
    b = await cluster.start('B', { MAX_CONCURRENT_WORKFLOWS: '1' });
  });
  afterAll(async () => {
    await cluster?.dispose();
  });

  async function cancelOnA(id: string): Promise<number> {
    // Running on B (B claimed it), not on A.
    const running = await eventually(async () => {
      const task = await cluster.task(id);
      return task.status === 'running' ? task : undefined;
    }, 15_000);
    expect(cluster.workerMatches(b, running.worker_id)).toBe(true);

    const answer = await a.request('DELETE', `/api/crew/task/${id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'cancelled', task_id: id });

    const task = await cluster.task(id);
    expect(task).toMatchObject({ status: 'cancelled', attempts: 1, error: 'The task was cancelled' });
    expect(cluster.workerMatches(b, task.worker_id)).toBe(true);
    // The contract (DESIGN.md §4.5): the running instance stops the task within a second of the request,
    // measured by the database's own clock on both ends.
    const stoppedAfterMs = (task.finished_at as Date).getTime() - (task.cancel_requested_at as Date).getTime();
    expect(stoppedAfterMs).toBeGreaterThanOrEqual(0);
    expect(stoppedAfterMs).toBeLessThan(1000);
    return stoppedAfterMs;
  }

  async function slotIsFree(key: string): Promise<void> {
    const submitted = await cluster.submitLead(a, key);
    expect(submitted.status).toBe(202);
    const [done] = await cluster.waitFinal([submitted.body.task_id as string], 20_000);
    expect(done).toMatchObject({ status: 'completed', attempts: 1 });
    expect(done.result.narrative.summary).toBe(ReliabilityLlm.summary(key));
    expect(cluster.workerMatches(b, done.worker_id)).toBe(true);
  }

  it('aborts an LLM call that hangs on B: the model sees the connection close and B takes the next task', async () => {
    const submitted = await cluster.submitLead(a, 'hang-1');
    expect(submitted.status).toBe(202);
    const id = submitted.body.task_id as string;
    // The narrative call is in flight on B before the cancel.
    await eventually(() => cluster.llm.callsFor('hang-1').length === 1, 15_000);

    const stoppedAfterMs = await cancelOnA(id);
    const [call] = cluster.llm.callsFor('hang-1');
    await eventually(() => call.clientClosed, 5000);
    expect(call.answered).toBe(false);
    await slotIsFree('after-llm-cancel');
    console.info(`[cancel] hanging LLM call: stopped ${stoppedAfterMs} ms after the cancel request`);
  });

  it('aborts a long system_probe wait the same way', async () => {
    const submitted = await b.request('POST', '/api/crew/execute', {
      type: 'system_probe',
      description: 'wait ten minutes',
      parameters: { wait_ms: 600_000 },
      timeout: 900,
      async_execution: true,
    });
    expect(submitted.status).toBe(202);
    const id = submitted.body.task_id as string;
    const stoppedAfterMs = await cancelOnA(id);
    await slotIsFree('after-probe-cancel');
    console.info(`[cancel] system_probe wait: stopped ${stoppedAfterMs} ms after the cancel request`);
  });

  it('never ran work on the API-only instance', async () => {
    const { rows } = await cluster.db.query<{ worker_id: string | null }>(
      `SELECT DISTINCT worker_id FROM tasks WHERE tenant_id = $1 AND worker_id IS NOT NULL`,
      [TENANT],
    );
    expect(rows.map((row) => cluster.workerMatches(b, row.worker_id))).toEqual([true]);
  });
});
