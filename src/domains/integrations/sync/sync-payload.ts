export interface StagedRecord {
  externalId: string;
  data: Record<string, unknown>;
}

export type PayloadCheck = { ok: true; records: StagedRecord[] } | { ok: false; reason: string };

export const MAX_RECORDS_PER_SYNC = 10_000;
const ENVELOPE_KEYS = ['records', 'data', 'items', 'results'] as const;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function externalIdOf(record: Record<string, unknown>): string | null {
  const id = record.external_id ?? record.id;
  if (typeof id === 'string' && id.trim() !== '' && id.length <= 200) return id.trim();
  if (typeof id === 'number' && Number.isSafeInteger(id)) return String(id);
  return null;
}

/**
 * Validates a whole upstream payload before anything is written: JSON; an array of records, or an object
 * with one under records/data/items/results; each record an object with an `id` or `external_id` (a
 * non-empty string of at most 200 characters or an integer), unique within the payload.
 */
export function parseSyncPayload(body: string): PayloadCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, reason: `the body is not JSON (starts with ${JSON.stringify(body.slice(0, 40))})` };
  }
  const envelopeKey = isObject(parsed) ? ENVELOPE_KEYS.find((key) => Array.isArray(parsed[key])) : undefined;
  const list: unknown = envelopeKey && isObject(parsed) ? parsed[envelopeKey] : parsed;
  if (!Array.isArray(list)) {
    return { ok: false, reason: `expected a JSON array of records or an object with one of ${ENVELOPE_KEYS.join(', ')}` };
  }
  if (list.length > MAX_RECORDS_PER_SYNC)
    return { ok: false, reason: `${list.length} records exceed the limit of ${MAX_RECORDS_PER_SYNC} per sync` };
  const seen = new Map<string, number>();
  const records: StagedRecord[] = [];
  for (const [index, record] of list.entries()) {
    if (!isObject(record)) return { ok: false, reason: `record ${index} is not an object` };
    const externalId = externalIdOf(record);
    if (externalId === null) {
      return {
        ok: false,
        reason: `record ${index} has no usable id (give "id" or "external_id": a string of 1–200 characters or an integer)`,
      };
    }
    const first = seen.get(externalId);
    if (first !== undefined) return { ok: false, reason: `records ${first} and ${index} have the same id "${externalId}"` };
    seen.set(externalId, index);
    records.push({ externalId, data: record });
  }
  return { ok: true, records };
}
