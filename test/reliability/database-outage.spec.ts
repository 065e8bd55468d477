import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/loopback-server.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { Cluster, countBy, FINAL_STATUSES, type Instance, type TaskRow } from './support/cluster.js';
import { restartPostgres, restartPostgresEnabled } from './support/postgres-server.js';
import { type Submission, SubmitLoad } from './support/submit-load.js';

const QUEUE_ENV = { TASK_EXPIRY_MARGIN_SECONDS: '2', QUEUE_MAINTENANCE_SECONDS: '1' };
// A fetch whose answer the cut swallowed leaves its job active with nobody working on it: only expiry
// (task timeout + TASK_EXPIRY_MARGIN_SECONDS) brings it back, so the timeout is short here. Runs that
// lost the database are handed back by their worker as soon as it returns (checked through the log).
const TASK_TIMEOUT_S = 20;
const OUTAGE_MS = 4000;
/** A request that gets no answer within this is a hang, and fails the test. */
const DEADLINE_MS = 5000;
const PROBLEM_TYPE = 'urn:ai-crew:problem:database-unavailable';

/**
 * Both instances reach PostgreSQL through a TCP proxy that the test cuts (every connection reset, new ones
 * refused) while tasks are being submitted and run. With RELIABILITY_RESTART_POSTGRES=1 (CI) the real
 * server is restarted under load as well.
 */
describe('PostgreSQL outage under load', () => {
  let cluster: Cluster;
  let proxy: TcpProxy;
  let a: Instance;
  let b: Instance;
  const everything: Submission[] = [];
  /** Tasks the database had `running` when it was cut (their workers cannot write their final state). */
  let runningAtCut: TaskRow[] = [];

  beforeAll(async () => {
    cluster = await Cluster.create({ slowMs: 1500 });
    const server = new URL(cluster.database.url as string);
    proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
    const proxied = new URL(server);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    a = await cluster.start('A', QUEUE_ENV, proxied.toString());
    b = await cluster.start('B', QUEUE_ENV, proxied.toString());
  });
  afterAll(async () => {
    await cluster?.dispose();
    await proxy?.close();
  });

  function load(prefix: string): SubmitLoad {
    return new SubmitLoad(cluster, [a, b], prefix, { lanes: 2, pauseMs: 100, timeout: TASK_TIMEOUT_S, deadlineMs: DEADLINE_MS }).start();
  }

  async function expectHealth(instance: Instance, status: 200 | 503): Promise<void> {
    for (const path of ['/api/crew/health', '/api/crew/health/ready']) {
      const answer = await instance.request('GET', path, undefined, DEADLINE_MS);
      expect(answer.status, `${instance.name} ${path}`).toBe(status);
      // The Terminus body, not problem+json: probes and operators read which indicator is down.
      expect(answer.contentType, `${instance.name} ${path}`).toMatch(/^application\/json/);
      if (status === 503) {
        expect(answer.body, `${instance.name} ${path}`).toMatchObject({
          status: 'error',
          error: { database: { status: 'down' } },
          details: { database: { status: 'down' } },
        });
      } else {
        expect(answer.body, `${instance.name} ${path}`).toMatchObject({ status: 'ok', info: { database: { status: 'up' } }, error: {} });
      }
    }
  }

  async function waitHealthy(instance: Instance): Promise<void> {
    await eventually(
      async () => (await instance.request('GET', '/api/crew/health/ready', undefined, DEADLINE_MS)).status === 200,
      20_000,
      200,
    );
    await expectHealth(instance, 200);
  }

  async function expectAlive(instance: Instance): Promise<void> {
    const live = await instance.request('GET', '/api/crew/health/live', undefined, DEADLINE_MS);
    expect(live.status, instance.name).toBe(200);
    expect(live.body, instance.name).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
  }

  /** Every answer during an outage is a fast 503 problem+json; nothing hangs, nothing is a 500. */
  function expectRefusedCleanly(submissions: Submission[]): void {
    for (const submission of submissions) {
      expect(submission.error, submission.key).toBeUndefined();
      expect([202, 503], submission.key).toContain(submission.status);
      if (submission.status === 503) {
        expect(submission.contentType, submission.key).toMatch(/^application\/problem\+json/);
        expect(submission.body, submission.key).toMatchObject({ type: PROBLEM_TYPE, status: 503, title: 'Service Unavailable' });
      }
    }
  }

  it('answers 503 fast while PostgreSQL is unreachable, pauses the workers and resumes without losing a task', async () => {
    const traffic = load('proxy');
    await eventually(() => traffic.accepted.size >= 20, 30_000);
    // Two tasks whose model call (1.5 s) is sure to be in flight when the database goes away.
    const slowKeys = ['slow-a', 'slow-b'];
    const slow = await Promise.all([
      cluster.submitLead(a, slowKeys[0], { timeout: TASK_TIMEOUT_S }),
      cluster.submitLead(b, slowKeys[1], { timeout: TASK_TIMEOUT_S }),
    ]);
    everything.push(...slow.map((answer, i) => ({ key: slowKeys[i], instance: i ? 'B' : 'A', at: Date.now(), ...answer })));
    const slowIds = slow.map((answer) => answer.body.task_id as string);
    await eventually(async () => (await cluster.tasks(slowIds)).every((task) => task.status === 'running'), 10_000, 20);

    proxy.pause();
    const cutAt = Date.now();
    // The test's own connection goes around the proxy.
    runningAtCut = (await cluster.tasks([...traffic.accepted.values(), ...slowIds])).filter((task) => task.status === 'running');
    expect(runningAtCut.map((task) => task.id)).toEqual(expect.arrayContaining(slowIds));
    await expectHealth(a, 503);
    await expectHealth(b, 503);
    await expectAlive(a);
    await expectAlive(b);
    // Reads too: a fast 503 problem+json, on either instance.
    for (const [instance, path] of [
      [a, `/api/crew/task/${slowIds[1]}`],
      [b, `/api/crew/task/${slowIds[0]}`],
      [a, '/api/crew/tasks'],
    ] as const) {
      const answer = await instance.request('GET', path, undefined, DEADLINE_MS);
      expect(answer.status, path).toBe(503);
      expect(answer.contentType, path).toMatch(/^application\/problem\+json/);
      expect(answer.body, path).toMatchObject({ type: PROBLEM_TYPE, status: 503, instance: path });
    }
    await eventually(() => traffic.since(cutAt).filter((s) => s.status === 503).length >= 4, 10_000);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - cutAt)));
    // Workers paused, not crashed: both processes still answer; an instance whose task lost the database
    // says it stopped fetching.
    await expectAlive(a);
    await expectAlive(b);
    const interruptedOn = [a, b].filter((instance) => runningAtCut.some((task) => cluster.workerMatches(instance, task.worker_id)));
    expect(interruptedOn.length).toBeGreaterThanOrEqual(1);
    for (const instance of interruptedOn)
      expect(instance.log, instance.name).toContain('Database unreachable; workers paused until it returns');

    proxy.resume();
    const backAt = Date.now();
    await waitHealthy(a);
    await waitHealthy(b);
    await eventually(() => traffic.since(backAt).filter((s) => s.status === 202).length >= 10, 20_000);
    everything.push(...(await traffic.stop()));
    for (const instance of interruptedOn) {
      expect(instance.log, instance.name).toContain('Database reachable again; workers resumed');
      expect(instance.log, instance.name).toContain('lost the database mid-run; handed back to the queue for another attempt');
    }

    const during = everything.filter((s) => s.at >= cutAt && s.at < backAt);
    expectRefusedCleanly(everything);
    expect(during.filter((s) => s.status === 503).length).toBeGreaterThanOrEqual(4);
    const slowest = Math.max(...everything.filter((s) => s.status === 503).map((s) => s.ms));
    console.info(
      `[outage] proxy cut ${backAt - cutAt} ms: ${JSON.stringify(countBy(during, (s) => String(s.status)))} answered during it (slowest 503: ${slowest} ms); ${traffic.accepted.size} accepted in all`,
    );
  });

  it.runIf(restartPostgresEnabled)('survives a restart of the PostgreSQL server under load', async () => {
    const traffic = load('restart');
    await eventually(() => traffic.accepted.size >= 10, 30_000);
    // Watch readiness through the restart: it must go 503 and come back.
    const seen = new Map<string, Set<number>>([
      ['A', new Set()],
      ['B', new Set()],
    ]);
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const instance of [a, b]) {
          const answer = await instance.request('GET', '/api/crew/health/ready', undefined, DEADLINE_MS);
          seen.get(instance.name)?.add(answer.status);
        }
        await sleep(50);
      }
    })();
    const restartAt = Date.now();
    await restartPostgres(cluster.database.url as string);
    await waitHealthy(a);
    await waitHealthy(b);
    watching = false;
    await watcher;
    await expectAlive(a);
    await expectAlive(b);
    await eventually(() => traffic.since(restartAt).filter((s) => s.status === 202).length >= 10, 20_000);
    const submissions = await traffic.stop();
    everything.push(...submissions);
    expectRefusedCleanly(submissions);
    expect([...seen.get('A')!].sort()).toEqual([200, 503]);
    expect([...seen.get('B')!].sort()).toEqual([200, 503]);
    console.info(`[outage] server restart: ${JSON.stringify(countBy(submissions, (s) => String(s.status)))} answered around it`);
  });

  it('every task accepted with 202 reaches a final state afterwards; the interrupted ones ran again', async () => {
    const accepted = everything.filter((s) => s.status === 202).map((s) => s.body.task_id as string);
    expect(accepted.length).toBeGreaterThanOrEqual(30);
    const tasks = await cluster.waitFinal(accepted, 45_000);
    const statuses = countBy(tasks, (task) => task.status);
    console.info(
      `[outage] ${accepted.length} accepted tasks: ${JSON.stringify(statuses)}; attempts ${JSON.stringify(countBy(tasks, (t) => String(t.attempts)))}; ${runningAtCut.length} were running when the proxy cut the database`,
    );
    expect(Object.keys(statuses).every((status) => FINAL_STATUSES.includes(status))).toBe(true);
    expect(statuses).toEqual({ completed: accepted.length });

    const byId = new Map(tasks.map((task) => [task.id, task]));
    const steps = await cluster.steps(runningAtCut.map((task) => task.id));
    for (const cut of runningAtCut) {
      // Its worker handed it back once the database answered (not left for the job to expire) ...
      const holder = [a, b].find((instance) => cluster.workerMatches(instance, cut.worker_id)) as Instance;
      expect(holder.log, cut.id).toContain(`Task ${cut.id} lost the database mid-run; handed back to the queue`);
      // ... and it ran again: a later attempt completed, every step of the earlier ones is abandoned.
      const final = byId.get(cut.id) as TaskRow;
      expect(final.attempts, cut.id).toBeGreaterThan(cut.attempts);
      const own = steps.filter((step) => step.task_id === cut.id);
      expect(
        own.filter((step) => step.attempt < final.attempts && step.status !== 'abandoned'),
        cut.id,
      ).toEqual([]);
      expect(
        own.filter((step) => step.attempt === final.attempts).map((step) => step.status),
        cut.id,
      ).toEqual(own.filter((step) => step.attempt === final.attempts).map(() => 'completed'));
    }
  });
});
