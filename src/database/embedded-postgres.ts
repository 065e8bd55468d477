import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { StickyQueryQueue } from './sticky-query-queue.js';

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
 * PGlite has no cross-process lock, so this class is the lock: a live socket (or a live pid in the lock
 * file) refuses a second process; a stale socket or lock from a crash is removed.
 */
export class EmbeddedPostgres {
  private readonly logger = new Logger(EmbeddedPostgres.name);
  private db?: PGlite;
  private server?: PGLiteSocketServer;

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
      this.db = await PGlite.create({
        dataDir: pgdata,
        ...(fresh && options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      });
      this.server = new PGLiteSocketServer({
        db: this.db,
        path: this.socketPath,
        maxConnections: options.maxConnections ?? 64,
      });
      // See StickyQueryQueue: the stock queue lets concurrent connections' extended-protocol messages interleave.
      (this.server as unknown as { queryQueue: StickyQueryQueue }).queryQueue = new StickyQueryQueue(this.db);
      await this.server.start();
      this.logger.log(`Embedded PostgreSQL ready in ${Date.now() - started} ms (${fresh ? 'new' : 'existing'} data in ${pgdata})`);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** A tarball of the data directory, to seed other directories (used for fast test databases). */
  async dump(): Promise<Blob> {
    if (!this.db) throw new Error('Embedded database is not open');
    return await this.db.dumpDataDir('none');
  }

  async stop(): Promise<void> {
    const server = this.server;
    const db = this.db;
    this.server = undefined;
    this.db = undefined;
    await server?.stop().catch((error: unknown) => this.logger.warn(`Socket server stop failed: ${String(error)}`));
    await db?.close().catch((error: unknown) => this.logger.warn(`PGlite close failed: ${String(error)}`));
    await rm(this.socketPath, { force: true });
    await rm(join(this.dataDir, LOCK_NAME), { force: true });
  }
}
