import type { JsonSchema, TaskTypeDefinition } from '../../../delegation/task-type.js';
import { bool, id, int, jsonValue, nullable, num, record, str } from '../../../delegation/result-schema.js';
import { IsOptional } from 'class-validator';
import { Nullable } from '../../../common/validation.js';
import {
  CUSTOMER_KIND,
  DEAL_KIND,
  type FieldKind,
  type FieldSpec,
  LEAD_KIND,
  type RecordKind,
  type WireRecord,
} from './crm-record-kinds.js';
import {
  CreateCustomerParams,
  CreateDealParams,
  CreateLeadParams,
  ListCustomersParams,
  ListDealsParams,
  ListLeadsParams,
  type PageParams,
  RecordLocatorParams,
  UpdateCustomerParams,
  UpdateDealParams,
  UpdateLeadParams,
} from './crm-records.dto.js';
import {
  checkListParams,
  checkLocator,
  checkUpdate,
  createRecord,
  deleteRecord,
  getRecord,
  listRecords,
  updateRecord,
} from './crm-records.js';

interface KindDtos {
  kind: RecordKind;
  list: new () => PageParams;
  create: new () => object;
  update: new () => object;
}

const KINDS: KindDtos[] = [
  { kind: CUSTOMER_KIND, list: ListCustomersParams, create: CreateCustomerParams, update: UpdateCustomerParams },
  { kind: LEAD_KIND, list: ListLeadsParams, create: CreateLeadParams, update: UpdateLeadParams },
  { kind: DEAL_KIND, list: ListDealsParams, create: CreateDealParams, update: UpdateDealParams },
];

// In an update, null clears an optional field: those fields are nullable there; a required one refuses null.
// IsOptional is declared again beside Nullable: class-validator drops a parent's conditional rules for a field
// as soon as the class declares one of its own.
for (const { kind, update } of KINDS) {
  for (const field of kind.fields) {
    if (field.required) continue;
    IsOptional()(update.prototype as object, field.wire);
    Nullable()(update.prototype as object, field.wire);
  }
}

/** A field's wire value, as toWire writes it (null when unset, except required fields). */
function fieldSchema(field: FieldSpec): JsonSchema {
  const value: Record<FieldKind, JsonSchema> = {
    string: str(),
    number: num(),
    integer: int(),
    boolean: bool(),
    timestamp: str({ format: 'date-time' }),
    date: str({ format: 'date' }),
    uuid: str({ format: 'uuid' }),
    company_size: id({ description: 'Employees, or a band such as "51-200".' }),
    json: record(jsonValue(), { description: 'Free-form extra data.' }),
  };
  return field.required ? value[field.kind] : nullable(value[field.kind]);
}

function recordSchema(kind: RecordKind): JsonSchema {
  return {
    type: 'object',
    required: ['id', ...kind.fields.map((field) => field.wire), 'created_at', 'updated_at'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', format: 'uuid' },
      ...Object.fromEntries(kind.fields.map((field) => [field.wire, fieldSchema(field)])),
      created_at: { type: 'string', format: 'date-time' },
      updated_at: { type: 'string', format: 'date-time' },
    },
  };
}

function pageSchema(kind: RecordKind): JsonSchema {
  return {
    type: 'object',
    required: ['items', 'total', 'limit', 'next_cursor'],
    properties: {
      items: { type: 'array', items: recordSchema(kind) },
      total: { type: 'integer' },
      limit: { type: 'integer' },
      offset: { type: ['integer', 'null'] },
      next_offset: { type: ['integer', 'null'] },
      next_cursor: { type: ['string', 'null'] },
    },
  };
}

const DELETED_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['deleted', 'id'],
  properties: { deleted: { const: true }, id: { type: 'string', format: 'uuid' }, external_id: { type: ['string', 'null'] } },
};

/** The direct_db CRUD task types of customers, leads and deals (15 in all), all tenant-scoped. */
export function crudTaskTypes(): TaskTypeDefinition[] {
  const types: TaskTypeDefinition<object>[] = [];
  for (const { kind, list, create, update } of KINDS) {
    const base = { domain: 'crm' as const, strategy: 'direct_db' as const, requiresAi: false };
    types.push(
      {
        ...base,
        type: `get_${kind.name}_list`,
        description: `Lists the tenant's ${kind.plural}, newest first, with filters, limit and cursor or offset pagination, and the total.`,
        complexity: 'simple',
        parameters: list,
        resultSchema: pageSchema(kind),
        check: (p) => checkListParams(kind, p),
        run: async (context, p) => ({ aiMode: 'deterministic', result: await listRecords(context.manager, kind, context.tenantId, p) }),
      },
      {
        ...base,
        type: `get_${kind.name}`,
        description: `One ${kind.name} of the tenant by id or external_id (another tenant's ${kind.name} is not found).`,
        complexity: 'simple',
        parameters: RecordLocatorParams,
        resultSchema: recordSchema(kind),
        check: (p) => checkLocator(p),
        run: async (context, p) => ({ aiMode: 'deterministic', result: await getRecord(context.manager, kind, context.tenantId, p) }),
      },
      {
        ...base,
        type: `create_${kind.name}`,
        description: `Creates a ${kind.name} for the tenant; external_id is unique per tenant (409 Conflict when taken).`,
        complexity: 'moderate',
        parameters: create,
        resultSchema: recordSchema(kind),
        run: async (context, p) => ({
          aiMode: 'deterministic',
          result: await createRecord(context.manager, kind, context.tenantId, p as WireRecord),
        }),
      },
      {
        ...base,
        type: `update_${kind.name}`,
        description: `Changes the given fields of one ${kind.name} (by id, or by external_id when no id is given); null clears an optional field.`,
        complexity: 'moderate',
        parameters: update,
        resultSchema: recordSchema(kind),
        check: (p) => checkUpdate(kind, p as Record<string, unknown>),
        run: async (context, p) => ({
          aiMode: 'deterministic',
          result: await updateRecord(context.manager, kind, context.tenantId, p as WireRecord),
        }),
      },
      {
        ...base,
        type: `delete_${kind.name}`,
        description: `Deletes one ${kind.name} of the tenant by id or external_id.`,
        complexity: 'moderate',
        parameters: RecordLocatorParams,
        resultSchema: DELETED_SCHEMA,
        check: (p) => checkLocator(p),
        run: async (context, p) => ({ aiMode: 'deterministic', result: await deleteRecord(context.manager, kind, context.tenantId, p) }),
      },
    );
  }
  return types;
}
