import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/*
 * The request id travels explicitly: on the Express request, on the task row (tasks.request_id, so a queued
 * task's log lines name the request that submitted it on whichever instance runs it) and in a task's run
 * context. Not through AsyncLocalStorage: on Node 20 that installs promise hooks which every promise of
 * every request pays for — about a tenth of the service's CPU per request (docs/decisions.md §20).
 */

const REQUEST_ID = Symbol('crew.requestId');

type WithRequestId = Request & { [REQUEST_ID]?: string };

/** The id requestIdMiddleware gave this request. */
export function requestIdOf(request: Request): string | undefined {
  return (request as WithRequestId)[REQUEST_ID];
}

/** The request the logger call in progress belongs to (set by logFor for its synchronous duration). */
let loggingFor: string | undefined;

export function currentRequestId(): string | undefined {
  return loggingFor;
}

/**
 * Runs `write` (a logger call) with `requestId` as the request its line belongs to: the logger adds it to the
 * line. A logger call is synchronous, so nothing has to follow awaits.
 */
export function logFor(requestId: string | null | undefined, write: () => void): void {
  const previous = loggingFor;
  loggingFor = requestId ?? undefined;
  try {
    write();
  } finally {
    loggingFor = previous;
  }
}

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Express middleware: adopts a sane incoming X-Request-Id or makes one, echoes it, and keeps it on the request. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header('x-request-id');
  const requestId = incoming && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
  (req as WithRequestId)[REQUEST_ID] = requestId;
  res.setHeader('X-Request-Id', requestId);
  next();
}

/** Controller parameter: the id requestIdMiddleware gave this request. */
export const RequestId = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined =>
  requestIdOf(context.switchToHttp().getRequest<Request>()),
);
