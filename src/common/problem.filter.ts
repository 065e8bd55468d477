import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type FieldError, ProblemException, type ProblemDetails, problemType } from './problem.js';
import { logFor, requestIdOf } from './request-context.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const SLUGS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'validation-error',
  429: 'rate-limited',
  503: 'service-unavailable',
};

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  limit?: number;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as BodyParserError).type === 'string' && 'status' in error;
}

/** Errors that mean the database is out of reach: connection refused/reset/terminated or pool timeouts. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ENOENT' ||
    code === 'EPIPE' ||
    code === '57P01' ||
    code === '57P03' ||
    code === '08006' ||
    code === '08001' ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED|Query read timeout/i.test(
      message,
    )
  );
}

/** Renders every error as application/problem+json; 500s never carry internals. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, request);
    if (response.headersSent) {
      response.end();
      return;
    }
    if (exception instanceof ProblemException && exception.extensions.headers) {
      for (const [name, value] of Object.entries(exception.extensions.headers)) response.setHeader(name, value);
    }
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  toProblem(exception: unknown, request: Request): ProblemDetails {
    const base = { instance: request.originalUrl, request_id: requestIdOf(request) };
    if (exception instanceof ProblemException) {
      const { headers: _headers, ...extensions } = exception.extensions;
      return {
        type: problemType(exception.slug),
        title: exception.title,
        status: exception.status,
        detail: exception.detail,
        ...base,
        ...extensions,
      };
    }
    // The router could not percent-decode a path segment (e.g. %ED%A0%80, an encoded lone surrogate).
    // Nest wraps it in a BadRequestException whose message would echo the raw segment.
    const decodeFailure = exception instanceof HttpException ? exception.cause : exception;
    if (decodeFailure instanceof URIError && /^Failed to decode param/.test(decodeFailure.message)) {
      return {
        type: problemType('bad-request'),
        title: TITLES[400],
        status: 400,
        detail: 'The request path is not valid percent-encoded UTF-8.',
        ...base,
      };
    }
    if (isBodyParserError(exception)) return this.fromBodyParser(exception, base);
    // Nest wraps body-parser errors (malformed JSON, 413) in an HttpException; answer them by their cause.
    if (exception instanceof HttpException && isBodyParserError(exception.cause)) return this.fromBodyParser(exception.cause, base);
    if (exception instanceof HttpException) return this.fromHttpException(exception, base);
    if (isDatabaseUnavailable(exception)) {
      logFor(base.request_id, () =>
        this.logger.warn(`Database unavailable: ${exception instanceof Error ? exception.message : String(exception)}`),
      );
      return {
        type: problemType('database-unavailable'),
        title: TITLES[503],
        status: 503,
        detail: 'The database is unreachable. The request was not processed; retry shortly.',
        ...base,
      };
    }
    logFor(base.request_id, () =>
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)),
    );
    return {
      type: problemType('internal-error'),
      title: TITLES[500],
      status: 500,
      detail: 'An unexpected error occurred. Quote the request id when reporting it.',
      ...base,
    };
  }

  private fromBodyParser(error: BodyParserError, base: Pick<ProblemDetails, 'instance' | 'request_id'>): ProblemDetails {
    if (error.type === 'entity.too.large') {
      return {
        type: problemType('payload-too-large'),
        title: TITLES[413],
        status: 413,
        detail: `The request body exceeds the limit of ${error.limit ?? 'BODY_LIMIT'} bytes.`,
        ...base,
      };
    }
    if (error.type === 'entity.parse.failed') {
      return {
        type: problemType('malformed-json'),
        title: TITLES[400],
        status: 400,
        detail: `The request body is not valid JSON: ${error.message}`,
        ...base,
      };
    }
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 400;
    return {
      type: problemType(SLUGS[status] ?? 'bad-request'),
      title: TITLES[status] ?? 'Bad Request',
      status,
      detail: error.message,
      ...base,
    };
  }

  private fromHttpException(exception: HttpException, base: Pick<ProblemDetails, 'instance' | 'request_id'>): ProblemDetails {
    const status = exception.getStatus();
    const body = exception.getResponse();
    let detail = exception.message;
    let errors: FieldError[] | undefined;
    if (typeof body === 'object' && body !== null) {
      const message = (body as { message?: unknown }).message;
      if (Array.isArray(message)) {
        errors = message.map((m) => ({ field: '', message: String(m) }));
        detail = message.map(String).join('; ');
      } else if (typeof message === 'string') {
        detail = message;
      }
    }
    if (status >= 500) {
      logFor(base.request_id, () => this.logger.error(exception.stack ?? exception.message));
      detail = 'An unexpected error occurred. Quote the request id when reporting it.';
    }
    return {
      type: problemType(SLUGS[status] ?? (status >= 500 ? 'internal-error' : 'http-error')),
      title: TITLES[status] ?? exception.name,
      status,
      detail,
      ...base,
      ...(errors ? { errors } : {}),
    };
  }
}
