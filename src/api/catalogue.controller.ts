import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CatalogueEntry, TaskTypeRegistry } from '../delegation/task-type.registry.js';

@ApiTags('system')
@Controller()
export class CatalogueController {
  constructor(private readonly registry: TaskTypeRegistry) {}

  @Get('catalogue')
  @ApiOperation({
    summary: 'Every task type by domain, with its default strategy and parameter/result JSON schemas',
    description:
      'parameters_schema is generated from the class that validates the parameters of an execute request of that type (unknown fields are refused); result_schema describes the result of a completed task.',
  })
  @ApiOkResponse({
    description: 'Task types grouped by domain.',
    schema: {
      type: 'object',
      properties: {
        domains: { type: 'object', additionalProperties: { type: 'array', items: { type: 'object' } } },
        total: { type: 'integer' },
      },
      example: {
        total: 1,
        domains: {
          system: [
            {
              type: 'get_task_list',
              domain: 'system',
              description: "Lists the tenant's recent tasks.",
              default_complexity: 'simple',
              default_strategy: 'direct_db',
              requires_ai: false,
              parameters_schema: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100 } } },
              result_schema: { type: 'object' },
            },
          ],
        },
      },
    },
  })
  catalogue(): { domains: Record<string, CatalogueEntry[]>; total: number } {
    const domains = this.registry.catalogue();
    return { domains, total: Object.values(domains).reduce((sum, list) => sum + list.length, 0) };
  }
}
