import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import { Logger } from '@nestjs/common';
import { checkSecurityAtBoot, InsecureConfigError } from './auth/security-boot-check.js';
import { createApp, createLogger } from './bootstrap.js';
import { ConfigError } from './config/env-parsers.js';
import { type ConfigTree, loadConfigTree } from './config.tree.js';
import { runtimeInfo } from './config/runtime.js';
import { DataDirInUseError } from './database/embedded-postgres.js';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let tree: ConfigTree;
  let securityWarning: string | null;
  try {
    // The one read of the environment: every module's section, validated before anything starts.
    tree = loadConfigTree(process.env);
    securityWarning = checkSecurityAtBoot(tree.app);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof InsecureConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const config = tree.app;
  const logger = createLogger(config);
  if (securityWarning) logger.warn(securityWarning, 'Security');
  const runtime = runtimeInfo();
  if (!runtime.supported) {
    logger.warn(
      `Node.js ${runtime.node} is not supported (package.json engines: node ${runtime.node_supported}). ` +
        'Start the service with npm start, which runs the Node.js that npm install put in node_modules/.bin, or use the Docker image.',
      'Runtime',
    );
  }
  try {
    const app = await createApp(tree, { logger });
    app.enableShutdownHooks();
    await app.listen(config.server.port, config.server.host);
    const server = app.getHttpServer() as { address(): { address: string; port: number } | string | null };
    const bound = server.address();
    const address =
      typeof bound === 'object' && bound
        ? `http://${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}`
        : String(bound);
    new Logger('Bootstrap').log(
      `AI Crew System listening on ${address} (node: ${runtime.node}, database: ${config.database.kind === 'embedded' ? `embedded in ${config.database.dataDir}` : 'PostgreSQL'}, ai_mode: ${config.llm.enabled ? 'llm' : 'deterministic'}); docs at /api/crew/docs`,
    );
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(73);
    }
    throw error;
  }
}

await main();
