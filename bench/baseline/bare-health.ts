import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * The baseline of the health-rps benchmark: a bare NestJS app on the same Express platform whose one route
 * answers what the service's liveness probe answers (Terminus with no indicators), at the same path. No
 * database, no middleware, no guards. Configured by env: PORT, HOST.
 */

export const LIVE_PATH = '/api/crew/health/live';
export const LIVE_BODY = { status: 'ok', info: {}, error: {}, details: {} } as const;

@Controller('api/crew/health')
class BareHealthController {
  @Get('live')
  live(): typeof LIVE_BODY {
    return LIVE_BODY;
  }
}

@Module({ controllers: [BareHealthController] })
class BareHealthModule {}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT must be a port number');
  const app = await NestFactory.create<NestExpressApplication>(BareHealthModule, { logger: ['error', 'fatal'] });
  app.enableShutdownHooks();
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
}

// Only when run as a process: the benchmark imports LIVE_BODY from here to check the answers.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
