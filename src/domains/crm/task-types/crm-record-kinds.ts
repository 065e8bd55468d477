import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ValidationProblem } from '../../../common/problem.js';
import { CustomerEntity } from '../entities/customer.entity.js';
import { DealEntity } from '../entities/deal.entity.js';
import { LeadEntity } from '../entities/lead.entity.js';
import type { ListCustomersParams } from '../dto/customer.params.js';
import type { ListDealsParams } from '../dto/deal.params.js';
import type { ListLeadsParams } from '../dto/lead.params.js';

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'timestamp' | 'date' | 'json' | 'uuid' | 'company_size';

/** One business field: its wire name, entity property and database column. */
export interface FieldSpec {
  wire: string;
  prop: string;
  column: string;
  kind: FieldKind;
  /** Required when creating; cannot be set to null. */
  required?: boolean;
}

export type WireRecord = Record<string, unknown>;

/** The TypeScript type of a field's wire value, by kind (as toWire writes it). */
export interface WireValues {
  string: string;
  number: number;
  integer: number;
  boolean: boolean;
  timestamp: string;
  date: string;
  uuid: string;
  company_size: string | number;
  json: Record<string, unknown>;
}

/**
 * A record on the wire as toWire writes it from the field table F: its id, each field (null when unset,
 * except required fields) and its timestamps.
 */
export type WireOf<F extends readonly FieldSpec[]> = { id: string } & {
  [S in F[number] as S['wire']]: S extends { required: true } ? WireValues[S['kind']] : WireValues[S['kind']] | null;
} & { created_at: string; updated_at: string };

/** A CRM record kind (customers, leads, deals): its table, fields and list filters. */
export interface RecordKind<E extends ObjectLiteral = ObjectLiteral, F extends readonly FieldSpec[] = readonly FieldSpec[]> {
  /** Singular wire name: customer, lead, deal. */
  name: 'customer' | 'lead' | 'deal';
  plural: 'customers' | 'leads' | 'deals';
  entity: new () => E;
  fields: F;
  /** Columns `search` looks in. */
  searchColumns: string[];
  applyFilters(query: SelectQueryBuilder<E>, params: Record<string, unknown>): void;
  /** Field errors of a list request beyond the DTO (e.g. min above max). */
  checkFilters(params: Record<string, unknown>): { field: string; message: string }[];
  /** Checks references to other records (tenant-scoped) before a write. */
  checkReferences?(manager: EntityManager, tenantId: string, values: WireRecord): Promise<void>;
}

const f = <W extends string, K extends FieldKind, R extends boolean = false>(
  wire: W,
  kind: K,
  required = false as R,
  column: string = wire,
  prop = camel(column),
): FieldSpec & { wire: W; kind: K; required: R } => ({
  wire,
  prop,
  column,
  kind,
  required,
});

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

function range(params: Record<string, unknown>, min: string, max: string): { field: string; message: string }[] {
  const low = params[min];
  const high = params[max];
  return typeof low === 'number' && typeof high === 'number' && low > high ? [{ field: min, message: `must not exceed ${max}` }] : [];
}

const CUSTOMER_FIELDS = [
  f('external_id', 'string'),
  f('name', 'string', true),
  f('email', 'string'),
  f('company', 'string'),
  f('ltv', 'number'),
  f('engagement_score', 'number'),
  f('churn_risk', 'number'),
  f('engagement_trend', 'number'),
  f('last_activity_at', 'timestamp'),
  f('recency', 'integer', false, 'recency_days'),
  f('frequency', 'integer'),
  f('monetary', 'number'),
  f('tenure', 'integer', false, 'tenure_days'),
  f('support_tickets', 'integer'),
  f('payment_failures', 'integer'),
  f('attributes', 'json'),
] as const;

export const CUSTOMER_KIND: RecordKind<CustomerEntity, typeof CUSTOMER_FIELDS> = {
  name: 'customer',
  plural: 'customers',
  entity: CustomerEntity,
  fields: CUSTOMER_FIELDS,
  searchColumns: ['name', 'email', 'company', 'external_id'],
  applyFilters(query, raw) {
    const params = raw as ListCustomersParams;
    if (params.email !== undefined) query.andWhere('lower(r.email) = lower(:email)', { email: params.email });
    if (params.min_ltv !== undefined) query.andWhere('r.ltv >= :minLtv', { minLtv: params.min_ltv });
    if (params.max_ltv !== undefined) query.andWhere('r.ltv <= :maxLtv', { maxLtv: params.max_ltv });
    if (params.min_churn_risk !== undefined) query.andWhere('r.churn_risk >= :minRisk', { minRisk: params.min_churn_risk });
    if (params.max_churn_risk !== undefined) query.andWhere('r.churn_risk <= :maxRisk', { maxRisk: params.max_churn_risk });
  },
  checkFilters: (params) => [...range(params, 'min_ltv', 'max_ltv'), ...range(params, 'min_churn_risk', 'max_churn_risk')],
};

const LEAD_FIELDS = [
  f('external_id', 'string'),
  f('email', 'string', true),
  f('name', 'string'),
  f('company', 'string'),
  f('role', 'string'),
  f('company_size', 'company_size'),
  f('engagement_score', 'number'),
  f('website_visits', 'integer'),
  f('demo_requested', 'boolean'),
  f('pricing_page_visits', 'integer'),
  f('content_downloads', 'integer'),
  f('last_activity_at', 'timestamp'),
  f('source', 'string'),
  f('status', 'string', true),
  f('score', 'number'),
  f('attributes', 'json'),
] as const;

export const LEAD_KIND: RecordKind<LeadEntity, typeof LEAD_FIELDS> = {
  name: 'lead',
  plural: 'leads',
  entity: LeadEntity,
  fields: LEAD_FIELDS,
  searchColumns: ['name', 'email', 'company', 'external_id'],
  applyFilters(query, raw) {
    const params = raw as ListLeadsParams;
    if (params.status !== undefined) query.andWhere('r.status = :status', { status: params.status });
    if (params.company !== undefined) query.andWhere('lower(r.company) = lower(:company)', { company: params.company });
    if (params.min_score !== undefined) query.andWhere('r.score >= :minScore', { minScore: params.min_score });
    if (params.max_score !== undefined) query.andWhere('r.score <= :maxScore', { maxScore: params.max_score });
  },
  checkFilters: (params) => range(params, 'min_score', 'max_score'),
};

const DEAL_FIELDS = [
  f('external_id', 'string'),
  f('name', 'string', true),
  f('stage', 'string', true),
  f('amount', 'number', true),
  f('currency', 'string'),
  f('probability', 'number'),
  f('customer_id', 'uuid'),
  f('lead_id', 'uuid'),
  f('expected_close_date', 'date'),
  f('days_in_stage', 'integer'),
  f('attributes', 'json'),
] as const;

export const DEAL_KIND: RecordKind<DealEntity, typeof DEAL_FIELDS> = {
  name: 'deal',
  plural: 'deals',
  entity: DealEntity,
  fields: DEAL_FIELDS,
  searchColumns: ['name', 'external_id'],
  applyFilters(query, raw) {
    const params = raw as ListDealsParams;
    if (params.stage !== undefined) query.andWhere('r.stage = :stage', { stage: params.stage });
    if (params.customer_id !== undefined) query.andWhere('r.customer_id = :customerId', { customerId: params.customer_id });
    if (params.lead_id !== undefined) query.andWhere('r.lead_id = :leadId', { leadId: params.lead_id });
    if (params.min_amount !== undefined) query.andWhere('r.amount >= :minAmount', { minAmount: params.min_amount });
    if (params.max_amount !== undefined) query.andWhere('r.amount <= :maxAmount', { maxAmount: params.max_amount });
  },
  checkFilters: (params) => range(params, 'min_amount', 'max_amount'),
  async checkReferences(manager, tenantId, values) {
    const errors: { field: string; message: string }[] = [];
    for (const [field, entity, label] of [
      ['customer_id', CustomerEntity, 'customer'],
      ['lead_id', LeadEntity, 'lead'],
    ] as const) {
      const id = values[field];
      if (typeof id !== 'string') continue;
      const found = await manager.getRepository(entity).exists({ where: { id, tenantId } });
      if (!found) errors.push({ field, message: `no ${label} ${id} for this tenant` });
    }
    if (errors.length > 0) throw new ValidationProblem(errors);
  },
};

export type CustomerRecord = WireOf<typeof CUSTOMER_FIELDS>;
export type LeadRecord = WireOf<typeof LEAD_FIELDS>;
export type DealRecord = WireOf<typeof DEAL_FIELDS>;

/**
 * Entity → wire (snake_case, ISO timestamps, company size as a number when it is one): one value per field of
 * the kind's table, which is what WireOf<F> describes.
 */
export function toWire<F extends readonly FieldSpec[]>(kind: RecordKind<ObjectLiteral, F>, entity: ObjectLiteral): WireOf<F> {
  const record: WireRecord = { id: entity.id };
  for (const field of kind.fields) {
    const value: unknown = entity[field.prop];
    record[field.wire] = value === undefined ? null : fromColumn(field, value);
  }
  record.created_at = (entity.createdAt as Date).toISOString();
  record.updated_at = (entity.updatedAt as Date).toISOString();
  return record as WireOf<F>;
}

function fromColumn(field: FieldSpec, value: unknown): unknown {
  if (value === null) return null;
  if (field.kind === 'timestamp') return value instanceof Date ? value.toISOString() : new Date(value as string).toISOString();
  if (field.kind === 'company_size' && typeof value === 'string') return /^\d+$/.test(value) ? Number(value) : value;
  return value;
}

/** Wire value → entity property value. */
export function toColumn(field: FieldSpec, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.kind === 'timestamp') return new Date(value as string);
  if (field.kind === 'company_size' && (typeof value === 'string' || typeof value === 'number')) return String(value).trim();
  return value;
}
