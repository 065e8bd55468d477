import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Scope } from './process.js';

/** Where a client reaches the database: a postgres:// URL or the unix-socket directory of the embedded server. */
export type DbTarget = { url: string } | { socketDir: string };

function clientConfig(target: DbTarget): pg.ClientConfig {
  return 'url' in target
    ? { connectionString: target.url, connectionTimeoutMillis: 3000 }
    : { host: target.socketDir, port: 5432, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 3000 };
}

export async function withClient<T>(target: DbTarget, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(clientConfig(target));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function queryCount(target: DbTarget, sql: string, values: unknown[]): Promise<number> {
  return withClient(target, async (client) => {
    const result = await client.query<{ count: string }>(sql, values);
    return Number(result.rows[0]?.count ?? Number.NaN);
  });
}

/** Why the server cannot be used, or undefined when it answers. */
export async function unreachableReason(serverUrl: string): Promise<string | undefined> {
  try {
    await withClient({ url: serverUrl }, (client) => client.query('SELECT 1'));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  }
}

/** Creates a database of the benchmark's own on the server; the scope drops it (with its connections). */
export async function createFreshDatabase(scope: Scope, serverUrl: string, prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await withClient({ url: serverUrl }, (client) => client.query(`CREATE DATABASE ${name}`));
  scope.defer(() =>
    withClient({ url: serverUrl }, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
