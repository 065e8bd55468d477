import type { NextFunction, Request, Response } from 'express';
import { type FieldError, ValidationProblem } from './problem.js';

/*
 * One rule for every string a client sends, applied once where the input enters (docs/decisions.md §24):
 * the parsed JSON body and the query string before any guard, pipe or handler sees them, route parameters
 * in the global pipe. PostgreSQL text cannot hold U+0000, and a string with an unpaired UTF-16 surrogate is
 * not Unicode (it cannot be encoded as UTF-8 for the database, a URL or a hash), so both are refused with a
 * 422 that names the field — in values and in object keys alike. The same walk bounds how deeply the JSON
 * nests, before class-transformer recurses into it. The walk is iterative: no input can overflow its stack.
 */

/** Objects and arrays may nest this deep in a request body (the deepest DTO needs well under half). */
export const MAX_JSON_DEPTH = 32;

/** A request's first problems are enough to say what is wrong. */
const MAX_REPORTED = 20;

const NUL = 'must not contain the NUL character (U+0000)';
const SURROGATE = 'must not contain an unpaired UTF-16 surrogate (the text is not valid Unicode)';
// eslint-disable-next-line no-control-regex -- finding U+0000 is the point
const UNSAFE = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` is refused at the boundary, or undefined when it is fine. */
export function unsafeTextReason(text: string): string | undefined {
  if (!UNSAFE.test(text)) return undefined;
  if (text.includes('\u0000')) return NUL;
  return LONE_SURROGATE.test(text) ? SURROGATE : undefined;
}

/** A key as it can be shown in a field path: an unsafe one with its characters escaped. */
function printableKey(key: string): string {
  return unsafeTextReason(key) ? JSON.stringify(key).slice(1, -1) : key;
}

function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

interface Pending {
  value: unknown;
  path: string;
  depth: number;
}

/**
 * The boundary rule's findings for a parsed input (JSON body, query object, a parameter): strings or keys
 * with NUL or an unpaired surrogate, and containers nested deeper than `maxDepth`. Field paths are the wire
 * paths (`parameters.customers[3].name`) under `root`. Empty when the input is acceptable.
 */
export function inputProblems(value: unknown, root = '', maxDepth = MAX_JSON_DEPTH): FieldError[] {
  const problems: FieldError[] = [];
  const stack: Pending[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0 && problems.length < MAX_REPORTED) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      const reason = unsafeTextReason(current);
      if (reason) problems.push({ field: path || 'body', message: reason });
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maxDepth) {
      problems.push({ field: path || 'body', message: `nests objects or arrays more than ${maxDepth} levels deep` });
      continue;
    }
    const children: Pending[] = [];
    if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index += 1) {
        children.push({ value: current[index], path: `${path}[${index}]`, depth: depth + 1 });
      }
    } else {
      for (const key of Object.keys(current)) {
        const reason = unsafeTextReason(key);
        if (reason) problems.push({ field: childPath(path, printableKey(key)), message: `key ${reason}` });
        else children.push({ value: (current as Record<string, unknown>)[key], path: childPath(path, key), depth: depth + 1 });
      }
    }
    // Last pushed is walked first: push in reverse so problems come in document order.
    for (let index = children.length - 1; index >= 0; index -= 1) stack.push(children[index]);
  }
  return problems.slice(0, MAX_REPORTED);
}

/** Throws the boundary rule's 422 when `value` breaks it. */
export function assertSafeInput(value: unknown, root = ''): void {
  const problems = inputProblems(value, root);
  if (problems.length > 0) throw new ValidationProblem(problems);
}

/**
 * Express middleware, mounted right after the JSON body parser: applies the boundary rule to the parsed body
 * and the query string, so guards (which read the tenant from both), pipes and handlers only ever meet
 * input that passed it.
 */
export function inputBoundary(request: Request, _response: Response, next: NextFunction): void {
  try {
    if (request.body !== undefined && request.body !== null && typeof request.body === 'object') assertSafeInput(request.body);
    // Express parses the query on each read of request.query; skip the parse when there is none.
    if (request.url.includes('?')) assertSafeInput(request.query);
    next();
  } catch (error) {
    next(error);
  }
}
