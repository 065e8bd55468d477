import { describe, expect, it } from 'vitest';
import { parseSyncPayload } from './sync-payload.js';

describe('sync payload validation', () => {
  it('accepts an array or an envelope, keyed by id or external_id', () => {
    expect(parseSyncPayload('[{"id": 7, "name": "a"}, {"external_id": " x-1 ", "name": "b"}]')).toEqual({
      ok: true,
      records: [
        { externalId: '7', data: { id: 7, name: 'a' } },
        { externalId: 'x-1', data: { external_id: ' x-1 ', name: 'b' } },
      ],
    });
    expect(parseSyncPayload('{"data": [{"id": "a"}], "next": null}')).toEqual({
      ok: true,
      records: [{ externalId: 'a', data: { id: 'a' } }],
    });
    expect(parseSyncPayload('[]')).toEqual({ ok: true, records: [] });
  });

  it.each([
    ['<html>oops</html>', 'the body is not JSON (starts with "<html>oops</html>")'],
    ['{"count": 2}', 'expected a JSON array of records or an object with one of records, data, items, results'],
    ['[{"id": 1}, 5]', 'record 1 is not an object'],
    [
      '[{"id": 1}, {"name": "no id"}]',
      'record 1 has no usable id (give "id" or "external_id": a string of 1–200 characters or an integer)',
    ],
    ['[{"id": 1.5}]', 'record 0 has no usable id (give "id" or "external_id": a string of 1–200 characters or an integer)'],
    ['[{"id": "a"}, {"id": "b"}, {"id": "a"}]', 'records 0 and 2 have the same id "a"'],
  ])('refuses %s', (body, reason) => {
    expect(parseSyncPayload(body)).toEqual({ ok: false, reason });
  });
});
