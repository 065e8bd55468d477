import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { StickyQueryQueue } from './sticky-query-queue.js';

/**
 * The embedded database's own thread: PGlite (PostgreSQL in WASM) and its wire-protocol socket server run
 * here, so SQL executes beside the HTTP event loop instead of on it. The main thread talks to it only to
 * start, dump and stop; every query arrives over the unix socket like on a real server.
 */

export interface WorkerInput {
  pgdata: string;
  socketPath: string;
  maxConnections: number;
  loadDataDir?: Blob;
}

export type WorkerRequest = { kind: 'dump' } | { kind: 'stop' };

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'dump'; data: Blob }
  | { kind: 'stopped'; warnings: string[] }
  | { kind: 'error'; message: string; stack?: string };

const port = parentPort;
if (!port) throw new Error('embedded-postgres.worker runs only as a worker thread');
const input = workerData as WorkerInput;

function reply(message: WorkerReply): void {
  port?.postMessage(message);
}

function failure(error: unknown): WorkerReply {
  return error instanceof Error ? { kind: 'error', message: error.message, stack: error.stack } : { kind: 'error', message: String(error) };
}

let db: PGlite | undefined;
let server: PGLiteSocketServer | undefined;

async function stop(): Promise<string[]> {
  const warnings: string[] = [];
  await server?.stop().catch((error: unknown) => warnings.push(`Socket server stop failed: ${String(error)}`));
  await db?.close().catch((error: unknown) => warnings.push(`PGlite close failed: ${String(error)}`));
  server = undefined;
  db = undefined;
  return warnings;
}

port.on('message', (request: WorkerRequest) => {
  if (request.kind === 'dump') {
    if (!db) return reply({ kind: 'error', message: 'Embedded database is not open' });
    db.dumpDataDir('none').then(
      (data) => reply({ kind: 'dump', data }),
      (error: unknown) => reply(failure(error)),
    );
  } else {
    void stop().then((warnings) => {
      reply({ kind: 'stopped', warnings });
      port.close();
    });
  }
});

try {
  db = await PGlite.create({ dataDir: input.pgdata, ...(input.loadDataDir ? { loadDataDir: input.loadDataDir } : {}) });
  server = new PGLiteSocketServer({ db, path: input.socketPath, maxConnections: input.maxConnections });
  // See StickyQueryQueue: the stock queue lets concurrent connections' extended-protocol messages interleave.
  (server as unknown as { queryQueue: StickyQueryQueue }).queryQueue = new StickyQueryQueue(db);
  await server.start();
  reply({ kind: 'ready' });
} catch (error) {
  await stop();
  reply(failure(error));
  port.close();
}
