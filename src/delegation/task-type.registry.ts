import { Injectable } from '@nestjs/common';
import { toolParametersSchema } from '../agents/tool-schema.js';
import { deliveredResultSchema } from './strategies/result-envelope.js';
import type { JsonSchema, TaskTypeDefinition } from '../tasks/task-type.js';

export interface CatalogueEntry {
  type: string;
  domain: string;
  description: string;
  default_complexity: string;
  default_strategy: string;
  requires_ai: boolean;
  parameters_schema: JsonSchema;
  result_schema: JsonSchema;
}

/** Every task type the service can run. Domain modules register theirs at start-up. */
@Injectable()
export class TaskTypeRegistry {
  private readonly types = new Map<string, TaskTypeDefinition>();

  register<P extends object>(definition: TaskTypeDefinition<P>): void {
    if (this.types.has(definition.type)) throw new Error(`Task type ${definition.type} is registered twice`);
    this.types.set(definition.type, definition as unknown as TaskTypeDefinition);
  }

  get(type: string): TaskTypeDefinition | undefined {
    return this.types.get(type);
  }

  all(): TaskTypeDefinition[] {
    return [...this.types.values()].sort((a, b) => a.domain.localeCompare(b.domain) || a.type.localeCompare(b.type));
  }

  catalogue(): Record<string, CatalogueEntry[]> {
    const byDomain: Record<string, CatalogueEntry[]> = {};
    for (const definition of this.all()) {
      (byDomain[definition.domain] ??= []).push({
        type: definition.type,
        domain: definition.domain,
        description: definition.description,
        default_complexity: definition.complexity,
        default_strategy: definition.strategy,
        requires_ai: definition.requiresAi,
        parameters_schema: parametersSchema(definition.parameters),
        result_schema: deliveredResultSchema(definition),
      });
    }
    return byDomain;
  }
}

/** The same schema agents see for the type's tool: nested DTOs resolved into `$defs`, unknown fields refused. */
export function parametersSchema(cls: new () => object): JsonSchema {
  return toolParametersSchema(cls);
}
