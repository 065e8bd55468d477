import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The cluster CI runs: the only version under /etc/postgresql, cluster `main`. */
const DEFAULT_RESTART = 'pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main restart';

/** Whether this run also restarts the real PostgreSQL server (CI sets RELIABILITY_RESTART_POSTGRES=1). */
export const restartPostgresEnabled = process.env.RELIABILITY_RESTART_POSTGRES === '1';

/**
 * Restarts the PostgreSQL server behind `url` and waits (bounded) until it accepts connections again.
 * RELIABILITY_RESTART_COMMAND replaces the restart command (e.g. `pg_ctl -D <dir> restart` for a private
 * server when the shared one must not be disturbed).
 */
export async function restartPostgres(url: string): Promise<void> {
  const command = process.env.RELIABILITY_RESTART_COMMAND ?? DEFAULT_RESTART;
  await run('bash', ['-c', command], { timeout: 60_000 });
  const { hostname, port } = new URL(url);
  for (let tries = 0; tries < 60; tries += 1) {
    try {
      await run('pg_isready', ['-q', '-h', hostname, '-p', port || '5432', '-t', '1']);
      return;
    } catch {
      await sleep(500);
    }
  }
  throw new Error(`PostgreSQL at ${hostname}:${port} did not accept connections within 30 s of "${command}"`);
}
