import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLoggerContract } from 'typeorm';

const MAX_STATEMENT_CHARS = 500;

function describe(error: string | Error): string {
  return typeof error === 'string' ? error : error.message;
}

/** A statement on one line, cut short: enough to recognise it, never its parameters (tenant data). */
function statement(query: string): string {
  const line = query.replace(/\s+/g, ' ').trim();
  return line.length > MAX_STATEMENT_CHARS ? `${line.slice(0, MAX_STATEMENT_CHARS)}…` : line;
}

/**
 * TypeORM's messages through the service's logger, so they follow LOG_LEVEL and come out as JSON lines in
 * production like every other line (TypeORM's own console logger prints coloured SQL with its parameters).
 * Failed queries are warnings (the error itself reaches the caller, which decides what it means); schema
 * messages are debug lines; migrations are log lines.
 */
export class TypeOrmLogger implements TypeOrmLoggerContract {
  private readonly logger = new Logger('TypeORM');

  logQuery(): void {
    // Every statement would be a line: not logged.
  }

  /** `parameters` are never logged: they hold tenant data. */
  logQueryError(error: string | Error, query: string, _parameters?: unknown): void {
    this.logger.warn(`Query failed: ${describe(error)} — ${statement(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`Slow query (${time} ms): ${statement(query)}`);
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    if (level === 'warn') this.logger.warn(text);
    else this.logger.debug(text);
  }
}
