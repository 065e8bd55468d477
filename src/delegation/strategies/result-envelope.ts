import type { DatasetProfile } from '../../agents/tools/profile-dataset.tool.js';
import { describes, int, nullable, num, object, record } from '../../tasks/result-schema.js';
import type { JsonSchema, TaskTypeDefinition } from '../../tasks/task-type.js';
import { NARRATIVE_SCHEMA } from './agent-executor.port.js';
import { DIRECT_STRATEGIES } from '../../tasks/task.types.js';

/*
 * What the AI strategies add around a type's computed result (withNarrative and defaultSynthesis in the
 * strategy executor), as schema: the catalogue publishes a type's result as a client receives it.
 */

const NARRATIVE_FIELD = {
  anyOf: [NARRATIVE_SCHEMA, { type: 'null' }],
  description: "The agent's narrative over the computed numbers (AI strategies); null in deterministic mode.",
};

const FIELD_PROFILE = object({ count: int(), missing: int(), min: nullable(num()), max: nullable(num()), mean: nullable(num()) });

const DATA_PROFILE = describes<DatasetProfile>()(
  object(
    {
      arrays: record(object({ rows: int(), fields: record(FIELD_PROFILE) }), {
        description: 'Per input array: rows and per-field profile.',
      }),
      scalars: int(),
      total_rows: int(),
    },
    { description: 'The input profiled by a worker (multi-agent runs of types without a plan of their own).' },
  ),
);

function admitsNull(node: JsonSchema): boolean {
  const types = ([] as unknown[]).concat(node.type ?? []);
  if (types.includes('null')) return true;
  if (Array.isArray(node.enum) && node.enum.includes(null)) return true;
  return Array.isArray(node.anyOf) && node.anyOf.some((branch) => admitsNull(branch as JsonSchema));
}

function withFields(node: JsonSchema, fields: JsonSchema): JsonSchema {
  if (Array.isArray(node.anyOf)) return { ...node, anyOf: node.anyOf.map((branch) => withFields(branch as JsonSchema, fields)) };
  const types = ([] as unknown[]).concat(node.type ?? []);
  if (!types.includes('object') || typeof node.properties !== 'object' || node.properties === null) return node;
  return { ...node, properties: { ...node.properties, ...fields } };
}

/**
 * The result of a type that can run as an AI strategy: an object may carry `narrative` (and, from the default
 * multi-agent plan, `data_profile`) beside its fields; a null one arrives as {value: null, narrative}.
 */
export function deliveredResultSchema(definition: TaskTypeDefinition): JsonSchema {
  const strategies = definition.supportedStrategies ?? [definition.strategy];
  if (strategies.every((strategy) => DIRECT_STRATEGIES.has(strategy))) return definition.resultSchema;
  const profiled = strategies.includes('multi_agent') && !definition.plan && !definition.synthesize;
  const extra: JsonSchema = { narrative: NARRATIVE_FIELD, ...(profiled ? { data_profile: DATA_PROFILE } : {}) };
  const delivered = withFields(definition.resultSchema, extra);
  if (!admitsNull(definition.resultSchema)) return delivered;
  const wrapped = {
    type: 'object',
    required: ['value', 'narrative'],
    additionalProperties: false,
    properties: { value: { type: 'null' }, ...extra },
  };
  return { anyOf: [delivered, wrapped] };
}
