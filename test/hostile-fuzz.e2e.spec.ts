import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../src/common/input-boundary.js';
import { BrainGateway } from './support/brain-gateway.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/*
 * A schema-driven hostile client: every operation of the OpenAPI document (GET /api/crew/docs-json) and every
 * task type of the catalogue (GET /api/crew/catalogue) gets a valid-looking base request, then one input at a
 * time — a body field (nested ones too), a task parameter, a query parameter, a path parameter or a header the
 * service reads — is replaced by a hostile value. Seeded, bounded in count and time. Every answer must be below
 * 500, every 4xx problem+json with a request id, every 422 must name its fields, the hostile strings and deep
 * nesting must be refused naming exactly the field that carried them, and a task that failed must not carry
 * internal error text. FUZZ_SEED picks another sample; FUZZ_REQUESTS another count.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_207);
const MAX_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2400);
const TIME_BUDGET_MS = 40_000;
const CONCURRENCY = 4;
const TENANT = 'fuzz-tenant';
const PREFIX = '/api/crew';
const DEEP = '__deep_nesting__';
const DEEP_LEVELS = 20_000;
const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
const SURROGATE_MESSAGE = 'must not contain an unpaired UTF-16 surrogate (the text is not valid Unicode)';
const DEPTH_MESSAGE = `nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`;
/** What a failed task's error must never show: driver, engine and runtime internals. */
const INTERNAL_TEXT =
  /invalid byte sequence|Cannot read propert|is not a function|is not iterable|Maximum call stack|QueryFailedError|TypeError|RangeError|SyntaxError|violates .* constraint|relation ".*"|column ".*"/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown>;

/** The class of a hostile value: the first three must be refused by the boundary rule, naming the field. */
type HostileClass = 'nul' | 'nul-inside' | 'lone-surrogate' | 'deep' | 'null' | 'huge-array' | 'wrong-type' | 'long-string';

interface Hostile {
  kind: HostileClass;
  value: Json;
}

const BODY_VALUES: Hostile[] = [
  { kind: 'nul', value: '\u0000' },
  { kind: 'nul-inside', value: 'a\u0000b' },
  { kind: 'lone-surrogate', value: '\ud800' },
  { kind: 'lone-surrogate', value: 'x\udfffy' },
  { kind: 'deep', value: DEEP },
  { kind: 'null', value: null },
  { kind: 'huge-array', value: Array.from({ length: 20_000 }, () => 1) },
  { kind: 'wrong-type', value: 12_345.5 },
  { kind: 'wrong-type', value: true },
  { kind: 'wrong-type', value: 'not-the-type' },
  { kind: 'wrong-type', value: { unexpected: { nested: ['x'] } } },
  { kind: 'wrong-type', value: ['x', 1, null] },
  { kind: 'long-string', value: 'x'.repeat(100_000) },
];

/** Query and path values as they go on the wire (already percent-encoded). */
const URL_VALUES: { kind: HostileClass | 'undecodable'; raw: string }[] = [
  { kind: 'nul', raw: '%00' },
  { kind: 'nul-inside', raw: 'a%00b' },
  { kind: 'undecodable', raw: '%ED%A0%80' },
  { kind: 'undecodable', raw: '%FF%FE' },
  { kind: 'wrong-type', raw: 'not-a-value' },
  { kind: 'wrong-type', raw: '-1.5e309' },
  { kind: 'long-string', raw: 'y'.repeat(8_000) },
];

const HEADER_VALUES = ['\u00ff\u00fe', 'bad tenant!', 't'.repeat(4_000), ' ', '%00'];

interface Case {
  label: string;
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The field a boundary refusal must name (exact), for the classes that must be refused. */
  field?: string;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other], items[index]];
  }
  return items;
}

/** A value that satisfies `schema` as far as a generator can tell (examples first). */
function sample(schema: Schema | undefined, resolve: (ref: string) => Schema | undefined, depth = 0): Json {
  if (!schema || depth > 6) return null;
  if (typeof schema.$ref === 'string') return sample(resolve(schema.$ref), resolve, depth + 1);
  if (schema.example !== undefined) return schema.example as Json;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0] as Json;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0] as Json;
  if (schema.const !== undefined) return schema.const as Json;
  const composite = (schema.allOf ?? schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (composite?.[0]) return sample(composite[0], resolve, depth + 1);
  const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') : (schema.type as string | undefined);
  switch (type ?? 'object') {
    case 'string':
      if (schema.format === 'uuid') return '6f1c1c8e-4d55-4e7a-9a53-0c6a1f0e2b11';
      if (schema.format === 'date-time') return '2026-01-01T00:00:00.000Z';
      if (schema.format === 'date') return '2026-01-01';
      if (schema.format === 'email') return 'someone@example.com';
      if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com/x';
      return 'a'.repeat(Math.max(1, Math.min(Number(schema.minLength ?? 3), 50)));
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? Math.max(schema.minimum, 1) : 1;
    case 'boolean':
      return false;
    case 'array': {
      const min = Number(schema.minItems ?? 0);
      return Array.from({ length: Math.max(min, 1) }, () => sample(schema.items as Schema, resolve, depth + 1));
    }
    default: {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required ?? []) as string[]);
      const result: Record<string, Json> = {};
      for (const [name, property] of Object.entries(properties)) {
        if (required.has(name) || depth === 0) result[name] = sample(property, resolve, depth + 1);
      }
      return result;
    }
  }
}

/** A sampled value as query or path text. */
function scalarText(value: Json): string {
  return value === null || typeof value === 'object' ? 'x' : String(value);
}

/** Wire paths (`a.b[0].c`) of every value in `value`, down to three levels. */
function paths(value: Json, prefix: string[] = [], depth = 0): string[][] {
  if (depth >= 3 || value === null || typeof value !== 'object') return [];
  const keys = Array.isArray(value) ? (value.length > 0 ? ['0'] : []) : Object.keys(value);
  return keys.flatMap((key) => {
    const child = (value as Record<string, Json>)[key];
    const path = [...prefix, key];
    return [path, ...paths(child, path, depth + 1)];
  });
}

function wirePath(path: string[]): string {
  return path.reduce((text, key) => (/^\d+$/.test(key) ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');
}

function withValue(base: Json, path: string[], value: Json): Json {
  const copy = structuredClone(base) as Record<string, Json>;
  let node: Record<string, Json> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, Json>;
  node[path[path.length - 1]] = value;
  return copy;
}

function bodyText(value: Json): string {
  return JSON.stringify(value).replace(`"${DEEP}"`, `${'['.repeat(DEEP_LEVELS)}${']'.repeat(DEEP_LEVELS)}`);
}

interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header';
  schema?: Schema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

/** The Swagger UI page has no inputs to fuzz. */
const SKIPPED = new Set(['GET /api/crew/docs']);

function openApiCases(document: {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema> };
}): Case[] {
  const resolve = (ref: string) => document.components?.schemas?.[ref.replace('#/components/schemas/', '')];
  const cases: Case[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const key = `${method.toUpperCase()} ${template}`;
      if (SKIPPED.has(key) || !template.startsWith(PREFIX) || template.endsWith('/events')) continue;
      const parameters = operation.parameters ?? [];
      const pathValues = Object.fromEntries(
        parameters.filter((p) => p.in === 'path').map((p) => [p.name, encodeURIComponent(scalarText(sample(p.schema, resolve)))]),
      );
      const queryValues = Object.fromEntries(
        parameters
          .filter((p) => p.in === 'query' && p.name !== 'tenant_id')
          .map((p) => [p.name, encodeURIComponent(scalarText(sample(p.schema, resolve)))]),
      );
      const url = (path: Record<string, string>, query: Record<string, string>) => {
        const search = Object.entries(query)
          .map(([name, value]) => `${name}=${value}`)
          .join('&');
        return template.replace(/\{(\w+)\}/g, (_m, name: string) => path[name] ?? 'x') + (search ? `?${search}` : '');
      };
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      const base = schema ? sample(schema, resolve) : undefined;
      if (base && typeof base === 'object' && !Array.isArray(base) && template === `${PREFIX}/execute`) {
        Object.assign(base, { async_execution: true, tenant_id: TENANT });
      }
      const headers = { 'X-Tenant-ID': TENANT, 'Content-Type': 'application/json' };
      const baseBody = base === undefined ? undefined : JSON.stringify(base);
      for (const path of base === undefined ? [] : paths(base)) {
        for (const hostile of BODY_VALUES) {
          cases.push({
            label: `${key} body ${wirePath(path)} ← ${hostile.kind}`,
            kind: hostile.kind,
            method,
            path: url(pathValues, queryValues),
            headers,
            body: bodyText(withValue(base!, path, hostile.value)),
            field: wirePath(path),
          });
        }
      }
      for (const parameter of parameters) {
        if (parameter.in === 'header') continue;
        for (const hostile of URL_VALUES) {
          const path = parameter.in === 'path' ? { ...pathValues, [parameter.name]: hostile.raw } : pathValues;
          const query = parameter.in === 'query' ? { ...queryValues, [parameter.name]: hostile.raw } : queryValues;
          cases.push({
            label: `${key} ${parameter.in} ${parameter.name} ← ${hostile.kind} ${hostile.raw.slice(0, 12)}`,
            kind: hostile.kind,
            method,
            path: url(path, query),
            headers,
            body: baseBody,
            field: parameter.name,
          });
        }
        if (parameter.in === 'query') {
          cases.push({
            label: `${key} query ${parameter.name} ← repeated`,
            kind: 'wrong-type',
            method,
            path: `${url(pathValues, queryValues)}${Object.keys(queryValues).length > 0 ? '&' : '?'}${parameter.name}=a&${parameter.name}=b`,
            headers,
            body: baseBody,
          });
        }
      }
      for (const header of ['X-Tenant-ID', 'Idempotency-Key', 'X-Request-Id']) {
        for (const value of HEADER_VALUES) {
          cases.push({
            label: `${key} header ${header} ← ${JSON.stringify(value.slice(0, 12))}`,
            kind: 'header',
            method,
            path: url(pathValues, queryValues),
            headers: { ...headers, [header]: value },
            body: baseBody,
          });
        }
      }
    }
  }
  return cases;
}

interface CatalogueEntry {
  type: string;
  parameters_schema: Schema & { $defs?: Record<string, Schema> };
}

function catalogueCases(catalogue: { domains: Record<string, CatalogueEntry[]> }): Case[] {
  const cases: Case[] = [];
  for (const entry of Object.values(catalogue.domains).flat()) {
    const defs = entry.parameters_schema.$defs ?? {};
    const resolve = (ref: string) => defs[ref.replace('#/$defs/', '')];
    const parameters = sample(entry.parameters_schema, resolve);
    const body = { type: entry.type, description: `fuzz ${entry.type}`, tenant_id: TENANT, async_execution: true, parameters };
    for (const path of paths(parameters, ['parameters'])) {
      for (const hostile of BODY_VALUES) {
        cases.push({
          label: `execute ${entry.type} ${wirePath(path)} ← ${hostile.kind}`,
          kind: hostile.kind,
          method: 'post',
          path: `${PREFIX}/execute`,
          headers: { 'X-Tenant-ID': TENANT, 'Content-Type': 'application/json' },
          body: bodyText(withValue(body, path, hostile.value)),
          field: wirePath(path),
        });
      }
    }
  }
  return cases;
}

/** Round-robin over the classes (each shuffled by the seed), so a bounded sample still covers every class. */
function pick(cases: Case[], random: () => number, limit: number): Case[] {
  const byKind = new Map<string, Case[]>();
  for (const item of cases) byKind.set(item.kind, [...(byKind.get(item.kind) ?? []), item]);
  const queues = [...byKind.values()].map((list) => shuffle(list, random));
  const picked: Case[] = [];
  while (picked.length < limit && queues.some((queue) => queue.length > 0)) {
    for (const queue of queues) {
      const next = queue.pop();
      if (next && picked.length < limit) picked.push(next);
    }
  }
  return picked;
}

const MUST_BE_REFUSED: Record<string, string> = { nul: NUL_MESSAGE, 'nul-inside': NUL_MESSAGE, 'lone-surrogate': SURROGATE_MESSAGE };

describe('hostile-input fuzzing from the OpenAPI document and the catalogue', () => {
  let testApp: TestApp;
  let baseUrl: string;
  // The Brain routes call a gateway: a loopback one, so that their answers are about the input, not an outage.
  const gateway = new BrainGateway();

  beforeAll(async () => {
    await gateway.start();
    // Thousands of requests from one tenant in a minute: the per-tenant limit is off, so every answer is about the input.
    testApp = await createTestApp({ BRAIN_API_URL: gateway.url, TENANT_RATE_LIMIT_PER_MINUTE: '0' });
    const server = testApp.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await testApp?.dispose();
    await gateway.close();
  });

  it(`answers a seeded sample (seed ${SEED}, ≤ ${MAX_REQUESTS} requests) without a 5xx, with problem+json naming the refused fields`, async () => {
    const http = request(testApp.app.getHttpServer());
    const document = (await http.get(`${PREFIX}/docs-json`).expect(200)).body as Parameters<typeof openApiCases>[0];
    const catalogue = (await http.get(`${PREFIX}/catalogue`).expect(200)).body as Parameters<typeof catalogueCases>[0];
    const all = [...openApiCases(document), ...catalogueCases(catalogue)];
    const cases = pick(all, mulberry32(SEED), MAX_REQUESTS);
    expect(new Set(cases.map((c) => c.kind))).toEqual(
      new Set(['nul', 'nul-inside', 'lone-surrogate', 'deep', 'null', 'huge-array', 'wrong-type', 'long-string', 'undecodable', 'header']),
    );

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const started = Date.now();
    let sent = 0;
    const check = (item: Case, status: number, contentType: string, text: string, requestId: string | null) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const fail = (why: string) => failures.push(`${item.label}: ${status} ${why} ${text.slice(0, 300)}`);
      if (status >= 500) return fail('is a server error');
      const body = contentType.includes('json') && text ? (JSON.parse(text) as Record<string, unknown>) : {};
      if (status >= 400) {
        if (!contentType.startsWith('application/problem+json')) return fail(`is not problem+json (${contentType})`);
        if (body.status !== status || body.request_id !== requestId) return fail('lacks status or the request id');
      }
      if (status === 422) {
        const errors = body.errors as { field?: unknown; message?: unknown }[] | undefined;
        if (!Array.isArray(errors) || errors.length === 0) return fail('names no field');
        if (errors.some((e) => typeof e.field !== 'string' || e.field === '' || typeof e.message !== 'string'))
          return fail('has an unnamed error');
      }
      const message = MUST_BE_REFUSED[item.kind];
      if (message && item.field !== undefined) {
        const errors = (body.errors ?? []) as { field: string; message: string }[];
        if (status !== 422 || !errors.some((e) => e.field === item.field && e.message === message))
          return fail(`does not refuse ${item.field}`);
      }
      if (item.kind === 'deep' && item.body?.includes('[[[[')) {
        const errors = (body.errors ?? []) as { field: string; message: string }[];
        if (status !== 422 || !errors.some((e) => e.field.startsWith(item.field!) && e.message === DEPTH_MESSAGE)) {
          return fail(`does not refuse the nesting under ${item.field}`);
        }
      }
      if (status < 300 && body.status === 'failed' && typeof body.error === 'string' && INTERNAL_TEXT.test(body.error)) {
        return fail('failed with internal error text');
      }
      return undefined;
    };

    const queue = [...cases];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          if (Date.now() - started > TIME_BUDGET_MS) break;
          sent += 1;
          const response = await fetch(`${baseUrl}${item.path}`, {
            method: item.method.toUpperCase(),
            headers: item.headers,
            body: item.body,
            signal: AbortSignal.timeout(15_000),
          }).catch((error: unknown) => error as Error);
          if (response instanceof Error) {
            failures.push(`${item.label}: no answer (${response.message})`);
            continue;
          }
          check(
            item,
            response.status,
            response.headers.get('content-type') ?? '',
            await response.text(),
            response.headers.get('x-request-id'),
          );
        }
      }),
    );

    expect(failures.slice(0, 25), `${failures.length} of ${sent} answers broke the rules`).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(Math.min(cases.length, 1_000));
    expect(statuses.get(422)).toBeGreaterThan(sent / 3);

    // The service is healthy afterwards and still does real work.
    expect((await fetch(`${baseUrl}${PREFIX}/health/ready`)).status).toBe(200);
    const after = await fetch(`${baseUrl}${PREFIX}/execute`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Tenant-ID': TENANT },
      body: JSON.stringify({ type: 'get_task_list', description: 'after the storm', parameters: { limit: 5 } }),
    });
    expect(after.status, await after.clone().text()).toBe(200);
    expect(((await after.json()) as { status: string }).status).toBe('completed');
  }, 120_000);
});
