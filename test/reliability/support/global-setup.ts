import pg from 'pg';
import type { TestProject } from 'vitest/node';

/** The suite needs a PostgreSQL server: say so in one line instead of failing in every file. */
export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'The reliability suite runs on PostgreSQL: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test; CI uses that).',
    );
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL is unreachable (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    await client.end().catch(() => undefined);
  }
  // test/support/test-database.ts reads it only for the embedded database, which this suite does not use.
  project.provide('embeddedTemplate', '');
}
