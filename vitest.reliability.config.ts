import { defineConfig } from 'vitest/config';

/**
 * `npm run test:reliability`: several real service processes on one PostgreSQL database (TEST_DATABASE_URL)
 * with a scripted model. Files run one after another: each starts processes of its own, and the outage
 * file may restart the PostgreSQL server itself.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.spec.ts'],
    globalSetup: ['test/reliability/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
