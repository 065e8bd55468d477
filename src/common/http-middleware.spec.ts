import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { inOneLayer, under } from './http-middleware.js';

function run(handler: RequestHandler, url: string): { outcome: unknown } {
  let outcome: unknown = 'not called';
  handler(
    { url } as Request,
    {} as Response,
    ((error?: unknown) => {
      outcome = error ?? 'next';
    }) as NextFunction,
  );
  return { outcome };
}

describe('one Express layer for the global middlewares', () => {
  it('runs the handlers in order, then continues; an error or a thrown one leaves the chain', () => {
    const calls: string[] = [];
    const mark =
      (name: string): RequestHandler =>
      (_request, _response, next) => {
        calls.push(name);
        next();
      };
    expect(run(inOneLayer(mark('a'), mark('b'), mark('c')), '/x').outcome).toBe('next');
    expect(calls).toEqual(['a', 'b', 'c']);

    const failure = new Error('refused');
    calls.length = 0;
    const failing: RequestHandler = (_request, _response, next) => next(failure);
    expect(run(inOneLayer(mark('a'), failing, mark('never')), '/x').outcome).toBe(failure);
    expect(calls).toEqual(['a']);

    const throwing: RequestHandler = () => {
      throw failure;
    };
    expect(run(inOneLayer(throwing, mark('never')), '/x').outcome).toBe(failure);
    // A handler that answers (a CORS preflight) ends the chain: next is never called.
    expect(
      run(
        inOneLayer(() => undefined, mark('never')),
        '/x',
      ).outcome,
    ).toBe('not called');
  });

  it('applies a handler under a prefix the way app.use(prefix) mounts it', () => {
    const seen: string[] = [];
    const handler = under('/api/crew/docs', (request, _response, next) => {
      seen.push(request.url);
      next();
    });
    for (const url of ['/api/crew/docs', '/api/crew/docs/', '/api/crew/docs/swagger-ui.css', '/api/crew/docs?x=1', '/API/Crew/Docs/']) {
      expect(run(handler, url).outcome).toBe('next');
    }
    for (const url of ['/api/crew/docs-json', '/api/crew/doc', '/api/crew', '/elsewhere/api/crew/docs']) run(handler, url);
    expect(seen).toEqual(['/api/crew/docs', '/api/crew/docs/', '/api/crew/docs/swagger-ui.css', '/api/crew/docs?x=1', '/API/Crew/Docs/']);
  });
});
