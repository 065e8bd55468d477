import 'reflect-metadata';
import { Logger, type LoggerService, NotFoundException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import type { ConfigTree } from './config.tree.js';
import { answerClientErrors } from './common/client-error.js';
import { type BodyLimits, bulkParserOptions, typedBodyLimit } from './common/body-limits.js';
import { CrewLogger } from './common/crew-logger.js';
import { API_SECURITY_HEADERS, corsForBrowsers, fixedHeaders, helmetHeaders, inOneLayer, under } from './common/http-middleware.js';
import { inputBoundary } from './common/input-boundary.js';
import { ProblemFilter } from './common/problem.filter.js';
import { requestIdMiddleware } from './common/request-context.js';
import { createValidationPipe, memoiseValidationRules } from './common/validation.js';
import { EmbeddedPostgres } from './database/embedded-postgres.js';
import { TaskTypeRegistry } from './delegation/task-type.registry.js';
import { CRM_BULK_ROUTES } from './domains/crm/http/crm.controller.js';
import { HttpMetricsMiddleware } from './monitoring/metrics/http-metrics.middleware.js';
import { setupSwagger } from './swagger.js';

export const GLOBAL_PREFIX = 'api/crew';

export interface CreateAppOptions {
  /** Seed for a new embedded data directory (tests use a migrated template). */
  loadDataDir?: Blob;
  logger?: LoggerService | false;
}

export function createLogger(config: AppConfig): CrewLogger {
  return new CrewLogger(config.server.logLevel, config.server.environment === 'production');
}

/** Builds and initialises the whole application (database, migrations, routes) without listening. */
export async function createApp(tree: ConfigTree, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const config = tree.app;
  const logger = options.logger ?? createLogger(config);
  memoiseValidationRules();
  // The embedded database starts before Nest: make its log lines follow LOG_LEVEL too.
  if (logger) Logger.overrideLogger(logger);
  const embedded =
    config.database.kind === 'embedded'
      ? await EmbeddedPostgres.start({ dataDir: config.database.dataDir, loadDataDir: options.loadDataDir })
      : null;
  try {
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(tree, embedded), {
      logger,
      bodyParser: false,
      abortOnError: false,
    });
    configureHttp(app, config);
    // Requests Node's parser refuses never reach Express: answer them as problem+json too.
    answerClientErrors(app.getHttpServer());
    await app.init();
    // Registered after the router so body-parser errors (malformed JSON, 413) also become problem+json.
    const filter = new ProblemFilter();
    // Paths outside the global prefix never reach Nest's own 404 handler; answer them as problem+json too.
    app.use((request: Request, response: Response) => {
      const problem = filter.toProblem(new NotFoundException(`Cannot ${request.method} ${request.path}`), request);
      response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
    });
    app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
      if (response.headersSent) return next(error);
      const problem = filter.toProblem(error, request);
      response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
    });
    return app;
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

function configureHttp(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  // Answers are Cache-Control: no-store (task results are tenant data): an ETag would never be revalidated,
  // so Express does not hash every body to make one.
  app.set('etag', false);
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  const httpMetrics = app.get(HttpMetricsMiddleware);
  const pageHeaders = fixedHeaders(helmetHeaders());
  app.use(
    inOneLayer(
      requestIdMiddleware,
      // Every API response, errors and 404s included, is timed from here (not /metrics scrapes, not paths outside the API).
      under(`/${GLOBAL_PREFIX}`, (request: Request, response: Response, next: NextFunction) => httpMetrics.use(request, response, next)),
      // JSON answers get the API set of security headers; pages (the Swagger UI) get helmet's defaults, which it
      // works under (same-origin scripts, no inline code) — docs/decisions.md §17.
      fixedHeaders(API_SECURITY_HEADERS),
      under(`/${GLOBAL_PREFIX}/docs`, (request: Request, response: Response, next: NextFunction) => {
        response.removeHeader('Cache-Control');
        pageHeaders(request, response, next);
      }),
      corsForBrowsers({
        origin: config.server.corsOrigins.includes('*') ? true : config.server.corsOrigins,
        exposedHeaders: ['X-Request-Id', 'Location', 'Retry-After'],
      }),
    ),
  );
  // Bulk CRM inputs (100,000 customers) may use BULK_BODY_LIMIT; every other body BODY_LIMIT (decisions §26).
  const registry = app.get(TaskTypeRegistry);
  const limits: BodyLimits = {
    defaultBytes: config.server.bodyLimitBytes,
    bulkBytes: config.server.bulkBodyLimitBytes,
    bulkPaths: CRM_BULK_ROUTES.map((route) => `/${GLOBAL_PREFIX}/${route}`),
    typedPaths: [`/${GLOBAL_PREFIX}/execute`, `/${GLOBAL_PREFIX}/delegation/analyze`],
    isBulkType: (type) => registry.get(type)?.bulkInput === true,
  };
  app.useBodyParser('json', bulkParserOptions(limits));
  app.useBodyParser('json', { limit: config.server.bodyLimitBytes });
  app.use(typedBodyLimit(limits));
  // NUL, unpaired surrogates and deep nesting are refused here, before guards, pipes and handlers (decisions §24).
  app.use(inputBoundary);
  app.setGlobalPrefix(GLOBAL_PREFIX, { exclude: ['metrics'] });
  app.useGlobalPipes(createValidationPipe());
  setupSwagger(app);
}
