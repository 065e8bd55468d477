import { createRequire } from 'node:module';
import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage.js';
import { targetConstructorToSchema, validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { JsonSchema } from '../tasks/task-type.js';
import type { ToolDefinition } from './agent.types.js';

// class-transformer's @Type() registry (the CommonJS build is the one Node loads), so nested DTOs resolve.
const { defaultMetadataStorage } = createRequire(import.meta.url)('class-transformer/cjs/storage.js') as {
  defaultMetadataStorage: TransformerMetadataStorage;
};

const DEFS = '#/$defs/';
const SCHEMA_OPTIONS = { classTransformerMetadataStorage: defaultMetadataStorage, refPointerPrefix: DEFS };
const cache = new WeakMap<new () => object, JsonSchema>();

/**
 * The JSON schema of a tool's parameters, generated from the same DTO class that validates the arguments.
 * Nested DTOs become `$defs` entries; references the generator cannot resolve (plain objects, arrays of
 * primitives) are left open rather than broken. Extra properties are refused, as the validator refuses them.
 */
export function toolParametersSchema(dto: new () => object): JsonSchema {
  const known = cache.get(dto);
  if (known) return known;
  const root = closeObject(targetConstructorToSchema(dto, SCHEMA_OPTIONS) as JsonSchema);
  const all = validationMetadatasToSchemas(SCHEMA_OPTIONS) as Record<string, JsonSchema>;
  const defs: Record<string, JsonSchema> = {};
  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve);
    if (node === null || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith(DEFS)) {
      const name = ref.slice(DEFS.length);
      const target = all[name];
      if (!target) return {};
      if (!(name in defs)) {
        defs[name] = {};
        defs[name] = resolve(closeObject(target)) as JsonSchema;
      }
      return node;
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value)]));
  };
  const schema = resolve(root) as JsonSchema;
  const result = Object.keys(defs).length > 0 ? { ...schema, $defs: defs } : schema;
  cache.set(dto, result);
  return result;
}

/** The OpenAI function-tool declaration of a tool. */
export function toOpenAiTool(tool: ToolDefinition): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: toolParametersSchema(tool.parameters) },
  };
}

/** A reference to a DTO class's schema, resolved into `$defs` (for shapes the decorators cannot infer, e.g. inside oneOf). */
export function schemaRef(dto: new () => object): JsonSchema {
  return { $ref: `${DEFS}${dto.name}` };
}

/** Closed to unknown fields, as the validator is — unless the class declares what other fields may hold. */
function closeObject(schema: JsonSchema): JsonSchema {
  const properties = (schema.properties as Record<string, unknown> | undefined) ?? {};
  return { ...schema, type: 'object', properties, additionalProperties: schema.additionalProperties ?? false };
}
