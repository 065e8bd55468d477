/**
 * Tenant-scoped CRUD over the CRM tables. Every query filters by tenant: another tenant's record is not
 * found, never read or changed.
 */
import type { EntityManager, ObjectLiteral } from 'typeorm';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../../common/keyset-cursor.js';
import { ConflictProblem, type FieldError, NotFoundProblem } from '../../../common/problem.js';
import { isUniqueViolation } from '../../shared/db-errors.js';
import { type FieldSpec, type RecordKind, toColumn, toWire, type WireOf, type WireRecord } from './crm-record-kinds.js';
import type { PageParams, RecordLocatorParams } from '../dto/crm-records.params.js';

export const DEFAULT_PAGE_SIZE = 20;

export interface RecordPage<W = WireRecord> {
  items: W[];
  /** Records matching the filters (all pages). */
  total: number;
  limit: number;
  /** Rows skipped (offset pagination); null when a cursor was used. */
  offset: number | null;
  next_offset: number | null;
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: string | null;
}

/** Field errors of a list request that the DTO cannot express. */
export function checkListParams(kind: RecordKind, params: PageParams): FieldError[] {
  const errors: FieldError[] = [];
  if (params.cursor !== undefined && params.offset !== undefined)
    errors.push({ field: 'cursor', message: 'use either cursor or offset, not both' });
  if (params.cursor !== undefined && !decodeKeysetCursor(params.cursor))
    errors.push({ field: 'cursor', message: 'is not a cursor from a previous page (next_cursor)' });
  return [...errors, ...kind.checkFilters(params as Record<string, unknown>)];
}

/** Field errors of a get/delete request. */
export function checkLocator(params: RecordLocatorParams): FieldError[] {
  if (params.id === undefined && params.external_id === undefined) return [{ field: 'id', message: 'give id or external_id' }];
  if (params.id !== undefined && params.external_id !== undefined)
    return [{ field: 'external_id', message: 'give id or external_id, not both' }];
  return [];
}

/** Field errors of an update request: something to locate and something to change (null in a required field is refused by its DTO). */
export function checkUpdate(kind: RecordKind, params: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const byId = params.id !== undefined;
  if (!byId && params.external_id === undefined) errors.push({ field: 'id', message: 'give id (or external_id) of the record to change' });
  const changes = kind.fields.filter((field) => params[field.wire] !== undefined && (byId || field.wire !== 'external_id'));
  if (errors.length === 0 && changes.length === 0) errors.push({ field: '', message: `give at least one ${kind.name} field to change` });
  return errors;
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (match) => `\\${match}`);
}

export async function listRecords<F extends readonly FieldSpec[]>(
  manager: EntityManager,
  kind: RecordKind<ObjectLiteral, F>,
  tenantId: string,
  params: PageParams,
): Promise<RecordPage<WireOf<F>>> {
  const limit = params.limit ?? DEFAULT_PAGE_SIZE;
  const query = manager.getRepository(kind.entity).createQueryBuilder('r').where('r.tenant_id = :tenantId', { tenantId });
  if (params.search !== undefined) {
    const conditions = kind.searchColumns.map((column) => `r.${column} ILIKE :term`).join(' OR ');
    query.andWhere(`(${conditions})`, { term: `%${escapeLike(params.search)}%` });
  }
  kind.applyFilters(query, params as Record<string, unknown>);
  const total = await query.clone().getCount();
  const cursor = params.cursor !== undefined ? decodeKeysetCursor(params.cursor) : undefined;
  if (cursor) {
    query.andWhere('(r.created_at, r.id) < (CAST(:cursorAt AS timestamptz), CAST(:cursorId AS uuid))', {
      cursorAt: cursor.createdAt,
      cursorId: cursor.id,
    });
  }
  const offset = cursor ? null : (params.offset ?? 0);
  query
    .orderBy('r.created_at', 'DESC')
    .addOrderBy('r.id', 'DESC')
    .limit(limit + 1);
  if (offset) query.offset(offset);
  const rows: ObjectLiteral[] = await query.getMany();
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => toWire(kind, row)),
    total,
    limit,
    offset,
    next_offset: more && offset !== null ? offset + limit : null,
    next_cursor: more && last ? encodeKeysetCursor(last.createdAt as Date, last.id as string) : null,
  };
}

function describeLocator(kind: RecordKind, locator: RecordLocatorParams): string {
  return locator.id !== undefined ? `${kind.name} ${locator.id}` : `${kind.name} with external_id "${locator.external_id}"`;
}

function notFound(kind: RecordKind, locator: RecordLocatorParams): NotFoundProblem {
  return new NotFoundProblem(
    `No ${describeLocator(kind, locator)} for this tenant. get_${kind.name}_list lists the tenant's ${kind.plural}; check the id and the tenant.`,
  );
}

async function findEntity(
  manager: EntityManager,
  kind: RecordKind,
  tenantId: string,
  locator: RecordLocatorParams,
): Promise<ObjectLiteral> {
  const where = locator.id !== undefined ? { id: locator.id, tenantId } : { externalId: locator.external_id, tenantId };
  const entity = await manager.getRepository(kind.entity).findOne({ where });
  if (!entity) throw notFound(kind, locator);
  return entity;
}

export async function getRecord<F extends readonly FieldSpec[]>(
  manager: EntityManager,
  kind: RecordKind<ObjectLiteral, F>,
  tenantId: string,
  locator: RecordLocatorParams,
): Promise<WireOf<F>> {
  return toWire(kind, await findEntity(manager, kind, tenantId, locator));
}

function duplicate(kind: RecordKind, externalId: unknown): ConflictProblem {
  return new ConflictProblem(
    `A ${kind.name} with external_id "${String(externalId)}" already exists for this tenant; update it (update_${kind.name}) or use another external_id.`,
    { external_id: externalId },
  );
}

export async function createRecord<F extends readonly FieldSpec[]>(
  manager: EntityManager,
  kind: RecordKind<ObjectLiteral, F>,
  tenantId: string,
  params: WireRecord,
): Promise<WireOf<F>> {
  await kind.checkReferences?.(manager, tenantId, params);
  const values: ObjectLiteral = { tenantId };
  for (const field of kind.fields) {
    const value = params[field.wire];
    if (value !== undefined && value !== null) values[field.prop] = toColumn(field, value);
  }
  const inserted = await manager.createQueryBuilder().insert().into(kind.entity).values(values).orIgnore().returning(['id']).execute();
  const rows = inserted.raw as { id: string }[];
  if (rows.length === 0) throw duplicate(kind, params.external_id);
  return getRecord(manager, kind, tenantId, { id: rows[0].id });
}

export async function updateRecord<F extends readonly FieldSpec[]>(
  manager: EntityManager,
  kind: RecordKind<ObjectLiteral, F>,
  tenantId: string,
  params: WireRecord,
): Promise<WireOf<F>> {
  const locator: RecordLocatorParams =
    params.id !== undefined ? { id: params.id as string } : { external_id: params.external_id as string };
  await kind.checkReferences?.(manager, tenantId, params);
  const patch: ObjectLiteral = {};
  for (const field of kind.fields) {
    if (field.wire === 'external_id' && locator.id === undefined) continue;
    const value = params[field.wire];
    if (value !== undefined) patch[field.prop] = toColumn(field, value);
  }
  if (locator.id !== undefined && typeof params.external_id === 'string') {
    const taken = await manager
      .getRepository(kind.entity)
      .createQueryBuilder('r')
      .where('r.tenant_id = :tenantId AND r.external_id = :externalId AND r.id <> :id', {
        tenantId,
        externalId: params.external_id,
        id: locator.id,
      })
      .getExists();
    if (taken) throw duplicate(kind, params.external_id);
  }
  const query = manager
    .createQueryBuilder()
    .update(kind.entity)
    .set({ ...patch, updatedAt: () => 'now()' })
    .where('tenant_id = :tenantId', { tenantId });
  if (locator.id !== undefined) query.andWhere('id = :id', { id: locator.id });
  else query.andWhere('external_id = :externalId', { externalId: locator.external_id });
  let affected: number | undefined;
  try {
    affected = (await query.execute()).affected;
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate(kind, params.external_id);
    throw error;
  }
  if (!affected) throw notFound(kind, locator);
  return getRecord(manager, kind, tenantId, locator.id !== undefined ? locator : { external_id: locator.external_id });
}

/** What a delete answers. */
export interface RecordDeleted {
  deleted: true;
  id: string;
  external_id: string | null;
}

export async function deleteRecord(
  manager: EntityManager,
  kind: RecordKind,
  tenantId: string,
  locator: RecordLocatorParams,
): Promise<RecordDeleted> {
  const entity = await findEntity(manager, kind, tenantId, locator);
  await manager
    .createQueryBuilder()
    .delete()
    .from(kind.entity)
    .where('tenant_id = :tenantId AND id = :id', { tenantId, id: entity.id as string })
    .execute();
  return { deleted: true, id: entity.id as string, external_id: (entity.externalId as string | null) ?? null };
}
