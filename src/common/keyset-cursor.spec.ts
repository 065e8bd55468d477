import { describe, expect, it } from 'vitest';
import { decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor.js';

const ID = '0b7e6c1a-6f1e-4a5b-9d7c-2f0e8a1b3c4d';

describe('keyset cursor', () => {
  it('round-trips a position to the millisecond', () => {
    const createdAt = new Date('2026-12-07T19:58:01.234Z');
    const cursor = encodeKeysetCursor(createdAt, ID);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeKeysetCursor(cursor)).toEqual({ createdAt, id: ID });
  });

  it.each([
    ['not base64 of anything', '!!!'],
    ['an empty string', ''],
    ['no separator', Buffer.from(`2026-12-07T19:58:01.234Z${ID}`).toString('base64url')],
    ['an extra part', Buffer.from(`2026-12-07T19:58:01.234Z|${ID}|x`).toString('base64url')],
    ['an id that is not a uuid', Buffer.from('2026-12-07T19:58:01.234Z|42').toString('base64url')],
    ['a date that is not an instant', Buffer.from(`yesterday|${ID}`).toString('base64url')],
    ['a local time', Buffer.from(`2026-12-07 19:58|${ID}`).toString('base64url')],
    ['an impossible date', Buffer.from(`2026-13-45T99:00:00.000Z|${ID}`).toString('base64url')],
  ])('refuses %s', (_name, cursor) => {
    expect(decodeKeysetCursor(cursor)).toBeUndefined();
  });
});
