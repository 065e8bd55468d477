import type { JsonSchema } from './task-type.js';

/*
 * A task type's result schema, written once as a typed value: each builder returns the JSON schema together with
 * (as a type only) the TypeScript type of the values it describes. `describes<Result>()(schema)` then makes the
 * compiler hold the schema to the type the handler builds — every field of the result in the schema, no field
 * in the schema the result lacks, each with a type that fits — so the catalogue cannot drift from the code.
 */

declare const VALUE: unique symbol;

/** A JSON schema of values of type T. */
export type TypedSchema<T> = JsonSchema & { readonly [VALUE]?: T };

/** The type of the values a typed schema describes. */
export type ValueOf<S> = S extends TypedSchema<infer T> ? T : never;

type Annotations = { description?: string; format?: string; minimum?: number; maximum?: number };

const typed = <T>(schema: JsonSchema): TypedSchema<T> => schema;

export const str = (annotations: Annotations = {}): TypedSchema<string> => typed({ type: 'string', ...annotations });
export const num = (annotations: Annotations = {}): TypedSchema<number> => typed({ type: 'number', ...annotations });
export const int = (annotations: Annotations = {}): TypedSchema<number> => typed({ type: 'integer', ...annotations });
export const bool = (annotations: Annotations = {}): TypedSchema<boolean> => typed({ type: 'boolean', ...annotations });

/** One of the listed strings or numbers. */
export const oneOfValues = <const V extends readonly (string | number | boolean)[]>(
  values: V,
  annotations: Annotations = {},
): TypedSchema<V[number]> => typed({ enum: [...values], ...annotations });

/** One of the listed strings, published with its type (`{type: 'string', enum}`). */
export const strOf = <const V extends readonly string[]>(values: V, annotations: Annotations = {}): TypedSchema<V[number]> =>
  typed({ type: 'string', enum: [...values], ...annotations });

/** Exactly this value (`{const: value}`). */
export const constant = <const V extends string | number | boolean>(value: V, annotations: Annotations = {}): TypedSchema<V> =>
  typed({ const: value, ...annotations });

/** null (with anyOf, for a value that may be absent as null). */
export const nullValue = (): TypedSchema<null> => typed({ type: 'null' });

/** A string or a number (ids as the caller sent them). */
export const id = (annotations: Annotations = {}): TypedSchema<string | number> => typed({ type: ['string', 'number'], ...annotations });

/** The value, or null. */
export function nullable<T>(schema: TypedSchema<T>): TypedSchema<T | null> {
  const { type, enum: values } = schema;
  const admitted = Array.isArray(values) ? { ...schema, enum: [...(values as unknown[]), null] } : schema;
  if (typeof type === 'string') return typed({ ...admitted, type: [type, 'null'] });
  if (Array.isArray(type)) return typed({ ...admitted, type: [...(type as string[]), 'null'] });
  if (Array.isArray(values)) return typed(admitted);
  return typed({ anyOf: [schema, { type: 'null' }] });
}

export const array = <T>(items: TypedSchema<T>, annotations: Annotations = {}): TypedSchema<readonly T[]> =>
  typed({ type: 'array', items, ...annotations });

/** A map from names to values of one type. */
export const record = <T>(values: TypedSchema<T>, annotations: Annotations = {}): TypedSchema<Record<string, T>> =>
  typed({ type: 'object', additionalProperties: values, ...annotations });

const SCALAR = { type: ['string', 'number', 'boolean', 'null'] };

/**
 * A free-form JSON value the service stores as sent (e.g. a record's `attributes` entries): a scalar, a list of
 * scalars or an object of scalars (deeper nesting is kept as sent but not described).
 */
export const jsonValue = (annotations: Annotations = {}): TypedSchema<unknown> =>
  typed({
    anyOf: [SCALAR, { type: 'array', items: SCALAR }, { type: 'object', additionalProperties: SCALAR }],
    ...annotations,
  });

type Shape = Record<string, TypedSchema<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ObjectValue<P extends Shape, O extends keyof P> = Simplify<
  { [K in Exclude<keyof P, O>]: ValueOf<P[K]> } & { [K in O]?: ValueOf<P[K]> }
>;

/** An object with exactly these fields; all required but those listed in `optional`. */
export function object<P extends Shape, O extends keyof P & string = never>(
  properties: P,
  options: Annotations & { optional?: readonly O[] } = {},
): TypedSchema<ObjectValue<P, O>> {
  const { optional = [], ...annotations } = options;
  const required = Object.keys(properties).filter((name) => !(optional as readonly string[]).includes(name));
  return typed({ type: 'object', properties, required, additionalProperties: false, ...annotations });
}

/** An object with exactly these fields, none of them required. */
export function partial<P extends Shape>(properties: P, annotations: Annotations = {}): TypedSchema<ObjectValue<P, keyof P & string>> {
  return object<P, keyof P & string>(properties, { ...annotations, optional: Object.keys(properties) });
}

/** Any of the schemas (e.g. the shapes of one result for different inputs). */
export const anyOf = <S extends TypedSchema<unknown>[]>(...schemas: S): TypedSchema<ValueOf<S[number]>> => typed({ anyOf: schemas });

// ---- the check ----

type IsAny<T> = 0 extends 1 & T ? true : false;
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/** The field names at which R and S disagree about which fields exist (recursively through arrays and nullables). */
type FieldMismatch<R, S, Path extends string = ''> =
  IsAny<R> extends true
    ? never
    : [NonNullable<R>] extends [readonly (infer RI)[]]
      ? [NonNullable<S>] extends [readonly (infer SI)[]]
        ? FieldMismatch<RI, SI, `${Path}[]`>
        : never
      : true extends IsUnion<NonNullable<R>>
        ? never
        : [NonNullable<R>] extends [object]
          ? [NonNullable<S>] extends [object]
            ? string extends keyof NonNullable<R> | keyof NonNullable<S>
              ? never
              : | `${Path}.${Exclude<keyof NonNullable<R>, keyof NonNullable<S> | symbol> & string} (not in the schema)`
                | `${Path}.${Exclude<keyof NonNullable<S>, keyof NonNullable<R> | symbol> & string} (not in the result)`
                | {
                    [K in keyof NonNullable<R> & keyof NonNullable<S> & string]: FieldMismatch<
                      NonNullable<R>[K],
                      NonNullable<S>[K],
                      `${Path}.${K}`
                    >;
                  }[keyof NonNullable<R> & keyof NonNullable<S> & string]
            : never
          : never;

/**
 * `describes<Result>()(schema)` compiles only when the schema describes Result: Result's values fit the schema's
 * type, and both name the same fields (at every level of plain objects; unions are held to the first rule only).
 */
export function describes<R>() {
  return <S extends TypedSchema<unknown>>(
    schema: S &
      ([R] extends [ValueOf<S>] ? unknown : { error: 'the result does not fit the schema'; result: R }) &
      ([FieldMismatch<R, ValueOf<S>>] extends [never] ? unknown : { error: 'fields differ'; fields: FieldMismatch<R, ValueOf<S>> }),
  ): TypedSchema<R> => schema as unknown as TypedSchema<R>;
}
