import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonSchema } from '../tasks/task-type.js';

export type Validation = { valid: true; value: unknown } | { valid: false; errors: string[] };

// strict: false — result schemas are written by hand and may carry annotations Ajv does not know.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validator(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath;
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty?: unknown }).additionalProperty)})`
      : error.keyword === 'enum'
        ? `: ${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)}`
        : '';
  return `${where} ${error.message ?? 'is invalid'}${extra}`;
}

/** Validates a value against a JSON schema; errors are short sentences fit to send back to a model. */
export function validateAgainstSchema(schema: JsonSchema, value: unknown): Validation {
  const validate = validator(schema);
  if (validate(value)) return { valid: true, value };
  return { valid: false, errors: (validate.errors ?? []).map(describe) };
}

/**
 * The model's final text as JSON: the whole content, or the body of a ```json fence around it.
 * Parsing problems come back as validation errors so they can go into the repair prompt.
 */
export function parseAnswer(content: string | null, schema: JsonSchema): Validation {
  if (content === null || content.trim() === '') return { valid: false, errors: ['the answer is empty; reply with a JSON object'] };
  const fenced = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?```\s*$/i.exec(content);
  const text = fenced ? fenced[1] : content;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { valid: false, errors: [`the answer is not valid JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  return validateAgainstSchema(schema, value);
}
