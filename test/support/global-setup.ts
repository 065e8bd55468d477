import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { runMigrationsLocked } from '../../src/database/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedTemplate: string;
  }
}

/**
 * Once per run: an embedded database with every migration applied, dumped to a tarball. Each test file
 * starts its own embedded database from it (about a second instead of an initdb of several).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'crew-template-'));
  const templatePath = join(root, 'template.tar');
  if (!process.env.TEST_DATABASE_URL) {
    const embedded = await EmbeddedPostgres.start({ dataDir: join(root, 'db') });
    const dataSource = await new DataSource(dataSourceOptions({ socketDir: embedded.socketDir, poolSize: 2 })).initialize();
    await runMigrationsLocked(dataSource);
    await dataSource.destroy();
    const dump = await embedded.dump();
    await writeFile(templatePath, Buffer.from(await dump.arrayBuffer()));
    await embedded.stop();
  }
  project.provide('embeddedTemplate', templatePath);
  return async () => {
    await rm(root, { recursive: true, force: true });
  };
}
