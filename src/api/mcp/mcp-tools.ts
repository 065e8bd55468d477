import type { Tool, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { CatalogueEntry, TaskTypeRegistry } from '../../delegation/task-type.registry.js';
import type { JsonSchema, TaskEffect, TaskTypeDefinition } from '../../tasks/task-type.js';

/** `_meta` keys of this service (MCP reserves un-prefixed names for itself). */
export const META_TASK_ID = 'ai-crew/task_id';
export const META_STATUS = 'ai-crew/status';
export const META_DOMAIN = 'ai-crew/domain';
/** A tools/call may give the task's description here (the tool's description otherwise). */
export const META_DESCRIPTION = 'ai-crew/description';

/** The hints an assistant reads before it runs a tool, from the type's declared effect (never from its name). */
export function toolAnnotations(effect: TaskEffect = 'read'): ToolAnnotations {
  switch (effect) {
    case 'read':
      return { readOnlyHint: true, destructiveHint: false, idempotentHint: true };
    case 'create':
      return { readOnlyHint: false, destructiveHint: false, idempotentHint: false };
    case 'update':
    case 'delete':
      return { readOnlyHint: false, destructiveHint: true, idempotentHint: true };
  }
}

function isObjectSchema(schema: JsonSchema): boolean {
  return schema.type === 'object';
}

/** One tool of a catalogue entry: the catalogue's own parameter and result schemas, as GET /catalogue publishes them. */
export function toTool(entry: CatalogueEntry, definition: TaskTypeDefinition): Tool {
  return {
    name: entry.type,
    description: entry.description,
    inputSchema: entry.parameters_schema as Tool['inputSchema'],
    // MCP wants an object at the root of an output schema. A result that may arrive in another shape (a type
    // whose AI runs wrap a null result, published as anyOf) has no output schema: its result still comes back
    // as structured content, which the client then takes without checking it against a schema.
    ...(isObjectSchema(entry.result_schema) ? { outputSchema: entry.result_schema as Tool['outputSchema'] } : {}),
    annotations: toolAnnotations(definition.effect),
    _meta: { [META_DOMAIN]: entry.domain },
  };
}

/** Every catalogue task type as a tool, in catalogue order. */
export function catalogueTools(registry: TaskTypeRegistry): Tool[] {
  const tools: Tool[] = [];
  for (const entries of Object.values(registry.catalogue())) {
    for (const entry of entries) {
      const definition = registry.get(entry.type);
      if (definition) tools.push(toTool(entry, definition));
    }
  }
  return tools;
}
