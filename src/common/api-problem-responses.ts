import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'priority' }) field: string;
  @ApiProperty({ example: 'priority must not be greater than 10' }) message: string;
}

/** RFC 9457 problem details, as every error of this API is answered. */
export class ProblemDto {
  @ApiProperty({ example: 'urn:ai-crew:problem:validation-error' }) type: string;
  @ApiProperty({ example: 'Unprocessable Content' }) title: string;
  @ApiProperty({ type: 'integer', example: 422 }) status: number;
  @ApiProperty({ example: 'priority: priority must not be greater than 10' }) detail: string;
  @ApiProperty({ example: '/api/crew/execute' }) instance: string;
  @ApiProperty({ example: '5b0c3a8e-93e5-4d1c-9a0a-0c9f3b1f6e21' }) request_id: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}

export const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request (e.g. the body is not valid JSON).',
  401: 'Missing or invalid API key (only when CREW_API_KEYS is set).',
  402: "The tenant's daily LLM budget is spent (BUDGET_EXCEEDED_ACTION=refuse).",
  403: 'The key may not act for this tenant, or the route needs a service key, or the domain is not enabled for the tenant.',
  404: 'Unknown id, or it belongs to another tenant.',
  409: 'The resource is in a state that does not allow this.',
  413: 'The body exceeds BODY_LIMIT.',
  422: 'Validation failed; `errors` names each field.',
  429: 'Rate limited; retry after `Retry-After` seconds.',
  502: 'An upstream service (the Brain API) is unreachable or answered an error.',
  503: 'The database is unreachable.',
};

/** Documents the problem+json answers of a route. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Error.',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
