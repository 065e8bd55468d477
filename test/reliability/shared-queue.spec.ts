import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, countBy, type Instance } from './support/cluster.js';
import { ReliabilityLlm } from './support/reliability-llm.js';

const TASKS = 200;

describe('two instances share one queue', () => {
  let cluster: Cluster;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    cluster = await Cluster.create();
    a = await cluster.start('A');
    b = await cluster.start('B');
  });
  afterAll(async () => {
    await cluster?.dispose();
  });

  it(`runs ${TASKS} AI tasks submitted to either instance, each exactly once, on both workers`, async () => {
    const keys = Array.from({ length: TASKS }, (_, i) => `share-${i}`);
    const ids = await cluster.submitLeads([a, b], keys);
    expect(new Set(ids.values()).size).toBe(TASKS);

    const tasks = await cluster.waitFinal([...ids.values()], 90_000);
    expect(countBy(tasks, (task) => task.status)).toEqual({ completed: TASKS });
    expect(countBy(tasks, (task) => String(task.attempts))).toEqual({ '1': TASKS });

    // Each task ran on exactly one of the two workers, and both took a share.
    const byWorker = countBy(tasks, (task) =>
      cluster.workerMatches(a, task.worker_id) ? 'A' : cluster.workerMatches(b, task.worker_id) ? 'B' : 'other',
    );
    expect(byWorker.other).toBeUndefined();
    expect(byWorker.A).toBeGreaterThan(0);
    expect(byWorker.B).toBeGreaterThan(0);
    expect(byWorker.A + byWorker.B).toBe(TASKS);

    // One attempt, every step of it completed: nothing ran twice.
    const steps = await cluster.steps([...ids.values()]);
    expect(countBy(steps, (step) => `${step.attempt}:${step.status}`)).toEqual({ [`1:completed`]: steps.length });
    const stepsPerTask = countBy(steps, (step) => step.task_id);
    expect(Object.keys(stepsPerTask)).toHaveLength(TASKS);
    expect(new Set(Object.values(stepsPerTask)).size).toBe(1);

    // The model saw exactly one narrative call per task, and each task kept its own narrative.
    const calls = cluster.llm.callCounts();
    expect(cluster.llm.totalCalls).toBe(TASKS);
    expect(keys.filter((key) => calls.get(key) !== 1)).toEqual([]);
    const byId = new Map(tasks.map((task) => [task.id, task]));
    for (const key of keys) expect(byId.get(ids.get(key) as string)?.result?.narrative?.summary, key).toBe(ReliabilityLlm.summary(key));

    // Any instance answers for any task: ask the instance that did not accept it.
    for (const [index, key] of keys.slice(0, 10).entries()) {
      const other = index % 2 === 0 ? b : a;
      const answer = await other.request('GET', `/api/crew/task/${ids.get(key)}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        task_id: ids.get(key),
        status: 'completed',
        attempts: 1,
        metrics: { ai_mode: 'llm', llm_calls: 1 },
      });
    }
    console.info(`[shared-queue] ${TASKS} tasks: A ran ${byWorker.A}, B ran ${byWorker.B}; ${steps.length / TASKS} step(s) per task`);
  });
});
