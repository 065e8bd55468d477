import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
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
