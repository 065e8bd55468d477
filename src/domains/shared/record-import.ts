/**
 * A domain's importer of the records integration syncs receive for it: one upsert of its table by
 * (tenant_id, external_id) through an explicit allow-list of columns, each an SQL expression over the record
 * `r` (r.external_id, r.data). A column the record leaves empty keeps its stored value.
 */
import type { EntityManager } from 'typeorm';
import type { ImportedRecord, RecordImporter } from '../../delegation/domain-supervisor.js';

/** The record's field as text (empty → null). */
export const recordText = (field: string): string => `NULLIF(r.data->>'${field}', '')`;

/** The record's field as a number, only when it looks like one (else null). */
export const recordNumber = (field: string): string =>
  `CASE WHEN r.data->>'${field}' ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (r.data->>'${field}')::numeric END`;

/** The record's upstream id. */
export const RECORD_EXTERNAL_ID = 'r.external_id';

/** An importer upserting `table`'s `columns` (column name → SQL expression over the record). */
export function columnImporter(table: string, columns: Readonly<Record<string, string>>): RecordImporter {
  const names = Object.keys(columns);
  const sql = `INSERT INTO ${table} (tenant_id, external_id, ${names.join(', ')})
     SELECT $1, r.external_id, ${Object.values(columns).join(', ')}
       FROM jsonb_to_recordset($2::jsonb) AS r(external_id text, data jsonb)
     ON CONFLICT (tenant_id, external_id) DO UPDATE
        SET ${names.map((column) => `${column} = COALESCE(EXCLUDED.${column}, ${table}.${column})`).join(', ')}, updated_at = now()`;
  return {
    table,
    async upsert(manager: EntityManager, tenantId: string, records: readonly ImportedRecord[]): Promise<void> {
      await manager.query(sql, [tenantId, JSON.stringify(records.map((r) => ({ external_id: r.externalId, data: r.data })))]);
    },
  };
}
