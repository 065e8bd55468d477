import { setTimeout as sleep } from 'node:timers/promises';
import type { Benchmark, BenchResult } from './lib/benchmark.js';
import { queryCount } from './lib/postgres.js';
import { type ExecuteAnswer, forEachDatabase, residentKib, startService } from './lib/service.js';

const WORKFLOWS = 50;
/** Long enough to submit, claim and sample; the tasks are cancelled as soon as the samples are taken. */
const WAIT_MS = 60_000;
const SETTLE_MS = 3_000;
const SAMPLES = 8;
const SAMPLE_EVERY_MS = 250;
const RUNNING_TIMEOUT_MS = 60_000;

function mib(kib: number): number {
  return kib / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function sampleRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    samples.push(await residentKib(pid));
    await sleep(SAMPLE_EVERY_MS);
  }
  return median(samples);
}

async function request(method: 'POST' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; body: ExecuteAnswer }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as ExecuteAnswer };
}

export const benchmark: Benchmark = {
  name: 'memory',
  description: `RSS of the service process idle and with ${WORKFLOWS} running workflows (system_probe, MAX_CONCURRENT_WORKFLOWS=${WORKFLOWS})`,
  run(context) {
    return forEachDatabase(context, ['embedded', 'postgres'], async (phase, scope): Promise<BenchResult> => {
      const label = phase.label;
      const tenant = `memory-${label}`;
      const env = { MAX_CONCURRENT_WORKFLOWS: String(WORKFLOWS), TENANT_RATE_LIMIT_PER_MINUTE: '0' };
      // The first start creates and migrates the database (initdb in-process on embedded, a peak of its own);
      // measured is a restart on that database, as every start but the first.
      context.log(`${label}: first start (creates and migrates the database)`);
      const first = await startService(context, scope, phase, env, `service (${label}, first start)`);
      await sleep(SETTLE_MS);
      const firstRss = await residentKib(first.pid);
      const firstPeak = await residentKib(first.pid, 'VmHWM');
      await first.stop();
      context.log(`${label}: restarted`);
      const service = await startService(context, scope, phase, env);
      await sleep(SETTLE_MS);
      const idle = await sampleRss(service.pid);

      context.log(`${label}: ${WORKFLOWS} background tasks of ${WAIT_MS} ms`);
      const ids = await Promise.all(
        Array.from({ length: WORKFLOWS }, async (_, i) => {
          const answer = await request('POST', `${service.baseUrl}/api/crew/execute`, {
            type: 'system_probe',
            description: `Benchmark: hold a workflow slot (${i + 1})`,
            tenant_id: tenant,
            parameters: { wait_ms: WAIT_MS },
            async_execution: true,
            timeout: 600,
          });
          if (answer.status !== 202) throw new Error(`background task answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          return answer.body.task_id;
        }),
      );
      const running = (): Promise<number> =>
        queryCount(phase.db, `SELECT count(*) FROM tasks WHERE tenant_id = $1 AND status = 'running'`, [tenant]);
      const deadline = Date.now() + RUNNING_TIMEOUT_MS;
      let count = await running();
      while (count < WORKFLOWS) {
        if (Date.now() > deadline) throw new Error(`${label}: only ${count} of ${WORKFLOWS} tasks running after ${RUNNING_TIMEOUT_MS} ms`);
        await sleep(200);
        count = await running();
      }
      const loaded = await sampleRss(service.pid);
      const stillRunning = await running();
      if (stillRunning !== WORKFLOWS) throw new Error(`${label}: ${stillRunning} of ${WORKFLOWS} tasks still running after sampling`);
      const peak = await residentKib(service.pid, 'VmHWM');
      // Cancelled, so the service stops at once instead of draining a minute of waits.
      await Promise.all(ids.map((id) => request('DELETE', `${service.baseUrl}/api/crew/task/${id}?tenant_id=${tenant}`)));

      return {
        figures: [
          { figure: `${label}: RSS idle`, unit: 'MiB', value: mib(idle) },
          { figure: `${label}: RSS at ${WORKFLOWS} running workflows`, unit: 'MiB', value: mib(loaded), baseline: mib(idle) },
        ],
        notes: [
          `${label}: ${Math.round((loaded - idle) / WORKFLOWS)} KiB more per running workflow (median of ${SAMPLES} samples each); ` +
            `peak RSS (VmHWM) ${mib(peak).toFixed(0)} MiB; the first start (database creation) stood at ${mib(firstRss).toFixed(0)} MiB, peak ${mib(firstPeak).toFixed(0)} MiB` +
            (label === 'embedded' ? ' — the embedded database (PGlite) lives in the service process and is counted.' : '.'),
        ],
      };
    });
  },
};
