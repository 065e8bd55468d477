import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { BASELINE_TABLE } from './baseline/bare-app.js';
import type { BenchContext, Benchmark, BenchResult, Figure } from './lib/benchmark.js';
import { compareInterleaved, type HttpAnswer, type LoadTarget } from './lib/load.js';
import { type DbTarget, createFreshDatabase, queryCount, unreachableReason } from './lib/postgres.js';
import { freePort, makeTempDir, type Scope, startApp } from './lib/process.js';
import type { Summary } from './lib/stats.js';

const BASELINE_SCRIPT = fileURLToPath(new URL('./baseline/bare-app.js', import.meta.url));
const THROUGHPUT_TARGET = 0.7;
const DESCRIPTION = 'Benchmark: list my most recent task';
const BENCH_KEY = 'bench-service-key-0123456789abcdef';

interface Phase {
  label: 'embedded' | 'postgres';
  db: DbTarget;
  cwd: string;
  serviceEnv: Record<string, string>;
  baselineEnv: Record<string, string>;
}

/** The service's pg pool size, so the baseline gets exactly the same. */
function servicePoolSize(): number {
  const options = dataSourceOptions({});
  const extra = 'extra' in options ? (options.extra as { max?: number } | undefined) : undefined;
  return extra?.max ?? 10;
}

function completed(answer: HttpAnswer): boolean {
  if (answer.status !== 200) return false;
  try {
    return (JSON.parse(answer.body) as { status?: unknown }).status === 'completed';
  } catch {
    return false;
  }
}

function figures(label: string, service: Summary, baseline: Summary): Figure[] {
  return [
    {
      figure: `${label}: throughput`,
      unit: 'req/s',
      value: service.throughput,
      baseline: baseline.throughput,
      target: { on: 'ratio', atLeast: THROUGHPUT_TARGET },
    },
    { figure: `${label}: p50 latency`, unit: 'ms', value: service.p50, baseline: baseline.p50 },
    { figure: `${label}: p99 latency`, unit: 'ms', value: service.p99, baseline: baseline.p99 },
    { figure: `${label}: failed requests`, unit: '', value: service.failed, baseline: baseline.failed, target: { on: 'value', atMost: 0 } },
  ];
}

async function expectPersisted(db: DbTarget, table: string, tenant: string, expected: number, who: string): Promise<void> {
  const rows = await queryCount(db, `SELECT count(*) FROM ${table} WHERE tenant_id = $1 AND status = 'completed'`, [tenant]);
  if (rows !== expected) throw new Error(`${who}: ${expected} requests answered completed but ${rows} rows are persisted as completed`);
}

/** Service first (on embedded it owns the database), then the baseline on the same database; both measured interleaved. */
async function measure(context: BenchContext, scope: Scope, phase: Phase): Promise<BenchResult> {
  const tenant = `bench-${phase.label}`;
  context.log(`${phase.label}: starting the service and the bare NestJS + TypeORM baseline`);
  const service = await startApp(scope, {
    name: `service (${phase.label})`,
    script: context.serviceMain,
    cwd: phase.cwd,
    port: await freePort(),
    // Production settings: API keys on, per-tenant rate limit on (high enough not to refuse the load).
    env: {
      LOG_LEVEL: 'error',
      ENVIRONMENT: 'production',
      CREW_API_KEYS: `${BENCH_KEY}:*`,
      TENANT_RATE_LIMIT_PER_MINUTE: process.env.BENCH_TENANT_RATE_LIMIT ?? '1000000',
      ...phase.serviceEnv,
    },
    readyPath: '/api/crew/health/ready',
  });
  const baseline = await startApp(scope, {
    name: `baseline (${phase.label})`,
    script: BASELINE_SCRIPT,
    cwd: phase.cwd,
    port: await freePort(),
    env: { BASELINE_POOL_SIZE: String(servicePoolSize()), ...phase.baselineEnv },
    readyPath: '/ready',
  });
  const targets: LoadTarget[] = [
    {
      name: 'service',
      url: `${service.baseUrl}/api/crew/execute`,
      body: { type: 'get_task_list', description: DESCRIPTION, tenant_id: tenant, parameters: { limit: 1 } },
      headers: { 'x-api-key': BENCH_KEY },
      check: completed,
    },
    { name: 'baseline', url: `${baseline.baseUrl}/tasks`, body: { tenant_id: tenant, description: DESCRIPTION }, check: completed },
  ];
  try {
    return await measureRunning(context, phase, tenant, targets);
  } catch (error) {
    // What the apps printed usually explains a failed run (a crash, a pool timeout).
    const outputs = [service, baseline].map((app) => `--- ${app.name} output ---\n${app.output() || '(nothing)'}`).join('\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${outputs}`, { cause: error });
  }
}

async function measureRunning(context: BenchContext, phase: Phase, tenant: string, targets: LoadTarget[]): Promise<BenchResult> {
  const { summaries, totalOk } = await compareInterleaved(targets, context.settings, context.log);
  await expectPersisted(phase.db, 'tasks', tenant, totalOk.get('service') ?? 0, `service (${phase.label})`);
  await expectPersisted(phase.db, BASELINE_TABLE, tenant, totalOk.get('baseline') ?? 0, `baseline (${phase.label})`);
  const serviceSummary = summaries.get('service') as Summary;
  const baselineSummary = summaries.get('baseline') as Summary;
  const rounds = (summary: Summary): string => summary.perRound.map((value) => Math.round(value)).join(', ');
  return {
    figures: figures(phase.label, serviceSummary, baselineSummary),
    notes: [
      `${phase.label}: req/s per round — service ${rounds(serviceSummary)}; baseline ${rounds(baselineSummary)}. ` +
        `All ${totalOk.get('service')} + ${totalOk.get('baseline')} successful requests (warm-up included) found persisted as completed.`,
    ],
  };
}

async function embedded(context: BenchContext): Promise<BenchResult> {
  return context.scope.nested(async (scope) => {
    const cwd = await makeTempDir(scope, 'crew-bench-');
    const dataDir = join(cwd, 'data');
    return measure(context, scope, {
      label: 'embedded',
      db: { socketDir: dataDir },
      cwd,
      serviceEnv: { CREW_DATA_DIR: dataDir },
      // The service owns the embedded database; the baseline is a client of its socket.
      baselineEnv: { BASELINE_SOCKET_DIR: dataDir },
    });
  });
}

async function postgres(context: BenchContext): Promise<BenchResult> {
  const reason = await unreachableReason(context.postgresUrl);
  if (reason !== undefined) {
    return { figures: [], notes: [`postgres: skipped — ${context.postgresUrl.replace(/:[^:@/]*@/, ':***@')} is unreachable (${reason}).`] };
  }
  return context.scope.nested(async (scope) => {
    const cwd = await makeTempDir(scope, 'crew-bench-');
    const url = await createFreshDatabase(scope, context.postgresUrl, 'crew_bench');
    return measure(context, scope, {
      label: 'postgres',
      db: { url },
      cwd,
      serviceEnv: { DATABASE_URL: url },
      baselineEnv: { BASELINE_DATABASE_URL: url },
    });
  });
}

export const benchmark: Benchmark = {
  name: 'direct-throughput',
  description:
    'POST /api/crew/execute get_task_list (completed and persisted) against a bare NestJS + TypeORM insert + update endpoint on the same database',
  async run(context) {
    const results = [await embedded(context), await postgres(context)];
    return { figures: results.flatMap((result) => result.figures), notes: results.flatMap((result) => result.notes) };
  },
};
