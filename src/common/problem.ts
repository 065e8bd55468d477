export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  request_id?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TYPE_BASE = 'urn:ai-crew:problem:';

export function problemType(slug: string): string {
  return `${TYPE_BASE}${slug}`;
}

/**
 * A domain error with everything needed to answer it as RFC 9457 problem+json.
 * Services throw these (or subclasses); the global filter renders them.
 */
export class ProblemException extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly extensions: { errors?: FieldError[]; headers?: Record<string, string>; [key: string]: unknown } = {},
  ) {
    super(detail);
    this.name = 'ProblemException';
  }
}

export class ValidationProblem extends ProblemException {
  constructor(errors: FieldError[], detail?: string, extra: Record<string, unknown> = {}) {
    super(422, 'validation-error', 'Unprocessable Content', detail ?? summarise(errors), { ...extra, errors });
  }
}

export class NotFoundProblem extends ProblemException {
  constructor(detail: string) {
    super(404, 'not-found', 'Not Found', detail);
  }
}

export class ConflictProblem extends ProblemException {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(409, 'conflict', 'Conflict', detail, extra);
  }
}

/**
 * Whether an error's message is written for the caller: a ProblemException, or an error that says so with
 * `expose = true` (the convention of Node's http-errors). Anything else is internal — a driver, runtime or
 * programming error — and its text stays in the log.
 */
export function isExposed(error: unknown): error is Error {
  return error instanceof ProblemException || (error instanceof Error && (error as { expose?: unknown }).expose === true);
}

function summarise(errors: FieldError[]): string {
  if (errors.length === 0) return 'The request is not valid.';
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${first.field}: ${first.message}${more}`;
}
