import { Logger, type LoggerService } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { TypeOrmLogger } from './typeorm-logger.js';

describe('TypeOrmLogger', () => {
  const lines: [string, string, string | undefined][] = [];
  const capture = (level: string) => (message: unknown, context?: string) => lines.push([level, String(message), context]);
  const sink: LoggerService = { log: capture('log'), warn: capture('warn'), error: capture('error'), debug: capture('debug') };

  afterEach(() => {
    lines.length = 0;
    Logger.overrideLogger(false);
  });

  it("sends TypeORM's messages through the Nest logger: failed queries as warnings without their parameters", () => {
    Logger.overrideLogger(sink);
    const logger = new TypeOrmLogger();
    logger.logQuery();
    logger.logQueryError(new Error('relation "tasks" does not exist'), 'SELECT *\n  FROM tasks\n  WHERE tenant_id = $1', [
      'acme-secret-tenant',
    ]);
    logger.logQuerySlow(1200, `SELECT ${'x, '.repeat(400)}1`);
    logger.logMigration('Migration CreateTasks has been executed successfully.');
    logger.logSchemaBuild('creating a new table');
    logger.log('warn', 'careful');
    expect(lines[0]).toEqual([
      'warn',
      'Query failed: relation "tasks" does not exist — SELECT * FROM tasks WHERE tenant_id = $1',
      'TypeORM',
    ]);
    expect(lines.some(([, message]) => message.includes('acme-secret-tenant'))).toBe(false);
    expect(lines[1][1]).toMatch(/^Slow query \(1200 ms\): SELECT x, x, .*…$/);
    expect(lines[1][1].length).toBeLessThan(560);
    expect(lines.slice(2)).toEqual([
      ['log', 'Migration CreateTasks has been executed successfully.', 'TypeORM'],
      ['debug', 'creating a new table', 'TypeORM'],
      ['warn', 'careful', 'TypeORM'],
    ]);
  });
});
