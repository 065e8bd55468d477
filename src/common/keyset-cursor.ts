/**
 * The opaque cursor of a list sorted newest first by (created_at, id): it names the last row of a page, and
 * the next page starts after it. One format for every keyset-paginated list (tasks, CRM records).
 */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function encodeKeysetCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

/** The position a cursor names, or undefined when it is not a cursor `encodeKeysetCursor` wrote. */
export function decodeKeysetCursor(cursor: string): KeysetPosition | undefined {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.length !== 2) return undefined;
  const [instant, id] = parts;
  const createdAt = new Date(instant);
  if (!ISO_INSTANT.test(instant) || Number.isNaN(createdAt.getTime()) || !UUID.test(id)) return undefined;
  return { createdAt, id };
}
