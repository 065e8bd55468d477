import type { ObjectLiteral } from 'typeorm';
import type { JsonSchema, TaskTypeDefinition } from '../../../tasks/task-type.js';
import {
  array,
  bool,
  constant,
  describes,
  id,
  int,
  jsonValue,
  nullable,
  num,
  object,
  record,
  str,
  type TypedSchema,
} from '../../../tasks/result-schema.js';
import { IsOptional } from 'class-validator';
import { Nullable } from '../../../common/validation.js';
import {
  CUSTOMER_KIND,
  type CustomerRecord,
  DEAL_KIND,
  type DealRecord,
  type FieldKind,
  type FieldSpec,
  LEAD_KIND,
  type LeadRecord,
  type RecordKind,
  type WireOf,
  type WireRecord,
  type WireValues,
} from './crm-record-kinds.js';
import { type PageParams, RecordLocatorParams } from '../dto/crm-records.params.js';
import { CreateCustomerParams, ListCustomersParams, UpdateCustomerParams } from '../dto/customer.params.js';
import { CreateDealParams, ListDealsParams, UpdateDealParams } from '../dto/deal.params.js';
import { CreateLeadParams, ListLeadsParams, UpdateLeadParams } from '../dto/lead.params.js';
import {
  checkListParams,
  checkLocator,
  checkUpdate,
  createRecord,
  deleteRecord,
  getRecord,
  listRecords,
  type RecordDeleted,
  type RecordPage,
  updateRecord,
} from './crm-records.js';

interface KindDtos<F extends readonly FieldSpec[] = readonly FieldSpec[]> {
  kind: RecordKind<ObjectLiteral, F>;
  list: new () => PageParams;
  create: new () => object;
  update: new () => object;
}

const CUSTOMERS: KindDtos<typeof CUSTOMER_KIND.fields> = {
  kind: CUSTOMER_KIND,
  list: ListCustomersParams,
  create: CreateCustomerParams,
  update: UpdateCustomerParams,
};
const LEADS: KindDtos<typeof LEAD_KIND.fields> = {
  kind: LEAD_KIND,
  list: ListLeadsParams,
  create: CreateLeadParams,
  update: UpdateLeadParams,
};
const DEALS: KindDtos<typeof DEAL_KIND.fields> = {
  kind: DEAL_KIND,
  list: ListDealsParams,
  create: CreateDealParams,
  update: UpdateDealParams,
};
const KINDS: KindDtos[] = [CUSTOMERS, LEADS, DEALS];

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

/** Each field kind's wire value, held to WireValues (what toWire writes for it). */
const FIELD_VALUES: { [K in FieldKind]: TypedSchema<WireValues[K]> } = {
  string: describes<WireValues['string']>()(str()),
  number: describes<WireValues['number']>()(num()),
  integer: describes<WireValues['integer']>()(int()),
  boolean: describes<WireValues['boolean']>()(bool()),
  timestamp: describes<WireValues['timestamp']>()(str({ format: 'date-time' })),
  date: describes<WireValues['date']>()(str({ format: 'date' })),
  uuid: describes<WireValues['uuid']>()(str({ format: 'uuid' })),
  company_size: describes<WireValues['company_size']>()(id({ description: 'Employees, or a band such as "51-200".' })),
  json: describes<WireValues['json']>()(record(jsonValue(), { description: 'Free-form extra data.' })),
};

/** A field's wire value (null when unset, except required fields). */
function fieldSchema(field: FieldSpec): JsonSchema {
  const value = FIELD_VALUES[field.kind] as TypedSchema<unknown>;
  return field.required ? value : nullable(value);
}

/**
 * A record of the kind as toWire writes it: its id, one value per field of the kind's table (FIELD_VALUES, null
 * when unset except required fields), its timestamps. Built from the same table as WireOf<F> (the compiler
 * holds FIELD_VALUES to WireValues; the checks below hold each kind's schema to its record type).
 */
function recordSchema<F extends readonly FieldSpec[]>(kind: RecordKind<ObjectLiteral, F>): TypedSchema<WireOf<F>> {
  return object({
    id: str({ format: 'uuid' }),
    ...(Object.fromEntries(kind.fields.map((field) => [field.wire, fieldSchema(field)])) as Record<string, TypedSchema<unknown>>),
    created_at: str({ format: 'date-time' }),
    updated_at: str({ format: 'date-time' }),
  }) as TypedSchema<WireOf<F>>;
}

function pageSchema<W>(item: TypedSchema<W>) {
  return object(
    {
      items: array(item),
      total: int(),
      limit: int(),
      offset: nullable(int()),
      next_offset: nullable(int()),
      next_cursor: nullable(str()),
    },
    { optional: ['offset', 'next_offset'] },
  );
}

const CUSTOMER_SCHEMA = describes<CustomerRecord>()(recordSchema(CUSTOMER_KIND));
const LEAD_SCHEMA = describes<LeadRecord>()(recordSchema(LEAD_KIND));
const DEAL_SCHEMA = describes<DealRecord>()(recordSchema(DEAL_KIND));

/** Each kind's record and page schemas, held to CustomerRecord / LeadRecord / DealRecord and RecordPage. */
const SCHEMAS = {
  customer: { record: CUSTOMER_SCHEMA, page: describes<RecordPage<CustomerRecord>>()(pageSchema(CUSTOMER_SCHEMA)) },
  lead: { record: LEAD_SCHEMA, page: describes<RecordPage<LeadRecord>>()(pageSchema(LEAD_SCHEMA)) },
  deal: { record: DEAL_SCHEMA, page: describes<RecordPage<DealRecord>>()(pageSchema(DEAL_SCHEMA)) },
};

const DELETED_SCHEMA = describes<RecordDeleted>()(
  object({ deleted: constant(true), id: str({ format: 'uuid' }), external_id: nullable(str()) }, { optional: ['external_id'] }),
);

/** The five CRUD task types of one kind; each run's result type is the one its schema describes. */
function kindTaskTypes<F extends readonly FieldSpec[]>(
  { kind, list, create, update }: KindDtos<F>,
  schemas: { record: TypedSchema<WireOf<F>>; page: TypedSchema<RecordPage<WireOf<F>>> },
): TaskTypeDefinition[] {
  const base = { domain: 'crm' as const, strategy: 'direct_db' as const, requiresAi: false };
  const listType: TaskTypeDefinition<PageParams, RecordPage<WireOf<F>>> = {
    ...base,
    type: `get_${kind.name}_list`,
    description: `Lists the tenant's ${kind.plural}, newest first, with filters, limit and cursor or offset pagination, and the total.`,
    complexity: 'simple',
    parameters: list,
    resultSchema: schemas.page,
    check: (p) => checkListParams(kind, p),
    run: async (context, p) => ({ aiMode: 'deterministic', result: await listRecords(context.manager, kind, context.tenantId, p) }),
  };
  const getType: TaskTypeDefinition<RecordLocatorParams, WireOf<F>> = {
    ...base,
    type: `get_${kind.name}`,
    description: `One ${kind.name} of the tenant by id or external_id (another tenant's ${kind.name} is not found).`,
    complexity: 'simple',
    parameters: RecordLocatorParams,
    resultSchema: schemas.record,
    check: (p) => checkLocator(p),
    run: async (context, p) => ({ aiMode: 'deterministic', result: await getRecord(context.manager, kind, context.tenantId, p) }),
  };
  const createType: TaskTypeDefinition<object, WireOf<F>> = {
    ...base,
    type: `create_${kind.name}`,
    effect: 'create',
    description: `Creates a ${kind.name} for the tenant; external_id is unique per tenant (409 Conflict when taken).`,
    complexity: 'moderate',
    parameters: create,
    resultSchema: schemas.record,
    run: async (context, p) => ({
      aiMode: 'deterministic',
      result: await context.write((manager) => createRecord(manager, kind, context.tenantId, p as WireRecord)),
    }),
  };
  const updateType: TaskTypeDefinition<object, WireOf<F>> = {
    ...base,
    type: `update_${kind.name}`,
    effect: 'update',
    description: `Changes the given fields of one ${kind.name} (by id, or by external_id when no id is given); null clears an optional field.`,
    complexity: 'moderate',
    parameters: update,
    resultSchema: schemas.record,
    check: (p) => checkUpdate(kind, p as Record<string, unknown>),
    run: async (context, p) => ({
      aiMode: 'deterministic',
      result: await context.write((manager) => updateRecord(manager, kind, context.tenantId, p as WireRecord)),
    }),
  };
  const deleteType: TaskTypeDefinition<RecordLocatorParams, RecordDeleted> = {
    ...base,
    type: `delete_${kind.name}`,
    effect: 'delete',
    description: `Deletes one ${kind.name} of the tenant by id or external_id.`,
    complexity: 'moderate',
    parameters: RecordLocatorParams,
    resultSchema: DELETED_SCHEMA,
    check: (p) => checkLocator(p),
    run: async (context, p) => ({
      aiMode: 'deterministic',
      result: await context.write((manager) => deleteRecord(manager, kind, context.tenantId, p)),
    }),
  };
  return [listType, getType, createType, updateType, deleteType];
}

/** The direct_db CRUD task types of customers, leads and deals (15 in all), all tenant-scoped. */
export function crudTaskTypes(): TaskTypeDefinition[] {
  return [...kindTaskTypes(CUSTOMERS, SCHEMAS.customer), ...kindTaskTypes(LEADS, SCHEMAS.lead), ...kindTaskTypes(DEALS, SCHEMAS.deal)];
}
