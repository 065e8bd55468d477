import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import type { WorkerInput, WorkerReply, WorkerRequest } from './embedded-postgres.worker.js';

/** Raised when another live process already serves the embedded database from the same directory. */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, holder: string) {
    super(
      `The embedded database in ${dataDir} is already in use by another process (${holder}). ` +
        'Stop that process, or give this one its own directory with CREW_DATA_DIR, or point both at PostgreSQL with DATABASE_URL.',
    );
    this.name = 'DataDirInUseError';
  }
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** A tarball from `dumpDataDir()` to initialise a new directory from (tests use a migrated template). */
  loadDataDir?: Blob;
  maxConnections?: number;
}

const SOCKET_NAME = '.s.PGSQL.5432';
const STOP_TIMEOUT_MS = 10_000;

/**
 * The compiled worker script. Run from source (the test runner transforms TypeScript in this thread only),
 * the build's copy is used: `npm test` builds first.
 */
function workerScript(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('../../dist/src/database/embedded-postgres.worker.js', import.meta.url)
    : new URL('./embedded-postgres.worker.js', import.meta.url);
}
const LOCK_NAME = 'crew.lock';

function socketIsLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * PGlite (PostgreSQL compiled to WASM) served over the PostgreSQL wire protocol on a private unix socket,
 * so the normal `pg` driver, TypeORM, Terminus and pg-boss run exactly the code they run against a server.
 * Both run in a worker thread of their own, so SQL executes beside the HTTP event loop, not on it.
 * PGlite has no cross-process lock, so this class is the lock: a live socket (or a live pid in the lock
 * file) refuses a second process; a stale socket or lock from a crash is removed.
 */
export class EmbeddedPostgres {
  private readonly logger = new Logger(EmbeddedPostgres.name);
  private worker?: Worker;

  private constructor(readonly dataDir: string) {}

  get socketDir(): string {
    return this.dataDir;
  }

  get socketPath(): string {
    return join(this.dataDir, SOCKET_NAME);
  }

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const instance = new EmbeddedPostgres(options.dataDir);
    await instance.open(options);
    return instance;
  }

  private async acquireLock(): Promise<void> {
    const lockPath = join(this.dataDir, LOCK_NAME);
    if (await socketIsLive(this.socketPath)) throw new DataDirInUseError(this.dataDir, `socket ${this.socketPath} is live`);
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && processIsAlive(holder)) {
      throw new DataDirInUseError(this.dataDir, `pid ${holder}`);
    }
    this.logger.warn(`Removing a stale lock left by pid ${holder || 'unknown'} in ${this.dataDir}`);
    await writeFile(lockPath, String(process.pid));
  }

  private async open(options: EmbeddedPostgresOptions): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    await this.acquireLock();
    try {
      if (await exists(this.socketPath)) {
        this.logger.warn(`Removing a stale socket ${this.socketPath} (no process answers on it)`);
        await rm(this.socketPath, { force: true });
      }
      const pgdata = join(this.dataDir, 'pgdata');
      const fresh = !(await exists(join(pgdata, 'PG_VERSION')));
      const started = Date.now();
      const input: WorkerInput = {
        pgdata,
        socketPath: this.socketPath,
        maxConnections: options.maxConnections ?? 64,
        ...(fresh && options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      };
      const worker = new Worker(workerScript(), { workerData: input, name: 'embedded-postgres' });
      this.worker = worker;
      worker.on('error', (error: Error) => this.logger.error(`The embedded database thread failed: ${error.message}`));
      await this.expect(worker, 'ready');
      this.logger.log(`Embedded PostgreSQL ready in ${Date.now() - started} ms (${fresh ? 'new' : 'existing'} data in ${pgdata})`);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** The next reply of the worker, which must be of `kind`; an error reply or the thread's end rejects. */
  private expect<K extends WorkerReply['kind']>(worker: Worker, kind: K): Promise<Extract<WorkerReply, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: WorkerReply): void => {
        cleanup();
        if (message.kind === kind) resolve(message as Extract<WorkerReply, { kind: K }>);
        else if (message.kind === 'error') reject(Object.assign(new Error(message.message), { stack: message.stack ?? message.message }));
        else reject(new Error(`The embedded database thread answered ${message.kind}, expected ${kind}`));
      };
      const onExit = (code: number): void => {
        cleanup();
        reject(new Error(`The embedded database thread exited (code ${code}) before answering ${kind}`));
      };
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
    });
  }

  private send(worker: Worker, request: WorkerRequest): void {
    worker.postMessage(request);
  }

  /** A tarball of the data directory, to seed other directories (used for fast test databases). */
  async dump(): Promise<Blob> {
    const worker = this.worker;
    if (!worker) throw new Error('Embedded database is not open');
    const reply = this.expect(worker, 'dump');
    this.send(worker, { kind: 'dump' });
    return (await reply).data;
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      const stopped = this.expect(worker, 'stopped');
      this.send(worker, { kind: 'stop' });
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
      const outcome: Awaited<typeof stopped> | 'timeout' | Error = await Promise.race([stopped, timeout]).catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      );
      if (outcome === 'timeout') this.logger.warn(`The embedded database did not stop within ${STOP_TIMEOUT_MS} ms; ending its thread`);
      else if (outcome instanceof Error) this.logger.warn(`Embedded database stop: ${outcome.message}`);
      else for (const warning of outcome.warnings) this.logger.warn(warning);
      await worker.terminate();
    }
    await rm(this.socketPath, { force: true });
    await rm(join(this.dataDir, LOCK_NAME), { force: true });
  }
}
