import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

/**
 * A database of the test file's own: a fresh embedded directory seeded from the migrated template, or,
 * with TEST_DATABASE_URL, a new database on that server (dropped afterwards). Files can run in parallel.
 */
export interface TestDatabase {
  env: Record<string, string>;
  loadDataDir?: Blob;
  /** postgres URL when running against a server. */
  url?: string;
  cleanup(): Promise<void>;
}

let template: Blob | undefined;

async function embeddedTemplate(): Promise<Blob> {
  template ??= new Blob([await readFile(inject('embeddedTemplate'))]);
  return template;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `crew_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString() },
      url: url.toString(),
      cleanup: async () => {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'crew-test-'));
  return {
    env: { CREW_DATA_DIR: dataDir },
    loadDataDir: await embeddedTemplate(),
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}
