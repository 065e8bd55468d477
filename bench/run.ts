import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Benchmark, type LoadSettings, meetsTarget } from './lib/benchmark.js';
import { closeAllScopes, Scope, startFlags } from './lib/process.js';
import { formatTable, type Row } from './lib/table.js';

/**
 * Runs every `*.bench.js` beside this file (or those named on the command line) and prints one table:
 * each figure with its baseline, the ratio, the target and pass/FAIL. Progress goes to stderr, the table
 * to stdout. Exit code 1 when a benchmark crashed, or with --strict also when a target is missed.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const SERVICE_MAIN = join(HERE, '..', 'src', 'main.js');
const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

// Set on SIGINT/SIGTERM: the run is torn down, so the failures that follow are not worth reporting.
let interrupted = false;

function log(message: string): void {
  if (!interrupted) process.stderr.write(`[bench] ${message}\n`);
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function loadSettings(): LoadSettings {
  return {
    connections: positiveInt('BENCH_CONNECTIONS', 16),
    warmupMs: positiveInt('BENCH_WARMUP_S', 3) * 1000,
    roundMs: positiveInt('BENCH_ROUND_S', 2) * 1000,
    rounds: positiveInt('BENCH_ROUNDS', 4),
  };
}

async function discover(): Promise<Benchmark[]> {
  const files = (await readdir(HERE)).filter((file) => file.endsWith('.bench.js')).sort();
  const benchmarks: Benchmark[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(HERE, file)).href)) as { benchmark?: Benchmark };
    if (!module.benchmark) throw new Error(`${file} does not export a "benchmark"`);
    benchmarks.push(module.benchmark);
  }
  return benchmarks;
}

function select(all: Benchmark[], names: string[]): Benchmark[] {
  if (names.length === 0) return all;
  const unknown = names.filter((name) => !all.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; available: ${all.map((benchmark) => benchmark.name).join(', ')}`);
  }
  return all.filter((benchmark) => names.includes(benchmark.name));
}

async function main(argv: string[]): Promise<number> {
  const strict = argv.includes('--strict');
  const settings = loadSettings();
  const benchmarks = select(
    await discover(),
    argv.filter((arg) => !arg.startsWith('--')),
  );
  const postgresUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const benchmark of benchmarks) {
    log(`${benchmark.name}: ${benchmark.description}`);
    const scope = new Scope(log);
    try {
      const result = await benchmark.run({ settings, postgresUrl, serviceMain: SERVICE_MAIN, scope, log });
      rows.push(...result.figures.map((figure) => ({ benchmark: benchmark.name, figure })));
      notes.push(...result.notes.map((note) => `${benchmark.name} — ${note}`));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${benchmark.name} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
      rows.push({ benchmark: benchmark.name, error: message.split('\n')[0] ?? message });
    } finally {
      await scope.close();
    }
  }
  if (interrupted) return 1;
  process.stdout.write(`\n${formatTable(rows)}\n\n`);
  for (const note of notes) process.stdout.write(`* ${note}\n`);
  process.stdout.write(
    `* ${settings.connections} keep-alive connections, ${settings.warmupMs / 1000} s warm-up per target, ` +
      `${settings.rounds} interleaved rounds of ${settings.roundMs / 1000} s per target; ratio = value / baseline.\n`,
  );
  process.stdout.write(`* The service runs as npm start runs it (node ${startFlags().join(' ')}); the bare baselines as plain node.\n`);
  const crashed = rows.some((row) => row.error !== undefined);
  const missed = rows.some((row) => row.figure !== undefined && meetsTarget(row.figure) === false);
  return crashed || (strict && missed) ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping everything the benchmarks started`);
    interrupted = true;
    void closeAllScopes().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await closeAllScopes();
}
