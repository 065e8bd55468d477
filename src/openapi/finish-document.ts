import type { OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_DESCRIPTIONS } from '../common/api-problem-responses.js';
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from '../common/tenant.js';
import { problemExample } from './problem-examples.js';
import type { RouteFacts } from './route-facts.js';
import { mergeField, mergeObject, type Schema, validatorSchema } from './validator-schema.js';

export const BEARER_SCHEME = 'bearer';
export const API_KEY_SCHEME = 'api-key';

/** Either scheme carries the same key (`Authorization: Bearer <key>` or `X-API-Key: <key>`). */
const PROTECTED: Record<string, string[]>[] = [{ [BEARER_SCHEME]: [] }, { [API_KEY_SCHEME]: [] }];

/** The tenant the examples act for, so "Try it out" runs them as they are. */
export const EXAMPLE_TENANT = 'client_123';

const TENANT_HEADER = {
  name: 'X-Tenant-ID',
  in: 'header',
  required: false,
  description:
    'The tenant the request acts for (or tenant_id in the body or query; both must agree). A tenant key implies its own tenant; a service key (key:*) must name one.',
  schema: { type: 'string', pattern: TENANT_ID_PATTERN.source, maxLength: 100, description: TENANT_ID_RULE },
  example: EXAMPLE_TENANT,
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
const PROBLEM = 'application/problem+json';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
  [key: string]: unknown;
}

interface Response {
  description?: string;
  content?: Record<string, { schema?: Schema; example?: unknown; examples?: Record<string, unknown> }>;
  [key: string]: unknown;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, Response>;
  security?: Record<string, string[]>[];
  [key: string]: unknown;
}

/**
 * Makes the generated document say what the server does: each operation's security (from @Public/@ServiceKeyOnly,
 * as the guards read them), the tenant header where the handler resolves a tenant, the types and constraints of
 * bodies and query parameters (from the class-validator rules the pipe and the task types apply), every problem
 * status the guards, pipes and body parser can answer, each with an example of its own.
 */
export function finishDocument(document: OpenAPIObject, facts: Map<string, RouteFacts>): OpenAPIObject {
  const schemas = (document.components ??= {}).schemas ?? {};
  document.components.schemas = schemas;
  // DocumentBuilder calls every bearer token a JWT; these keys are opaque strings.
  const bearer = document.components.securitySchemes?.[BEARER_SCHEME];
  if (bearer && 'bearerFormat' in bearer) delete bearer.bearerFormat;
  document.servers = [{ url: '/', description: 'This server: the origin the page was loaded from.' }];
  document.tags = [...(document.tags ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const route = facts.get(operation.operationId ?? '');
      if (!route) throw new Error(`OpenAPI: no route facts for ${method.toUpperCase()} ${path} (${operation.operationId})`);
      operation.security = route.isPublic ? [] : PROTECTED;
      declareTenantHeader(operation, route);
      constrainQuery(operation, route);
      constrainBody(operation, route, schemas as Record<string, Schema>);
      if (route.tenantScoped) nameTheTenant(operation);
      documentProblems(operation, route, path);
    }
  }
  for (const schema of Object.values(schemas)) allowNullInEnums(schema);
  return document;
}

/** OpenAPI 3.0.3: a nullable enum lists null among its values, or null is not allowed after all. */
function allowNullInEnums(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(allowNullInEnums);
  if (node === null || typeof node !== 'object') return;
  const schema = node as Schema;
  const values = schema.enum as unknown[] | undefined;
  if (schema.nullable === true && Array.isArray(values) && !values.includes(null)) schema.enum = [...values, null];
  Object.values(schema).forEach(allowNullInEnums);
}

function declareTenantHeader(operation: Operation, route: RouteFacts): void {
  const others = (operation.parameters ?? []).filter(
    (parameter) => !(parameter.in === 'header' && parameter.name.toLowerCase() === 'x-tenant-id'),
  );
  operation.parameters = route.tenantScoped ? [{ ...TENANT_HEADER }, ...others] : others;
}

function constrainQuery(operation: Operation, route: RouteFacts): void {
  if (!route.query) return;
  const { schema } = validatorSchema(route.query);
  const rules = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const documented = new Map((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p]));
  const query: Parameter[] = Object.entries(rules).map(([name, rule]) => {
    const parameter = documented.get(name) ?? { name, in: 'query' };
    const { description, example, ...fieldSchema } = mergeField(parameter.schema, rule);
    return {
      ...parameter,
      required: required.has(name),
      ...(parameter.description === undefined && typeof description === 'string' ? { description } : {}),
      ...(parameter.example === undefined && example !== undefined ? { example } : {}),
      schema: fieldSchema,
    };
  });
  operation.parameters = [...(operation.parameters ?? []).filter((p) => p.in !== 'query'), ...query];
}

function constrainBody(operation: Operation, route: RouteFacts, schemas: Record<string, Schema>): void {
  const media = operation.requestBody?.content?.['application/json'];
  if (!route.body || !media?.schema) return;
  const own = validatorSchema(route.body);
  let rule = own.schema;
  let extraRequired: string[] = [];
  const components = { ...own.components };
  if (route.bodyRules) {
    // Fields the pipe lets through unchecked are checked against the task type's parameters class afterwards.
    const later = validatorSchema(route.bodyRules);
    const laterFields = (later.schema.properties ?? {}) as Record<string, Schema>;
    const ownFields = (rule.properties ?? {}) as Record<string, Schema>;
    rule = {
      ...rule,
      properties: Object.fromEntries(
        Object.entries(ownFields).map(([name, field]) => [name, isOpen(field) && laterFields[name] ? laterFields[name] : field]),
      ),
    };
    extraRequired = ((later.schema.required as string[] | undefined) ?? []).filter((name) => name in ownFields);
    Object.assign(components, later.components);
  }
  const ref = typeof media.schema.$ref === 'string' ? media.schema.$ref.replace('#/components/schemas/', '') : undefined;
  if (ref && schemas[ref]) schemas[ref] = mergeObject(schemas[ref], rule, extraRequired);
  else media.schema = mergeObject(media.schema, rule, extraRequired);
  for (const [name, component] of Object.entries(components)) {
    schemas[name] = schemas[name] ? mergeObject(schemas[name], component) : component;
  }
}

/** Body examples name the example tenant, so "Try it out" runs them as they are even with a service key. */
function nameTheTenant(operation: Operation): void {
  const media = operation.requestBody?.content?.['application/json'] as { examples?: Record<string, { value?: unknown }> } | undefined;
  for (const example of Object.values(media?.examples ?? {})) {
    const value = example.value;
    if (value && typeof value === 'object' && !Array.isArray(value) && !('tenant_id' in value)) {
      example.value = { ...value, tenant_id: EXAMPLE_TENANT };
    }
  }
}

/** A field the pipe accepts as anything (only @IsOptional on it). */
function isOpen(field: Schema): boolean {
  return Object.keys(field).length === 0;
}

/** The statuses every route of a kind can answer, whatever its handler does. */
function statusesOf(operation: Operation, route: RouteFacts): number[] {
  const statuses: number[] = [];
  if (!route.isPublic) statuses.push(401, 403);
  // The tenant's rate limit and plan apply to every request that names a tenant (a tenant key always does).
  if (!route.isPublic && !route.serviceKeyOnly) statuses.push(429, 503);
  if (route.tenantScoped || route.query) statuses.push(422);
  if (operation.requestBody) statuses.push(400, 413, 422);
  return statuses;
}

function documentProblems(operation: Operation, route: RouteFacts, path: string): void {
  for (const status of statusesOf(operation, route)) {
    operation.responses[String(status)] ??= {
      description: PROBLEM_DESCRIPTIONS[status],
      content: { [PROBLEM]: { schema: { $ref: '#/components/schemas/ProblemDto' } } },
    };
  }
  const instance = path.replace(/\{(\w+)\}/g, (_match, name: string) =>
    name === 'id' ? '7d0f6a8e-2f9c-4a49-9d8e-3f0f7e0c1b2a' : EXAMPLE_TENANT,
  );
  for (const [code, response] of Object.entries(operation.responses)) {
    const media = response.content?.[PROBLEM];
    if (!media || media.example !== undefined || media.examples !== undefined) continue;
    const example = problemExample(Number(code), route, instance);
    media.examples = { [slugOf(example.value.type)]: example };
  }
  operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)));
}

function slugOf(type: unknown): string {
  return typeof type === 'string' ? type.slice(type.lastIndexOf(':') + 1) : 'problem';
}
