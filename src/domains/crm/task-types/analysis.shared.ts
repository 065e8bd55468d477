/**
 * What the CRM analysis task types share: their strategies, the mapping of rule violations to 422 field errors,
 * and the fields every analysis result carries.
 */
import { ValidationProblem, type FieldError } from '../../../common/problem.js';
import { array, nullable, str } from '../../../tasks/result-schema.js';
import { CrmValidationError } from '../algorithms/index.js';

export { AI_STRATEGIES } from '../../shared/task-kit.js';

/** Runs a computation, answering its rule violations as 422 field errors (a failed task, no fallback). */
export function computed<T>(work: () => T, describe?: (errors: FieldError[]) => FieldError[]): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof CrmValidationError) throw new ValidationProblem(describe ? describe(error.errors) : error.errors);
    throw error;
  }
}

/** Errors about stored rows name the stored record (`customer "c_17"`), not an index the caller never sent. */
export function storedRowErrors(errors: FieldError[], list: string, ids: (string | number)[], noun: string): FieldError[] {
  const pattern = new RegExp(`^${list}\\[(\\d+)\\]`);
  return errors.map((error) => {
    const match = pattern.exec(error.field);
    if (!match) return error;
    const id = ids[Number(match[1])];
    return { field: error.field, message: `${error.message} (stored ${noun} "${String(id)}")` };
  });
}

export function noStoredData(field: string, detail: string): ValidationProblem {
  return new ValidationProblem([{ field, message: detail }], detail);
}

// ---- result fields every analysis carries ----

export const WARNINGS = array(str(), { description: 'Data-quality notes (imputed values, ignored fields, caps).' });
export const MODEL_VERSION = str({ description: 'Version of the deterministic model.' });
export const NARRATIVE = (what: string) => nullable(str({ description: `The LLM's ${what}; null in deterministic mode.` }));
