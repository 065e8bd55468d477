import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchContext, BenchResult } from './benchmark.js';
import { type DbTarget, createFreshDatabase, unreachableReason } from './postgres.js';
import { type AppProcess, freePort, makeTempDir, type Scope, startApp } from './process.js';

/** Where one run of a benchmark keeps its data: a fresh embedded database or a fresh database on the server. */
export interface DatabasePhase {
  label: 'embedded' | 'postgres';
  /** How the benchmark itself reaches the database (the embedded one through its owner's socket). */
  db: DbTarget;
  cwd: string;
  /** What points the service at this database. */
  env: Record<string, string>;
}

export type DatabaseKind = DatabasePhase['label'];

/**
 * Runs `work` once per database kind, each in a scope of its own (so one phase frees the machine before the
 * next). PostgreSQL is skipped, with a note, when the server is unreachable.
 */
export async function forEachDatabase(
  context: BenchContext,
  kinds: readonly DatabaseKind[],
  work: (phase: DatabasePhase, scope: Scope) => Promise<BenchResult>,
): Promise<BenchResult> {
  const results: BenchResult[] = [];
  for (const kind of kinds) {
    if (kind === 'embedded') {
      results.push(
        await context.scope.nested(async (scope) => {
          const cwd = await makeTempDir(scope, 'crew-bench-');
          const dataDir = join(cwd, 'data');
          return work({ label: 'embedded', db: { socketDir: dataDir }, cwd, env: { CREW_DATA_DIR: dataDir } }, scope);
        }),
      );
      continue;
    }
    const reason = await unreachableReason(context.postgresUrl);
    if (reason !== undefined) {
      results.push({ figures: [], notes: [`postgres: skipped — the server is unreachable (${reason}).`] });
      continue;
    }
    results.push(
      await context.scope.nested(async (scope) => {
        const cwd = await makeTempDir(scope, 'crew-bench-');
        const url = await createFreshDatabase(scope, context.postgresUrl, 'crew_bench');
        return work({ label: 'postgres', db: { url }, cwd, env: { DATABASE_URL: url } }, scope);
      }),
    );
  }
  return { figures: results.flatMap((result) => result.figures), notes: results.flatMap((result) => result.notes) };
}

/** Starts the compiled service on the phase's database; `env` adds to (and may override) the defaults. */
export async function startService(
  context: BenchContext,
  scope: Scope,
  phase: DatabasePhase,
  env: Record<string, string> = {},
  name = `service (${phase.label})`,
): Promise<AppProcess> {
  return startApp(scope, {
    name,
    script: context.serviceMain,
    cwd: phase.cwd,
    port: await freePort(),
    env: { LOG_LEVEL: 'error', ...phase.env, ...env },
    readyPath: '/api/crew/health/ready',
  });
}

export interface JsonAnswer<T> {
  status: number;
  body: T;
}

export async function postJson<T>(url: string, body: unknown, timeoutMs = 120_000): Promise<JsonAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export async function getJson<T>(url: string, timeoutMs = 30_000): Promise<JsonAnswer<T>> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, body: (await response.json()) as T };
}

/** Resident set size of a process in KiB, from /proc/<pid>/status (Linux). */
export async function residentKib(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  if (!match) throw new Error(`/proc/${pid}/status has no ${field} line`);
  return Number(match[1]);
}

/** The execute response fields the benchmarks read. */
export interface ExecuteAnswer {
  task_id: string;
  status: string;
  strategy_used?: string;
  execution_type?: string;
  execution_time?: number | null;
  error?: string | null;
  metrics?: {
    llm_calls: number;
    input_tokens: number;
    output_tokens: number;
    fallback_chain: string[];
    ai_mode: string;
    cache_hit: boolean;
  };
}

const FINAL = new Set(['completed', 'failed', 'cancelled', 'timed_out']);

/**
 * Submits a task and answers its final state: the synchronous answer, or — when the service answered before
 * the task finished (202, or a sync wait that ran out) — the task polled until it is final.
 */
export async function runTask(baseUrl: string, body: { tenant_id: string } & Record<string, unknown>): Promise<ExecuteAnswer> {
  const submitted = await postJson<ExecuteAnswer>(`${baseUrl}/api/crew/execute`, body);
  if (submitted.status !== 200 && submitted.status !== 202) {
    throw new Error(`${String(body.type)} answered ${submitted.status}: ${JSON.stringify(submitted.body).slice(0, 500)}`);
  }
  let task = submitted.body;
  const deadline = Date.now() + 300_000;
  while (!FINAL.has(task.status)) {
    if (Date.now() > deadline) throw new Error(`task ${task.task_id} (${String(body.type)}) is still ${task.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    task = (await getJson<ExecuteAnswer>(`${baseUrl}/api/crew/task/${task.task_id}?tenant_id=${encodeURIComponent(body.tenant_id)}`)).body;
  }
  return task;
}
