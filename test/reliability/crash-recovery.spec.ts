import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/loopback-server.js';
import { Cluster, countBy, type Instance } from './support/cluster.js';
import { ReliabilityLlm } from './support/reliability-llm.js';

const TASKS = 120;
// A dead worker's job expires TASK_TIMEOUT_S + 2 s after it started and is re-delivered within a second.
const QUEUE_ENV = { TASK_EXPIRY_MARGIN_SECONDS: '2', QUEUE_MAINTENANCE_SECONDS: '1' };
const TASK_TIMEOUT_S = 5;

describe('one of two instances is SIGKILLed mid-run', () => {
  let cluster: Cluster;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    cluster = await Cluster.create();
    a = await cluster.start('A', QUEUE_ENV);
    b = await cluster.start('B', QUEUE_ENV);
  });
  afterAll(async () => {
    await cluster?.dispose();
  });

  it('every task still reaches a final state, and none runs to completion twice', async () => {
    const keys = Array.from({ length: TASKS }, (_, i) => `crash-${i}`);
    // Submitted through A while B works too (B would refuse connections once it is dead).
    const submitting = cluster.submitLeads([a], keys, { timeout: TASK_TIMEOUT_S });
    const runningOnB = async () => cluster.runningOn(b, await cluster.taskIds());

    // Kill B under load, in the middle of several tasks (claimed, steps written, narrative call in flight).
    // B has finished some tasks already, and more are queued.
    const completedOnB = async () =>
      (await cluster.tasks(await cluster.taskIds())).filter(
        (task) => task.status === 'completed' && cluster.workerMatches(b, task.worker_id),
      );
    await eventually(
      async () => (await cluster.taskIds()).length >= TASKS / 3 && (await completedOnB()).length >= 5 && (await runningOnB()).length >= 3,
      30_000,
      20,
    );
    b.service.kill('SIGKILL');
    expect((await b.service.waitForExit(5000)).signal).toBe('SIGKILL');
    // B can no longer write: what the database says it was running is exactly what it was running.
    const interrupted = new Set((await runningOnB()).map((task) => task.id));
    expect(interrupted.size).toBeGreaterThanOrEqual(3);
    const ids = await submitting;
    const all = [...ids.values()];
    expect(new Set(all).size).toBe(TASKS);

    const tasks = await cluster.waitFinal(all, 60_000);
    expect(countBy(tasks, (task) => task.status)).toEqual({ completed: TASKS });

    const steps = await cluster.steps(all);
    const keyOf = new Map([...ids].map(([key, id]) => [id, key]));
    const calls = cluster.llm.callCounts();
    let withAbandonedSteps = 0;
    for (const task of tasks) {
      const own = steps.filter((step) => step.task_id === task.id);
      const key = keyOf.get(task.id) as string;
      expect(task.result.narrative.summary, key).toBe(ReliabilityLlm.summary(key));
      // Completed steps come from one attempt only: the task was never completed twice.
      expect(new Set(own.filter((step) => step.status === 'completed').map((step) => step.attempt)), key).toEqual(new Set([task.attempts]));
      if (interrupted.has(task.id)) {
        // Re-delivered to A: a second attempt, the killed attempt's steps abandoned.
        expect(task.attempts, key).toBe(2);
        expect(cluster.workerMatches(a, task.worker_id), key).toBe(true);
        expect(
          own.filter((step) => step.attempt === 1).map((step) => step.status),
          key,
        ).toEqual(own.filter((step) => step.attempt === 1).map(() => 'abandoned'));
        // A task B had claimed but not yet traced has no attempt-1 steps at all.
        if (own.some((step) => step.attempt === 1)) withAbandonedSteps += 1;
        expect(
          countBy(
            own.filter((step) => step.attempt === 2),
            (step) => step.status,
          ),
          key,
        ).toEqual({
          completed: own.filter((step) => step.attempt === 2).length,
        });
        // The killed attempt may or may not have reached the model before dying; the re-run did once more.
        expect(calls.get(key), key).toBeGreaterThanOrEqual(1);
        expect(calls.get(key), key).toBeLessThanOrEqual(2);
      } else {
        expect(task.attempts, key).toBe(1);
        expect(calls.get(key), key).toBe(1);
        expect(
          countBy(own, (step) => `${step.attempt}:${step.status}`),
          key,
        ).toEqual({ '1:completed': own.length });
      }
    }
    expect(withAbandonedSteps).toBeGreaterThanOrEqual(1);
    const byWorker = countBy(tasks, (task) => (cluster.workerMatches(a, task.worker_id) ? 'A' : 'B'));
    expect(a.service.output.join('')).toContain('redelivered (attempt 2)');
    console.info(
      `[crash] ${TASKS} tasks, B killed with ${interrupted.size} running: all completed; A ran ${byWorker.A} (${interrupted.size} re-delivered as attempt 2, ${withAbandonedSteps} of them with abandoned attempt-1 steps), B ${byWorker.B ?? 0}`,
    );
  });
});
