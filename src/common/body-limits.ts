import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The JSON bodies of a few routes may be larger than BODY_LIMIT: bulk inputs (100,000 customers ≈ 7–13 MB). */
export interface BodyLimits {
  /** BODY_LIMIT: every JSON body. */
  defaultBytes: number;
  /** BULK_BODY_LIMIT: the bulk routes' bodies, and /execute bodies whose `type` takes bulk input. */
  bulkBytes: number;
  /** Paths (with the global prefix) whose every body may use the bulk limit, e.g. `/api/crew/crm/customer-segmentation`. */
  bulkPaths: readonly string[];
  /** Paths whose body names a task type in `type` (/execute): the bulk limit only for a bulk type. */
  typedPaths: readonly string[];
  /** Whether the task type takes bulk input. */
  isBulkType(type: string): boolean;
}

interface SizedRequest extends IncomingMessage {
  bulkBodyBytes?: number;
}

const JSON_MEDIA_TYPE = 'application/json';

/** The path of a request URL; Express routes case-insensitively and ignores a trailing slash: so does the choice of limit. */
function routeOf(url: string): string {
  return url.split('?', 1)[0].toLowerCase().replace(/\/+$/, '');
}

function isJson(request: IncomingMessage): boolean {
  const header = request.headers['content-type'];
  return typeof header === 'string' && header.split(';', 1)[0].trim().toLowerCase() === JSON_MEDIA_TYPE;
}

/** body-parser's own 413, so the problem filter answers it the same way (with the limit that applied). */
export function payloadTooLarge(limit: number, length: number): Error {
  return Object.assign(new Error('request entity too large'), {
    status: 413,
    statusCode: 413,
    expose: true,
    type: 'entity.too.large',
    limit,
    length,
    expected: length,
  });
}

/**
 * Options of the JSON parser that runs first and reads only the bulk and typed paths, up to the bulk limit
 * (body-parser skips a body another parser already read, so the default parser reads everything else).
 */
export function bulkParserOptions(limits: BodyLimits): {
  limit: number;
  type: (request: IncomingMessage) => boolean;
  verify: (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;
} {
  const paths = new Set([...limits.bulkPaths, ...limits.typedPaths].map(routeOf));
  return {
    limit: Math.max(limits.bulkBytes, limits.defaultBytes),
    type: (request) => paths.has(routeOf(request.url ?? '')) && isJson(request),
    verify: (request, _response, body) => {
      (request as SizedRequest).bulkBodyBytes = body.length;
    },
  };
}

/**
 * On the typed paths, a body read under the bulk limit that is larger than BODY_LIMIT must name a bulk task
 * type; any other gets the 413 the default parser would have given.
 */
export function typedBodyLimit(limits: BodyLimits): RequestHandler {
  const typed = new Set(limits.typedPaths.map(routeOf));
  return (request: Request, _response: Response, next: NextFunction) => {
    const bytes = (request as SizedRequest).bulkBodyBytes;
    if (bytes === undefined || bytes <= limits.defaultBytes || !typed.has(routeOf(request.url))) return next();
    const type: unknown = (request.body as { type?: unknown } | undefined)?.type;
    if (typeof type === 'string' && limits.isBulkType(type)) return next();
    next(payloadTooLarge(limits.defaultBytes, bytes));
  };
}
