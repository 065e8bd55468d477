/**
 * PostgreSQL errors a domain turns into answers (a unique violation into a 409, a missing table into "not
 * available"). They arrive wrapped by TypeORM (QueryFailedError copies the driver's fields and keeps it as
 * `driverError`) or, from raw driver calls, as the driver's error: both are read.
 */
const UNIQUE_VIOLATION = '23505';
const UNDEFINED_TABLE = '42P01';
const UNDEFINED_COLUMN = '42703';

interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
  driverError?: { code?: unknown; constraint?: unknown };
}

function fields(error: unknown): { code: unknown; constraint: unknown } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as PgErrorFields;
  return {
    code: candidate.code ?? candidate.driverError?.code,
    constraint: candidate.constraint ?? candidate.driverError?.constraint,
  };
}

/** A unique violation (23505), optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const found = fields(error);
  return found?.code === UNIQUE_VIOLATION && (constraint === undefined || found.constraint === constraint);
}

/** A table or column that does not exist (42P01, 42703). */
export function isMissingRelation(error: unknown): boolean {
  const code = fields(error)?.code;
  return code === UNDEFINED_TABLE || code === UNDEFINED_COLUMN;
}

/**
 * A `catch` handler that answers a unique violation (of `constraint`, or any) with `conflict()` (usually a
 * ConflictProblem) and rethrows every other error as it is:
 * `await write(...).catch(onUniqueViolation(() => new ConflictProblem(...)))`.
 */
export function onUniqueViolation(conflict: () => Error, constraint?: string): (error: unknown) => never {
  return (error: unknown): never => {
    throw isUniqueViolation(error, constraint) ? conflict() : error;
  };
}
