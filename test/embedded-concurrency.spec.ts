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
});
