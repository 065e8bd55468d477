import type { FieldError } from '../../../common/problem.js';

export type { FieldError };

/** More field errors than this are not worth reporting: the first ones already say what is wrong. */
export const MAX_FIELD_ERRORS = 50;

/** Thrown by the compute functions when their input breaks a validation rule (the HTTP layer answers 422). */
export class CrmValidationError extends Error {
  /** Its message is written for the caller: a task that fails with it shows it as its error (isExposed). */
  readonly expose = true;

  constructor(readonly errors: FieldError[]) {
    super(errors.map((error) => `${error.field}: ${error.message}`).join('; '));
    this.name = 'CrmValidationError';
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isMissing(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

export interface NumberRule {
  min?: number;
  max?: number;
  /** Lower bound that the value must exceed. */
  above?: number;
  integer?: boolean;
  required?: boolean;
}

/** Collects field errors with wire paths (`customer_data[3].ltv`), capped at MAX_FIELD_ERRORS. */
export class FieldErrorCollector {
  readonly errors: FieldError[] = [];

  get full(): boolean {
    return this.errors.length >= MAX_FIELD_ERRORS;
  }

  get hasErrors(): boolean {
    return this.errors.length > 0;
  }

  add(field: string, message: string): void {
    if (!this.full) this.errors.push({ field, message });
  }

  /** Checks an optional (or required) number; answers the number when it is acceptable. */
  number(field: string, value: unknown, rule: NumberRule = {}): number | undefined {
    if (isMissing(value)) {
      if (rule.required) this.add(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.add(field, 'must be a finite number');
      return undefined;
    }
    if (rule.integer && !Number.isInteger(value)) {
      this.add(field, 'must be an integer');
      return undefined;
    }
    const message = rangeMessage(value, rule);
    if (message) {
      this.add(field, message);
      return undefined;
    }
    return value;
  }

  string(field: string, value: unknown, options: { required?: boolean; maxLength?: number; nonEmpty?: boolean } = {}): string | undefined {
    if (isMissing(value)) {
      if (options.required) this.add(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(field, 'must be a string');
      return undefined;
    }
    if (options.nonEmpty && value.trim().length === 0) {
      this.add(field, 'must not be empty');
      return undefined;
    }
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      this.add(field, `must be at most ${options.maxLength} characters`);
      return undefined;
    }
    return value;
  }

  boolean(field: string, value: unknown): boolean | undefined {
    if (isMissing(value)) return undefined;
    if (typeof value !== 'boolean') {
      this.add(field, 'must be a boolean');
      return undefined;
    }
    return value;
  }

  record(field: string, value: unknown, required = false): Record<string, unknown> | undefined {
    if (isMissing(value)) {
      if (required) this.add(field, 'is required');
      return undefined;
    }
    if (!isRecord(value)) {
      this.add(field, 'must be an object');
      return undefined;
    }
    return value;
  }
}

function rangeMessage(value: number, rule: NumberRule): string | undefined {
  const { min, max, above } = rule;
  if (min !== undefined && max !== undefined && (value < min || value > max)) return `must be between ${min} and ${max}`;
  if (min !== undefined && value < min) return `must be at least ${min}`;
  if (max !== undefined && value > max) return `must be at most ${max}`;
  if (above !== undefined && value <= above) return `must be greater than ${above}`;
  return undefined;
}

/** Runs a validator and throws CrmValidationError when it found anything. */
export function assertValid(errors: FieldError[]): void {
  if (errors.length > 0) throw new CrmValidationError(errors);
}

/** "a, b or c" for messages listing allowed values. */
export function listValues(values: readonly string[]): string {
  return values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}
