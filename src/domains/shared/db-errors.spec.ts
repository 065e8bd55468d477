import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, QueryFailedError } from 'typeorm';
import { ConflictProblem } from '../../common/problem.js';
import { dataSourceOptions } from '../../database/data-source-options.js';
import { EmbeddedPostgres } from '../../database/embedded-postgres.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { isMissingRelation, isUniqueViolation, onUniqueViolation } from './db-errors.js';

/** The errors of real statements, as TypeORM wraps them and as the driver raises them. */
describe('database error mapping', () => {
  let database: TestDatabase;
  let embedded: EmbeddedPostgres | undefined;
  let dataSource: DataSource;

  const failing = async (sql: string, parameters: unknown[] = []): Promise<unknown> =>
    dataSource.query(sql, parameters).then(
      () => expect.fail(`expected ${sql} to fail`),
      (error: unknown) => error,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    if (database.url === undefined) {
      embedded = await EmbeddedPostgres.start({ dataDir: database.env.CREW_DATA_DIR, loadDataDir: database.loadDataDir });
    }
    dataSource = await new DataSource(dataSourceOptions({ url: database.url, socketDir: embedded?.socketDir, poolSize: 1 })).initialize();
    await dataSource.query(
      `CREATE TABLE db_error_probe (id int PRIMARY KEY, name text CONSTRAINT db_error_probe_name_key UNIQUE,
                                    parent_id int REFERENCES db_error_probe (id))`,
    );
    await dataSource.query(`INSERT INTO db_error_probe (id, name) VALUES (1, 'a')`);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await embedded?.stop();
    await database?.cleanup();
  });

  it('recognises a unique violation, of any constraint or of the named one', async () => {
    const error = await failing(`INSERT INTO db_error_probe (id, name) VALUES (2, 'a')`);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, 'db_error_probe_name_key')).toBe(true);
    expect(isUniqueViolation(error, 'db_error_probe_pkey')).toBe(false);
    expect(isUniqueViolation((error as QueryFailedError).driverError)).toBe(true);
  });

  it('recognises missing tables or columns, and tells other violations apart', async () => {
    const foreign = await failing(`INSERT INTO db_error_probe (id, parent_id) VALUES (3, 99)`);
    expect(isUniqueViolation(foreign)).toBe(false);
    expect(isMissingRelation(await failing('SELECT count(*) FROM db_error_probe_absent'))).toBe(true);
    expect(isMissingRelation(await failing('SELECT no_such_column FROM db_error_probe'))).toBe(true);
    expect(isMissingRelation(foreign)).toBe(false);
  });

  it('maps a unique violation to the caller’s conflict and passes every other error through', async () => {
    const conflict = () => new ConflictProblem('name "a" is taken');
    await expect(
      dataSource.query(`INSERT INTO db_error_probe (id, name) VALUES (4, 'a')`).catch(onUniqueViolation(conflict)),
    ).rejects.toBeInstanceOf(ConflictProblem);
    await expect(
      dataSource.query(`INSERT INTO db_error_probe (id, name) VALUES (4, 'a')`).catch(onUniqueViolation(conflict, 'db_error_probe_pkey')),
    ).rejects.toBeInstanceOf(QueryFailedError);
    const other = await dataSource.query(`INSERT INTO db_error_probe (id, parent_id) VALUES (5, 99)`).catch((error: unknown) => {
      try {
        onUniqueViolation(conflict)(error);
      } catch (thrown) {
        return thrown;
      }
    });
    expect(other).toBeInstanceOf(QueryFailedError);
    expect((other as QueryFailedError).message).toMatch(/foreign key/);
  });

  it('answers false for anything that is not a database error', () => {
    for (const value of [undefined, null, 'duplicate key', 23505, new Error('duplicate key'), { code: 23505 }]) {
      expect(isUniqueViolation(value)).toBe(false);
      expect(isMissingRelation(value)).toBe(false);
    }
  });
});
