import { SetMetadata, type Type } from '@nestjs/common';

export const BODY_RULES = 'crew:openapi-body-rules';

/**
 * The body's fields are checked after the pipe against `rules` (a task type's parameters class): the document
 * takes those fields' types and constraints from it.
 */
export const ApiBodyRules = (rules: Type): MethodDecorator => SetMetadata(BODY_RULES, rules);
