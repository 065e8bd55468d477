import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import { type FieldError, ValidationProblem } from './problem.js';

/** Flattens class-validator's tree into `{field: 'a.b[0].c', message}` entries. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : prefix ? `${prefix}.${error.property}` : error.property;
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
  validationError: { target: false, value: false },
} as const;

/** Refuses a JSON array where a DTO object is expected, instead of validating each element as the DTO. */
class CrewValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
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
