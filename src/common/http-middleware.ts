import type { NextFunction, Request, RequestHandler, Response } from 'express';
import cors, { type CorsOptions } from 'cors';
import helmet, { type HelmetOptions } from 'helmet';

type HeaderValue = number | string | readonly string[];

/**
 * The security headers of the JSON API, after OWASP's REST Security Cheat Sheet: a response of this API is
 * never rendered as a page, so the headers that protect documents (helmet's COOP, Origin-Agent-Cluster,
 * X-DNS-Prefetch-Control, X-Download-Options, …) add bytes to every answer and protect nothing. What is
 * left keeps a response from being framed, sniffed into another type, cached or fetched over plain HTTP.
 * Routes that set their own Cache-Control (SSE, Terminus, /metrics) override it.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

/** Sets a fixed set of headers on every response. */
export function fixedHeaders(headers: Readonly<Record<string, HeaderValue>>): RequestHandler {
  const entries = Object.entries(headers);
  return (_request: Request, response: Response, next: NextFunction): void => {
    for (const [name, value] of entries) response.setHeader(name, value);
    next();
  };
}

/**
 * Helmet's headers for pages (the Swagger UI), worked out once. Helmet with static options (no CSP nonces)
 * sets the same headers on every response through a chain of a dozen small middlewares; this runs that
 * chain once against a recording response at boot and returns the recorded headers.
 */
export function helmetHeaders(options?: Readonly<HelmetOptions>): Record<string, HeaderValue> {
  const recorded = new Map<string, HeaderValue>();
  const recorder = {
    setHeader(name: string, value: HeaderValue) {
      recorded.set(name, value);
      return recorder;
    },
    removeHeader(name: string) {
      recorded.delete(name);
    },
    getHeader: (name: string) => recorded.get(name),
  };
  let failure: unknown;
  let finished = false;
  helmet(options)({} as Request, recorder as unknown as Response, (error?: unknown) => {
    failure = error;
    finished = true;
  });
  if (!finished) throw new Error('helmet could not be precomputed: next() was not called');
  if (failure !== undefined) throw new Error('helmet could not be precomputed', { cause: failure });
  return Object.fromEntries(recorded);
}

/**
 * The `cors` middleware for requests that carry an Origin (the only ones a browser applies CORS to) and for
 * OPTIONS. Any other request gets only `Vary: Origin` — all that cors would add that matters without an
 * Origin — so caches still keep per-origin answers apart.
 */
export function corsForBrowsers(options: CorsOptions): RequestHandler {
  const middleware = cors(options);
  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.headers.origin === undefined && request.method !== 'OPTIONS') {
      if (response.hasHeader('Vary')) response.vary('Origin');
      else response.setHeader('Vary', 'Origin');
      next();
      return;
    }
    middleware(request, response, next);
  };
}

/**
 * Runs middlewares in order as one Express layer. Express walks its stack layer by layer on every request;
 * the service's own global middlewares (request id, metrics, security headers, CORS) do not need a layer each.
 * An error passed to `next` leaves the chain for Express's error handling.
 */
export function inOneLayer(...handlers: RequestHandler[]): RequestHandler {
  return (request: Request, response: Response, next: NextFunction): void => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null) {
        next(error);
        return;
      }
      const handler = handlers[index];
      index += 1;
      if (!handler) {
        next();
        return;
      }
      try {
        void handler(request, response, step);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}

/** The handler for requests under `prefix` (the path itself or below it), as `app.use(prefix, …)` mounts. */
export function under(prefix: string, handler: RequestHandler): RequestHandler {
  const lower = prefix.toLowerCase();
  return (request: Request, response: Response, next: NextFunction): void => {
    const url = request.url;
    const boundary = url.charAt(lower.length);
    const matches = (boundary === '' || boundary === '/' || boundary === '?') && url.slice(0, lower.length).toLowerCase() === lower;
    if (matches) void handler(request, response, next);
    else next();
  };
}
