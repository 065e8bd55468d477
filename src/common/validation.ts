import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, IS_OPTIONAL, validate, ValidateIf, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import { assertSafeInput } from './input-boundary.js';
import { type FieldError, ValidationProblem } from './problem.js';

/** Flattens class-validator's tree into `{field: 'a.b[0].c', message}` entries. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : prefix ? `${prefix}.${error.property}` : error.property;
    // A null where the DTO does not declare the field @Nullable(): say so once, not what each rule expected.
    if (error.value === null && Object.keys(error.constraints ?? {}).length > 0) {
      result.push({ field, message: 'must not be null' });
      continue;
    }
    for (const message of Object.values(error.constraints ?? {})) {
      result.push({ field, message: message.replace(/^property (\S+) should not exist$/, 'is not an allowed field') });
    }
    if (error.children?.length) result.push(...flattenValidationErrors(error.children, field));
  }
  return result;
}

export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  // The value is kept on each error only so that flattenValidationErrors can tell a refused null apart.
  validationError: { target: false, value: true },
} as const;

/** Lets a field be skipped when its value is null (see Nullable). */
const ALLOW_NULL = (_object: object, value: unknown): boolean => value !== null;

/**
 * Declares a field nullable: `null` is accepted (and means what the field documents, e.g. "clear it") and the
 * field's other rules are skipped for it. Without it, `null` is refused for every field, optional or not.
 */
export function Nullable(): PropertyDecorator {
  return ValidateIf(ALLOW_NULL);
}

const nullRuleApplied = new WeakSet<ValidationMetadata>();

/**
 * class-validator's @IsOptional() skips a field's rules for `undefined` and for `null` alike, so a DTO would let
 * `null` reach handlers that never expect it. This service's rule: @IsOptional() means "may be absent";
 * `null` is accepted only where the field is declared @Nullable(). The optional marker's condition is narrowed
 * to `undefined` as the rules are looked up (once per marker), so a null then meets the field's rules, and
 * flattenValidationErrors reports it as "must not be null". Installed when this module loads, before any
 * validation runs; every DTO rule, the catalogue's task parameters included, goes through it.
 */
function installNullRule(): void {
  const storage = getMetadataStorage();
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const metadatas = lookup(target, schema, always, strictGroups, groups);
    for (const metadata of metadatas) {
      if (metadata.type !== ValidationTypes.CONDITIONAL_VALIDATION || metadata.name !== IS_OPTIONAL || nullRuleApplied.has(metadata))
        continue;
      nullRuleApplied.add(metadata);
      const nullable = metadatas.some(
        (other) =>
          other.propertyName === metadata.propertyName &&
          other.type === ValidationTypes.CONDITIONAL_VALIDATION &&
          other.constraints?.[0] === ALLOW_NULL,
      );
      if (nullable) continue;
      const property = metadata.propertyName;
      metadata.constraints = [(object: Record<string, unknown>) => object[property] !== undefined];
    }
    return metadatas;
  };
}

installNullRule();

/** Refuses a JSON array where a DTO object is expected, instead of validating each element as the DTO. */
class CrewValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Body and query passed the boundary rule in inputBoundary; route parameters exist only once routed.
    if (metadata.type === 'param') assertSafeInput(value, metadata.data ?? 'path');
    if (metadata.type === 'body' && Array.isArray(value) && metadata.metatype && metadata.metatype !== Array && this.toValidate(metadata)) {
      throw new ValidationProblem([{ field: 'body', message: 'must be a JSON object' }]);
    }
    return await super.transform(value, metadata);
  }
}

/** The global pipe: transform, whitelist, refuse unknown fields, answer 422 problem+json with field errors. */
export function createValidationPipe(): ValidationPipe {
  return new CrewValidationPipe({
    ...VALIDATION_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new ValidationProblem(flattenValidationErrors(errors)),
  });
}

/** Validates a plain object (e.g. a task's `parameters`) against a DTO class; field names get `prefix`. */
export async function validateDto<T extends object>(cls: new () => T, value: unknown, prefix: string): Promise<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationProblem([{ field: prefix, message: 'must be an object' }]);
  }
  const instance = plainToInstance(cls, value);
  const errors = await validate(instance, VALIDATION_OPTIONS);
  if (errors.length > 0) throw new ValidationProblem(flattenValidationErrors(errors, prefix));
  return instance;
}

let memoised = false;

/**
 * class-validator looks a class's rules up again on every validation, and that lookup scans every decorated
 * class of the process for inheritance — with this service's hundred-odd DTOs, most of the cost of validating a
 * small body. The rules are declared by decorators as the classes load and do not change afterwards, so the
 * lookup and its grouping by property are memoised (per class and options); a rule registered later clears the
 * memo. Installed once at boot (createApp).
 */
export function memoiseValidationRules(): void {
  if (memoised) return;
  memoised = true;
  const storage = getMetadataStorage();
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let rules = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let byOptions = rules.get(target);
    if (!byOptions) rules.set(target, (byOptions = new Map<string, ValidationMetadata[]>()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
  storage.addValidationMetadata = (metadata) => {
    rules = new Map();
    grouped = new WeakMap();
    add(metadata);
  };
}
