import { describe, expect, it } from 'vitest';
import {
  anyOf,
  array,
  bool,
  constant,
  describes,
  id,
  int,
  nullable,
  nullValue,
  num,
  object,
  oneOfValues,
  partial,
  record,
  str,
  strOf,
} from './result-schema.js';

interface Built {
  name: string;
  score: number | null;
  tags: string[];
  parts: { id: string | number; weight?: number }[];
  counts: Record<'a' | 'b', number>;
}

const PART = object({ id: id(), weight: num() }, { optional: ['weight'] });

describe('typed result schemas', () => {
  it('writes plain JSON schema: closed objects with their required fields, nullable types, records', () => {
    const schema = describes<Built>()(
      object({ name: str(), score: nullable(num()), tags: array(str()), parts: array(PART), counts: record(int()) }),
    );
    expect(schema).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['name', 'score', 'tags', 'parts', 'counts'],
      properties: {
        name: { type: 'string' },
        score: { type: ['number', 'null'] },
        tags: { type: 'array', items: { type: 'string' } },
        parts: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id'],
            properties: { id: { type: ['string', 'number'] }, weight: { type: 'number' } },
          },
        },
        counts: { type: 'object', additionalProperties: { type: 'integer' } },
      },
    });
    expect(nullable(oneOfValues(['x', 'y'] as const))).toEqual({ enum: ['x', 'y', null] });
    expect(nullable(anyOf(str(), num()))).toEqual({ anyOf: [{ anyOf: [{ type: 'string' }, { type: 'number' }] }, { type: 'null' }] });
  });

  it('writes typed enums, constants, objects without required fields and null', () => {
    expect(strOf(['ok', 'not_enough_data'] as const)).toEqual({ type: 'string', enum: ['ok', 'not_enough_data'] });
    expect(nullable(strOf(['a'] as const))).toEqual({ type: ['string', 'null'], enum: ['a', null] });
    expect(constant(true)).toEqual({ const: true });
    expect(anyOf(num(), nullValue())).toEqual({ anyOf: [{ type: 'number' }, { type: 'null' }] });
    const loose = describes<{ a: number; b: boolean }>()(partial({ a: int(), b: bool() }));
    expect(loose).toEqual({
      type: 'object',
      additionalProperties: false,
      required: [],
      properties: { a: { type: 'integer' }, b: { type: 'boolean' } },
    });
    // @ts-expect-error -- a typed enum holds the result to its values
    describes<{ status: string }>()(object({ status: strOf(['ok'] as const) }));
  });

  it('does not compile when the schema and the result type differ', () => {
    // A field of the result the schema does not describe.
    // @ts-expect-error -- counts is missing from the schema
    describes<Built>()(object({ name: str(), score: nullable(num()), tags: array(str()), parts: array(PART) }));
    // A field in the schema the result lacks.
    describes<Omit<Built, 'counts'>>()(
      // @ts-expect-error -- counts is not in the result
      object({ name: str(), score: nullable(num()), tags: array(str()), parts: array(PART), counts: record(int()) }),
    );
    // A value the schema's type does not admit (score may be null).
    // @ts-expect-error -- score is not nullable in the schema
    describes<Built>()(object({ name: str(), score: num(), tags: array(str()), parts: array(PART), counts: record(int()) }));
    // A nested field the schema does not describe.
    describes<Built>()(
      // @ts-expect-error -- parts[].weight is missing
      object({ name: str(), score: nullable(num()), tags: array(str()), parts: array(object({ id: id() })), counts: record(int()) }),
    );
    expect(true).toBe(true);
  });
});
