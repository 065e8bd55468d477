import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgres } from '../src/database/embedded-postgres.js';

describe('embedded PostgreSQL under concurrent connections', () => {
  let dir: string;
  let embedded: EmbeddedPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crew-concurrency-'));
    embedded = await EmbeddedPostgres.start({ dataDir: dir });
    pool = new pg.Pool({ host: embedded.socketDir, port: 5432, user: 'postgres', database: 'postgres', max: 12 });
  });
  afterAll(async () => {
    await pool?.end();
    await embedded?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps each connection’s extended-protocol messages together (no interleaved Parse/Bind)', async () => {
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        pool.query<{ sum: number; label: string }>(
          i % 2 ? 'SELECT $1::int + $2::int AS sum, $3::text AS label' : 'SELECT $1::int + $2::int AS sum, $3::text AS label, 1 AS one',
          [i, 1, `q${i}`],
        ),
      ),
    );
    expect(results.map((r) => r.rows[0])).toEqual(
      Array.from({ length: 300 }, (_, i) => expect.objectContaining({ sum: i + 1, label: `q${i}` })),
    );
  });

  it('runs a transaction on one connection while others query', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS counter (id int PRIMARY KEY, n int NOT NULL)');
    await pool.query('INSERT INTO counter VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET n = 0');
    const client = await pool.connect();
    const transaction = (async () => {
      await client.query('BEGIN');
      for (let i = 0; i < 20; i += 1) await client.query('UPDATE counter SET n = n + $1 WHERE id = 1', [1]);
      await client.query('COMMIT');
      client.release();
    })();
    const readers = Promise.all(Array.from({ length: 50 }, (_, i) => pool.query('SELECT $1::int AS i', [i])));
    await Promise.all([transaction, readers]);
    const { rows } = await pool.query<{ n: number }>('SELECT n FROM counter WHERE id = $1', [1]);
    expect(rows[0].n).toBe(20);
  });

  it('shares a named prepared statement between connections (the one session holds it once)', async () => {
    const text = 'SELECT $1::int * 2 AS doubled';
    // Twelve connections each prepare the same name at once; without sharing all but the first would fail
    // with "prepared statement already exists".
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => pool.query<{ doubled: number }>({ name: 'shared_double', text, values: [i] })),
    );
    expect(results.map((r) => r.rows[0].doubled)).toEqual(Array.from({ length: 120 }, (_, i) => i * 2));
    const { rows } = await pool.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM pg_prepared_statements WHERE name = 'shared_double'",
    );
    expect(rows[0].count).toBe(1);
  });

  it('still refuses one name prepared for two different texts', async () => {
    await pool.query({ name: 'one_name', text: 'SELECT 1 AS a', values: [] });
    // A new connection (its pg client knows nothing of one_name) tries another text under the same name.
    const other = new pg.Client({ host: embedded.socketDir, port: 5432, user: 'postgres', database: 'postgres' });
    await other.connect();
    try {
      await expect(other.query({ name: 'one_name', text: 'SELECT 2 AS b', values: [] })).rejects.toThrow(/already exists/);
      // The connection and the statement still work afterwards.
      expect((await other.query<{ ok: number }>('SELECT 1 AS ok')).rows[0].ok).toBe(1);
    } finally {
      await other.end();
    }
    expect((await pool.query<{ a: number }>({ name: 'one_name', text: 'SELECT 1 AS a', values: [] })).rows[0].a).toBe(1);
  });

  it('prepares a statement again after DEALLOCATE dropped it', async () => {
    const client = new pg.Client({ host: embedded.socketDir, port: 5432, user: 'postgres', database: 'postgres' });
    await client.connect();
    try {
      await client.query({ name: 'dropped_later', text: 'SELECT $1::text AS v', values: ['x'] });
      await client.query('DEALLOCATE dropped_later');
    } finally {
      await client.end();
    }
    // A fresh connection prepares the name again: the queue must let the Parse through, not answer it itself.
    const fresh = new pg.Client({ host: embedded.socketDir, port: 5432, user: 'postgres', database: 'postgres' });
    await fresh.connect();
    try {
      expect((await fresh.query<{ v: string }>({ name: 'dropped_later', text: 'SELECT $1::text AS v', values: ['y'] })).rows[0].v).toBe(
        'y',
      );
    } finally {
      await fresh.end();
    }
  });
});
