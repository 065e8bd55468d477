import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/loopback-server.js';
import { Cluster, countBy, type Instance } from './support/cluster.js';
import { ReliabilityLlm } from './support/reliability-llm.js';

const FAST = 80;
const SLOW = 4;
const SLOW_MS = 8000;
const GRACE_S = 2;

/**
 * B gets SIGTERM under load, while it runs short tasks (30–80 ms model latency: they finish within the
 * grace period) and at least one long one (8 s model latency: it cannot, so it is handed back).
 */
describe('SIGTERM drains an instance under load', () => {
  let cluster: Cluster;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    cluster = await Cluster.create({ slowMs: SLOW_MS });
    a = await cluster.start('A');
    b = await cluster.start('B', { SHUTDOWN_GRACE_SECONDS: String(GRACE_S) });
  });
  afterAll(async () => {
    await cluster?.dispose();
  });

  it('finishes what it can, hands back the rest, exits, and the other instance completes everything', async () => {
    const slowKeys = Array.from({ length: SLOW }, (_, i) => `slow-${i}`);
    const fastKeys = Array.from({ length: FAST }, (_, i) => `drain-${i}`);
    // Long tasks first, through B, at the highest priority: B wakes on each submission and takes them.
    const slowIds = new Map<string, string>();
    for (const key of slowKeys) {
      const answer = await cluster.submitLead(b, key, { timeout: 30, priority: 10 });
      expect(answer.status).toBe(202);
      slowIds.set(key, answer.body.task_id as string);
    }
    const submitting = cluster.submitLeads([a], fastKeys, { timeout: 30 });

    // SIGTERM while B runs a long task and short ones, with more work still queued.
    const snapshot = await eventually(
      async () => {
        const running = await cluster.runningOn(b, await cluster.taskIds());
        const slow = running.filter((task) => [...slowIds.values()].includes(task.id));
        return slow.length >= 1 && running.length > slow.length ? running : undefined;
      },
      30_000,
      20,
    );
    b.service.kill('SIGTERM');
    // Nest closes the app, then re-raises the signal: a clean exit by SIGTERM, no error logged on the way.
    const exit = await b.service.waitForExit(20_000);
    const exitedAt = new Date();
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(b.log).not.toMatch(/\bERROR\b/);
    const ids = await submitting;
    const all = [...slowIds.values(), ...ids.values()];
    const keyOf = new Map([...slowIds, ...ids].map(([key, id]) => [id, key]));

    const tasks = await cluster.waitFinal(all, 60_000);
    expect(countBy(tasks, (task) => task.status)).toEqual({ completed: SLOW + FAST });
    const byId = new Map(tasks.map((task) => [task.id, task]));
    const steps = await cluster.steps(all);
    const calls = cluster.llm.callCounts();

    // The long tasks B was running could not finish in the grace period: handed back, re-run on A.
    const handedBack = tasks.filter((task) => task.attempts === 2);
    expect(handedBack.length).toBeGreaterThanOrEqual(1);
    const slowOnB = snapshot.filter((task) => slowIds.get(keyOf.get(task.id) as string) === task.id);
    expect(handedBack.map((task) => keyOf.get(task.id)).every((key) => key?.startsWith('slow-'))).toBe(true);
    expect(slowOnB.every((task) => handedBack.some((back) => back.id === task.id))).toBe(true);
    expect(b.log).toContain(`Grace period over: handing ${handedBack.length} task(s) back to the queue`);
    for (const task of handedBack) {
      const key = keyOf.get(task.id) as string;
      expect(cluster.workerMatches(a, task.worker_id), key).toBe(true);
      expect(task.result.narrative.summary).toBe(ReliabilityLlm.summary(key));
      const own = steps.filter((step) => step.task_id === task.id);
      expect(
        countBy(own, (step) => `${step.attempt}:${step.status}`),
        key,
      ).toEqual({
        '1:abandoned': own.filter((step) => step.attempt === 1).length,
        '2:completed': own.filter((step) => step.attempt === 2).length,
      });
      // B's call was aborted (the model saw the connection close); A's was answered.
      const [first, second] = cluster.llm.callsFor(key);
      expect(cluster.llm.callsFor(key)).toHaveLength(2);
      expect({ firstClosed: first.clientClosed, firstAnswered: first.answered, secondAnswered: second.answered }).toEqual({
        firstClosed: true,
        firstAnswered: false,
        secondAnswered: true,
      });
    }

    // The short tasks B was running finished on B, once.
    const finishedOnB = snapshot.filter((task) => !handedBack.some((back) => back.id === task.id));
    expect(finishedOnB.length).toBeGreaterThanOrEqual(1);
    for (const running of finishedOnB) {
      const task = byId.get(running.id);
      expect(task?.attempts).toBe(1);
      expect(cluster.workerMatches(b, task?.worker_id ?? null)).toBe(true);
    }

    // Everything else ran exactly once; the queued rest was completed by A.
    for (const task of tasks.filter((t) => t.attempts !== 2)) {
      const key = keyOf.get(task.id) as string;
      expect(task.attempts, key).toBe(1);
      expect(calls.get(key), key).toBe(1);
      expect(task.result.narrative.summary).toBe(ReliabilityLlm.summary(key));
    }
    const byWorker = countBy(tasks, (task) => (cluster.workerMatches(a, task.worker_id) ? 'A' : 'B'));
    // B started nothing after it exited; A took over the rest.
    expect(tasks.filter((task) => cluster.workerMatches(b, task.worker_id) && (task.started_at as Date) > exitedAt)).toEqual([]);
    const afterExit = tasks.filter((task) => (task.started_at as Date) > exitedAt);
    expect(afterExit.every((task) => cluster.workerMatches(a, task.worker_id))).toBe(true);
    expect(byWorker.A + byWorker.B).toBe(SLOW + FAST);
    console.info(
      `[drain] SIGTERM with ${snapshot.length} running on B: ${finishedOnB.length} finished on B within ${GRACE_S} s, ${handedBack.length} handed back and completed on A; ${afterExit.length} started on A after B exited; A ran ${byWorker.A}, B ${byWorker.B}`,
    );
  });
});
