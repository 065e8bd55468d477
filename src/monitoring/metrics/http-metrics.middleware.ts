import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CrewMetrics } from './crew-metrics.service.js';

/** Label for requests no route matched (404s, bodies refused before routing): never the raw URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The matched route pattern, e.g. `/api/crew/task/:id`; known only once the router matched. Nest answers
 * unknown paths under the global prefix through a catch-all route (`/api/crew*path`): that is "unmatched" too.
 */
export function routePattern(request: Request, statusCode: number): string {
  const route: unknown = (request as { route?: unknown }).route;
  const path = typeof route === 'object' && route !== null && 'path' in route ? route.path : undefined;
  if (typeof path !== 'string') return UNMATCHED_ROUTE;
  if (statusCode === 404 && path.includes('*')) return UNMATCHED_ROUTE;
  return `${request.baseUrl}${path}`;
}

/** Observes http_server_request_duration_seconds for every request when its response is finished. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: CrewMetrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.recordHttp(request.method, routePattern(request, response.statusCode), response.statusCode, seconds);
    });
    next();
  }
}
