import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

type Cleanup = () => Promise<void>;

/**
 * The Node runtime flags of `npm start` (package.json), e.g. `--max-semi-space-size=32`: the service runs under
 * them in every benchmark, as it does in production. The bare baselines run as plain `node app.js`, as a bare
 * NestJS app would (bench/README.md gives what the flags would change for them).
 */
export function startFlags(): string[] {
  // dist/bench/lib → the project root.
  const manifest = fileURLToPath(new URL('../../../package.json', import.meta.url));
  const start = (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = start.trim().split(/\s+/);
  if (words[0] !== 'node') throw new Error(`package.json's start script does not run node: ${start}`);
  return words.slice(1).filter((word) => word.startsWith('--'));
}

const START_FLAGS = startFlags();
/** The compiled service (dist/src/main.js): the script that gets START_FLAGS. */
const SERVICE_MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

const openScopes = new Set<Scope>();

/** Collects what a benchmark started or created and undoes it in reverse order (last started, first stopped). */
export class Scope {
  private readonly cleanups: Cleanup[] = [];

  constructor(private readonly log: (message: string) => void) {
    openScopes.add(this);
  }

  defer(cleanup: Cleanup): void {
    this.cleanups.push(cleanup);
  }

  async close(): Promise<void> {
    for (let cleanup = this.cleanups.pop(); cleanup; cleanup = this.cleanups.pop()) {
      await cleanup().catch((error: unknown) => this.log(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`));
    }
    openScopes.delete(this);
  }

  /** Runs `work` in a child scope that is closed when it ends, so a phase frees the machine before the next. */
  async nested<T>(work: (scope: Scope) => Promise<T>): Promise<T> {
    const scope = new Scope(this.log);
    try {
      return await work(scope);
    } finally {
      await scope.close();
    }
  }
}

/** For signal handlers: stop every child and remove every temp dir that is still open. */
export async function closeAllScopes(): Promise<void> {
  for (const scope of [...openScopes].reverse()) await scope.close();
}

export async function makeTempDir(scope: Scope, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  scope.defer(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not allocate a port');
  return address.port;
}

export interface AppOptions {
  name: string;
  script: string;
  env: Record<string, string>;
  cwd: string;
  port: number;
  /** GET path that answers 200 once the app can serve. */
  readyPath: string;
  readyTimeoutMs?: number;
}

export interface AppProcess {
  name: string;
  baseUrl: string;
  pid: number;
  /** The last few KB the process printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

const OUTPUT_TAIL_CHARS = 4000;
const STOP_GRACE_MS = 10_000;

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const graceful = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
  if (!graceful) {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Starts a compiled Node app as a real process on 127.0.0.1 and waits until `readyPath` answers; the scope
 * stops it (SIGTERM, then SIGKILL after a grace period). The env is exactly `env`: nothing leaks in from the
 * caller's shell (a DATABASE_URL there would silently move an embedded run to a server).
 */
export async function startApp(scope: Scope, options: AppOptions): Promise<AppProcess> {
  const flags = options.script === SERVICE_MAIN ? START_FLAGS : [];
  const child = spawn(process.execPath, [...flags, options.script], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = (): Promise<void> => stopChild(child);
  scope.defer(stop);
  const exited = once(child, 'exit').then(([code, signal]) => `exited with ${String(code ?? signal)}`);
  await Promise.race([once(child, 'spawn'), exited.then((why) => Promise.reject(new Error(`${options.name} ${why}`)))]);

  const baseUrl = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  let exitReason: string | undefined;
  void exited.then((why) => (exitReason = why));
  while (!(await answers(`${baseUrl}${options.readyPath}`))) {
    if (exitReason !== undefined || Date.now() > deadline) {
      throw new Error(`${options.name} ${exitReason ?? 'was not ready in time'}; its output:\n${output.trim()}`);
    }
    await sleep(100);
  }
  return { name: options.name, baseUrl, pid: child.pid ?? -1, output: () => output.trim(), stop };
}
