import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/bootstrap.js';
import { loadConfigTree } from '../../src/config.tree.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: NestExpressApplication;
  database: TestDatabase;
  /** The environment the app was booted from (defaults, the database's variables, the overrides). */
  env: Record<string, string>;
  /** Closes the app; the database stays for a restart. */
  close(): Promise<void>;
  /** Boots a new app on the same database. */
  restart(): Promise<NestExpressApplication>;
  /** Closes the app and drops the database. */
  dispose(): Promise<void>;
}

const QUIET = { log() {}, error() {}, warn() {}, debug() {}, verbose() {}, fatal() {} };

/**
 * Boots the real application (real pipes, filters, database) on a database of its own. Logs go nowhere
 * (TEST_LOGS=1: to the console) unless `options.logger` is given. Every setting, core or module section, is
 * passed in `overrides` as the variable main.ts would read, never through the process environment.
 */
export async function createTestApp(overrides: Record<string, string> = {}, options: { logger?: LoggerService } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const env = { ENVIRONMENT: 'test', LOG_LEVEL: 'error', ...database.env, ...overrides };
  const logger = options.logger ?? (process.env.TEST_LOGS ? undefined : QUIET);
  const boot = () => createApp(loadConfigTree(env), { loadDataDir: database.loadDataDir, logger });
  const testApp: TestApp = {
    app: await boot(),
    database,
    env,
    close: async () => {
      await testApp.app.close();
    },
    restart: async () => {
      testApp.app = await boot();
      return testApp.app;
    },
    dispose: async () => {
      await testApp.app.close().catch(() => undefined);
      await database.cleanup();
    },
  };
  return testApp;
}
