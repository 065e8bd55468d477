import { join } from 'node:path';
import type { BenchContext, Benchmark, BenchResult, Figure } from './lib/benchmark.js';
import { type DbTarget, createFreshDatabase, unreachableReason, withClient } from './lib/postgres.js';
import { freePort, makeTempDir, type Scope, startApp } from './lib/process.js';
import { percentile } from './lib/stats.js';

const SLOTS = 50;
const WORK_MS = 200;
const TASKS = Number(process.env.BENCH_QUEUE_TASKS ?? 500);
const LOW_LOAD_TASKS = 30;
const EFFICIENCY_TARGET = 0.9;

interface Row {
  queue_wait_ms: number;
  created: number;
  started: number;
  finished: number;
  status: string;
}

async function post(baseUrl: string, body: Record<string, unknown>): Promise<{ status: number; task_id: string; state: string }> {
  const response = await fetch(`${baseUrl}/api/crew/execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { task_id: string; status: string };
  return { status: response.status, task_id: json.task_id, state: json.status };
}

async function rows(db: DbTarget, tenant: string): Promise<Row[]> {
  return withClient(db, async (client) => {
    const result = await client.query<Row>(
      `SELECT queue_wait_ms, status,
              extract(epoch FROM created_at) * 1000 AS created,
              extract(epoch FROM started_at) * 1000 AS started,
              extract(epoch FROM finished_at) * 1000 AS finished
         FROM tasks WHERE tenant_id = $1`,
      [tenant],
    );
    return result.rows.map((row) => ({
      ...row,
      created: Number(row.created),
      started: Number(row.started),
      finished: Number(row.finished),
    }));
  });
}

function waits(list: Row[]): number[] {
  return list.map((row) => row.queue_wait_ms).sort((a, b) => a - b);
}

async function measure(
  context: BenchContext,
  scope: Scope,
  label: string,
  db: DbTarget,
  cwd: string,
  env: Record<string, string>,
  /** How the worker instance reaches the same database (the embedded one through its owner's socket). */
  workerDatabaseEnv: Record<string, string>,
): Promise<BenchResult> {
  const service = await startApp(scope, {
    name: `service (${label})`,
    script: context.serviceMain,
    cwd,
    port: await freePort(),
    env: { LOG_LEVEL: 'error', MAX_CONCURRENT_WORKFLOWS: String(SLOTS), ...env },
    readyPath: '/api/crew/health/ready',
  });
  const task = (tenant: string, waitMs: number, async: boolean) => ({
    type: 'system_probe',
    description: 'Benchmark: fixed wait',
    tenant_id: tenant,
    parameters: { wait_ms: waitMs },
    async_execution: async,
    timeout: 120,
  });

  // Low load: one task at a time, each waited for, so a free slot is always there.
  context.log(`${label}: queue wait at low load (${LOW_LOAD_TASKS} sequential tasks)`);
  for (let i = 0; i < LOW_LOAD_TASKS; i += 1) {
    const answer = await post(service.baseUrl, task(`low-${label}`, 20, false));
    if (answer.status !== 200 || answer.state !== 'completed') throw new Error(`low-load task answered ${answer.status} ${answer.state}`);
  }
  const low = waits(await rows(db, `low-${label}`));

  // Saturation: TASKS background tasks of WORK_MS each, queued first through an API-only instance, then
  // drained by a worker instance with SLOTS slots — so the makespan measures execution, not submission.
  context.log(`${label}: ${TASKS} tasks of ${WORK_MS} ms on ${SLOTS} slots`);
  const tenant = `sat-${label}`;
  // The first instance stops; the same database is reopened by an API-only instance (the embedded owner).
  await service.stop();
  const api = await startApp(scope, {
    name: `api-only (${label})`,
    script: context.serviceMain,
    cwd,
    port: await freePort(),
    env: { LOG_LEVEL: 'error', ...env, WORKER_ENABLED: 'false' },
    readyPath: '/api/crew/health/ready',
  });
  const submitters = 16;
  let next = 0;
  await Promise.all(
    Array.from({ length: submitters }, async () => {
      while (next < TASKS) {
        next += 1;
        const answer = await post(api.baseUrl, task(tenant, WORK_MS, true));
        if (answer.status !== 202) throw new Error(`background task answered ${answer.status}`);
      }
    }),
  );
  await startApp(scope, {
    name: `worker (${label})`,
    script: context.serviceMain,
    cwd,
    port: await freePort(),
    env: { LOG_LEVEL: 'error', MAX_CONCURRENT_WORKFLOWS: String(SLOTS), ...workerDatabaseEnv },
    readyPath: '/api/crew/health/ready',
  });
  const deadline = Date.now() + 120_000;
  let finished: Row[] = [];
  while (Date.now() < deadline) {
    finished = await rows(db, tenant);
    if (finished.length === TASKS && finished.every((row) => row.status === 'completed')) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!finished.every((row) => row.status === 'completed') || finished.length !== TASKS)
    throw new Error(`${label}: not every task completed`);
  // Makespan from the first task's first possible start to the last finish; ideal = N × work / slots.
  const firstStart = Math.min(...finished.map((row) => row.started));
  const lastFinish = Math.max(...finished.map((row) => row.finished));
  const makespan = lastFinish - firstStart;
  const ideal = (TASKS * WORK_MS) / SLOTS;
  const saturated = waits(finished);
  const figures: Figure[] = [
    { figure: `${label}: queue wait p50, low load`, unit: 'ms', value: percentile(low, 50) },
    { figure: `${label}: queue wait p99, low load`, unit: 'ms', value: percentile(low, 99) },
    { figure: `${label}: queue wait p50, saturated`, unit: 'ms', value: percentile(saturated, 50) },
    { figure: `${label}: queue wait p99, saturated`, unit: 'ms', value: percentile(saturated, 99) },
    {
      figure: `${label}: concurrency efficiency (ideal / makespan)`,
      unit: 'ms',
      value: ideal,
      baseline: makespan,
      target: { on: 'ratio', atLeast: EFFICIENCY_TARGET },
    },
  ];
  return {
    figures,
    notes: [
      `${label}: ${TASKS} × ${WORK_MS} ms on ${SLOTS} slots: makespan ${Math.round(makespan)} ms vs ideal ${ideal} ms (value = ideal, baseline = makespan).`,
    ],
  };
}

export const benchmark: Benchmark = {
  name: 'queue',
  description: `Queue wait at low load and saturation; ${TASKS} background tasks of ${WORK_MS} ms at MAX_CONCURRENT_WORKFLOWS=${SLOTS} vs the ideal makespan`,
  async run(context) {
    const embedded = await context.scope.nested(async (scope) => {
      const cwd = await makeTempDir(scope, 'crew-bench-');
      const dataDir = join(cwd, 'data');
      // The first instance owns the embedded database; it stays up (API-only traffic goes elsewhere) so the others can use its socket.
      return measure(
        context,
        scope,
        'embedded',
        { socketDir: dataDir },
        cwd,
        { CREW_DATA_DIR: dataDir },
        {
          DATABASE_URL: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(dataDir)}`,
        },
      );
    });
    const reason = await unreachableReason(context.postgresUrl);
    const postgres =
      reason !== undefined
        ? { figures: [], notes: [`postgres: skipped — unreachable (${reason}).`] }
        : await context.scope.nested(async (scope) => {
            const cwd = await makeTempDir(scope, 'crew-bench-');
            const url = await createFreshDatabase(scope, context.postgresUrl, 'crew_bench');
            return measure(context, scope, 'postgres', { url }, cwd, { DATABASE_URL: url }, { DATABASE_URL: url });
          });
    return { figures: [...embedded.figures, ...postgres.figures], notes: [...embedded.notes, ...postgres.notes] };
  },
};
