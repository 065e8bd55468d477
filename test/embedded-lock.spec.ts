import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger, type LoggerService } from '@nestjs/common';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, EmbeddedPostgres } from '../src/database/embedded-postgres.js';

const SOCKET_NAME = '.s.PGSQL.5432';
const LOCK_NAME = 'crew.lock';

/** Collects what EmbeddedPostgres logs, so the test can see that it reported the stale files it removed. */
class CapturingLogger implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  debug(): void {}
  verbose(): void {}
  fatal(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function selectOne(dataDir: string): Promise<number> {
  const client = new pg.Client({ host: dataDir, port: 5432, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    const result = await client.query<{ one: number }>('SELECT 1 AS one');
    return result.rows[0].one;
  } finally {
    await client.end();
  }
}

/** Runs a plain node script in a child process; resolves once it printed "ready". */
async function spawnNode(script: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
  return child;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

async function startError(dataDir: string): Promise<unknown> {
  return EmbeddedPostgres.start({ dataDir }).then(
    async (unexpected) => {
      await unexpected.stop();
      return undefined;
    },
    (error: unknown) => error,
  );
}

describe('EmbeddedPostgres data directory lock', () => {
  let root: string;
  let dataDir: string;
  const children: ChildProcess[] = [];
  const running: EmbeddedPostgres[] = [];
  const logger = new CapturingLogger();

  async function start(): Promise<EmbeddedPostgres> {
    const embedded = await EmbeddedPostgres.start({ dataDir });
    running.push(embedded);
    return embedded;
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'crew-lock-'));
    dataDir = join(root, 'data');
    await mkdir(dataDir);
    Logger.overrideLogger(logger);
  });
  afterEach(async () => {
    for (const embedded of running.splice(0)) await embedded.stop();
    for (const child of children.splice(0)) await kill(child, 'SIGKILL');
    // Each test starts from a directory nobody holds (a child killed above may leave its socket behind).
    await rm(join(dataDir, SOCKET_NAME), { force: true });
    await rm(join(dataDir, LOCK_NAME), { force: true });
    logger.warnings.length = 0;
  });
  afterAll(async () => {
    Logger.overrideLogger(false);
    await rm(root, { recursive: true, force: true });
  });

  it('a second start on a directory in use is refused with a message naming it; after stop() it starts again', async () => {
    const first = await start();
    expect(await selectOne(dataDir)).toBe(1);
    expect((await readFile(join(dataDir, LOCK_NAME), 'utf8')).trim()).toBe(String(process.pid));

    const error = await startError(dataDir);
    expect(error).toBeInstanceOf(DataDirInUseError);
    const message = (error as Error).message;
    expect(message).toContain(`The embedded database in ${dataDir} is already in use by another process`);
    expect(message).toContain(join(dataDir, SOCKET_NAME));
    expect(message).toMatch(/Stop that process, or give this one its own directory with CREW_DATA_DIR/);
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('\n');

    // The refused start left the running server alone.
    expect(await socketAnswers(first.socketPath)).toBe(true);
    expect((await readFile(join(dataDir, LOCK_NAME), 'utf8')).trim()).toBe(String(process.pid));
    expect(await selectOne(dataDir)).toBe(1);

    await first.stop();
    running.length = 0;
    await expect(stat(first.socketPath)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(join(dataDir, LOCK_NAME))).rejects.toMatchObject({ code: 'ENOENT' });

    await start();
    expect(await selectOne(dataDir)).toBe(1);
  });

  it('a stale socket and a lock of a dead process (left by a crash) are removed, reported, and the start succeeds', async () => {
    // A process that binds the socket and dies by SIGKILL leaves the socket file behind, as a crashed server does.
    const socketPath = join(dataDir, SOCKET_NAME);
    const crashed = await spawnNode(
      `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('ready'));`,
    );
    await kill(crashed, 'SIGKILL');
    expect((await stat(socketPath)).isSocket()).toBe(true);
    expect(await socketAnswers(socketPath)).toBe(false);
    await writeFile(join(dataDir, LOCK_NAME), '999999');

    const embedded = await start();
    expect(await selectOne(dataDir)).toBe(1);
    expect(await socketAnswers(embedded.socketPath)).toBe(true);
    expect((await readFile(join(dataDir, LOCK_NAME), 'utf8')).trim()).toBe(String(process.pid));
    expect(logger.warnings).toEqual(
      expect.arrayContaining([
        `Removing a stale lock left by pid 999999 in ${dataDir}`,
        `Removing a stale socket ${socketPath} (no process answers on it)`,
      ]),
    );
  });

  it('a stale plain file where the socket belongs is removed too', async () => {
    await writeFile(join(dataDir, SOCKET_NAME), 'not a socket');
    await start();
    expect(await selectOne(dataDir)).toBe(1);
  });

  it('a lock held by another live process is refused naming its pid; once that process is gone the start succeeds', async () => {
    const holder = await spawnNode(`console.log('ready'); setTimeout(() => {}, 20000);`);
    children.push(holder);
    await writeFile(join(dataDir, LOCK_NAME), String(holder.pid));

    const error = await startError(dataDir);
    expect(error).toBeInstanceOf(DataDirInUseError);
    expect((error as Error).message).toContain(`already in use by another process (pid ${holder.pid})`);
    expect((error as Error).message).toContain(dataDir);
    // Refused before touching anything: the holder's lock is intact.
    expect((await readFile(join(dataDir, LOCK_NAME), 'utf8')).trim()).toBe(String(holder.pid));

    await kill(holder);
    await start();
    expect(await selectOne(dataDir)).toBe(1);
    expect((await readFile(join(dataDir, LOCK_NAME), 'utf8')).trim()).toBe(String(process.pid));
  });

  it('a socket served by another process is refused even without a lock file', async () => {
    const socketPath = join(dataDir, SOCKET_NAME);
    const server = await spawnNode(`require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('ready'));`);
    children.push(server);
    await rm(join(dataDir, LOCK_NAME), { force: true });

    const error = await startError(dataDir);
    expect(error).toBeInstanceOf(DataDirInUseError);
    expect((error as Error).message).toContain(`socket ${socketPath} is live`);
    expect(await socketAnswers(socketPath)).toBe(true);
  });
});
