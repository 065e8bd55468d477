import { ConsoleLogger, type LogLevel as NestLogLevel } from '@nestjs/common';
import type { LogLevel } from '../config/app-config.js';
import { currentRequestId } from './request-context.js';

const LEVELS: Record<LogLevel, NestLogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
  info: ['fatal', 'error', 'warn', 'log'],
  warning: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/** Nest's console logger with the request id on every line (JSON lines in production). */
export class CrewLogger extends ConsoleLogger {
  constructor(level: LogLevel, json: boolean) {
    super({ logLevels: LEVELS[level], json, colors: !json && process.stdout.isTTY });
  }

  protected override getJsonLogObject(
    message: unknown,
    options: Parameters<ConsoleLogger['getJsonLogObject']>[1],
  ): ReturnType<ConsoleLogger['getJsonLogObject']> {
    const object = super.getJsonLogObject(message, options);
    const requestId = currentRequestId();
    return requestId ? { ...object, request_id: requestId } : object;
  }

  protected override formatMessage(...args: Parameters<ConsoleLogger['formatMessage']>): string {
    const requestId = currentRequestId();
    if (requestId) args[4] = `${args[4]}[req ${requestId}] `;
    return super.formatMessage(...args);
  }
}
