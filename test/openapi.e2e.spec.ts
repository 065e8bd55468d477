import { Validator } from '@seriousme/openapi-schema-validator';
import { Document, Spectral } from '@stoplight/spectral-core';
import * as Parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

type Schema = Record<string, any>;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
  schema?: Schema;
}

interface Media {
  schema?: Schema;
  example?: any;
  examples?: Record<string, { summary?: string; value: any }>;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description?: string; content?: Record<string, Media> }>;
}

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  servers?: { url: string }[];
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Schema> };
}

/** Routes that need no API key: the probes and Prometheus (the docs pages are not operations). */
const PUBLIC = ['GET /api/crew/health', 'GET /api/crew/health/live', 'GET /api/crew/health/ready', 'GET /metrics'];

/** Routes whose handler resolves a tenant (X-Tenant-ID, or tenant_id in the body or query). */
const TENANT_SCOPED = [
  'POST /api/crew/execute',
  'POST /api/crew/delegation/analyze',
  'GET /api/crew/task/{id}',
  'DELETE /api/crew/task/{id}',
  'GET /api/crew/task/{id}/events',
  'GET /api/crew/tasks',
  'POST /api/crew/brain/handle-request',
  'POST /api/crew/crm/lead-scoring',
  'POST /api/crew/crm/customer-segmentation',
  'POST /api/crew/crm/nurturing-campaign',
  'POST /api/crew/crm/pipeline-optimization',
  'POST /api/crew/crm/comprehensive-analysis',
];

function operations(document: OpenApiDocument): { key: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ key: `${method.toUpperCase()} ${path}`, path, operation: item[method] }] : [])),
  );
}

async function lint(document: unknown): Promise<{ code: string | number; severity: number; path: string; message: string }[]> {
  const spectral = new Spectral();
  spectral.setRuleset({ extends: [oas] } as never);
  const results = await spectral.run(new Document(JSON.stringify(document), Parsers.Json, 'openapi.json'));
  return results.map((result) => ({ code: result.code, severity: result.severity, path: result.path.join('.'), message: result.message }));
}

/** A value the schema refuses (undefined when it refuses nothing this helper knows how to break). */
function violation(schema: Schema): unknown {
  if (Array.isArray(schema.enum)) return 'not_one_of_them';
  if (schema.type === 'integer') return typeof schema.maximum === 'number' ? schema.maximum + 1 : 1.5;
  if (schema.type === 'number' && typeof schema.maximum === 'number') return schema.maximum + 1;
  if (schema.type === 'string' && typeof schema.maxLength === 'number') return 'x'.repeat(schema.maxLength + 1);
  if (schema.type === 'string' && typeof schema.pattern === 'string') return '!!';
  if (schema.type === 'string') return 42;
  if (schema.type === 'boolean') return 'yes';
  if (schema.type === 'object') return ['not', 'an', 'object'];
  if (schema.type === 'array') return 'not an array';
  return undefined;
}

describe('OpenAPI document and Swagger UI', () => {
  let testApp: TestApp;
  let document: OpenApiDocument;
  const http = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    testApp = await createTestApp();
    const response = await http().get('/api/crew/docs-json').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    document = response.body as OpenApiDocument;
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('is a valid OpenAPI document according to a real validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'AI Crew System', version: '0.1.0' });
  });

  it('the validator is not a rubber stamp: a broken copy fails', async () => {
    const broken = structuredClone(document) as unknown as Record<string, unknown>;
    (broken.paths as Record<string, unknown>)['/api/crew/execute'] = { post: { responses: 'none' } };
    const result = await new Validator().validate(broken);
    expect(result.valid).toBe(false);
  });

  it('Spectral (spectral:oas) finds no error and no warning', async () => {
    const findings = await lint(document);
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });

  it('Spectral is not a rubber stamp: a missing description and a mistyped example are reported', async () => {
    const broken = structuredClone(document);
    delete broken.paths['/api/crew/tasks'].get!.description;
    broken.components.schemas.ExecuteTaskDto.properties.priority.example = 'high';
    const codes = (await lint(broken)).map((finding) => `${finding.code} ${finding.path}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'operation-description paths./api/crew/tasks.get',
        'oas3-valid-schema-example components.schemas.ExecuteTaskDto.properties.priority.example',
      ]),
    );
  });

  it('documents the task, system and health routes', () => {
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/crew/execute',
        '/api/crew/task/{id}',
        '/api/crew/tasks',
        '/api/crew/catalogue',
        '/api/crew/health',
        '/api/crew/health/live',
        '/api/crew/health/ready',
      ]),
    );
    expect(document.paths['/api/crew/task/{id}']).toHaveProperty('get');
    expect(document.paths['/api/crew/task/{id}']).toHaveProperty('delete');
  });

  it('every operation has a summary, a description, a tag, a success response and documented errors', () => {
    const all = operations(document);
    expect(all.length).toBeGreaterThanOrEqual(25);
    for (const { key, operation } of all) {
      expect(operation.summary?.trim(), key).toBeTruthy();
      expect(operation.description?.trim(), key).toBeTruthy();
      expect(operation.tags?.length, key).toBeGreaterThan(0);
      const statuses = Object.keys(operation.responses);
      expect(
        statuses.some((status) => /^2\d\d$/.test(status)),
        `${key} success response`,
      ).toBe(true);
      for (const status of statuses.filter((code) => /^[45]\d\d$/.test(code))) {
        expect(operation.responses[status].description, `${key} ${status}`).toBeTruthy();
      }
    }
  });

  it('servers is the origin the page came from, so "Try it out" calls this server', () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('the key schemes: a bearer token that is not called a JWT, and the X-API-Key header', () => {
    const schemes = document.components.securitySchemes;
    expect(Object.keys(schemes).sort()).toEqual(['api-key', 'bearer']);
    expect(schemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.bearer.bearerFormat).toBeUndefined();
    expect(schemes.bearer.description).toMatch(/CREW_API_KEYS.*not a JWT/);
    expect(schemes['api-key']).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }));
  });

  it('every operation declares its security: both key schemes, or none on the public list', () => {
    const found: string[] = [];
    for (const { key, operation } of operations(document)) {
      if (PUBLIC.includes(key)) {
        expect(operation.security, key).toEqual([]);
        found.push(key);
      } else {
        expect(operation.security, key).toEqual([{ bearer: [] }, { 'api-key': [] }]);
        expect(operation.responses['401'], `${key} 401`).toBeDefined();
        expect(operation.responses['403'], `${key} 403`).toBeDefined();
      }
    }
    expect(found.sort()).toEqual([...PUBLIC].sort());
  });

  it('X-Tenant-ID is declared exactly on the routes that resolve a tenant, with its pattern and an example', () => {
    for (const { key, operation } of operations(document)) {
      const headers = (operation.parameters ?? []).filter((p) => p.in === 'header' && p.name.toLowerCase() === 'x-tenant-id');
      if (!TENANT_SCOPED.includes(key)) {
        expect(headers, key).toEqual([]);
        continue;
      }
      expect(headers, key).toHaveLength(1);
      expect(headers[0]).toMatchObject({ name: 'X-Tenant-ID', required: false, example: 'client_123' });
      expect(headers[0].schema).toMatchObject({ type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$' });
      expect(operation.responses['422'], `${key} 422`).toBeDefined();
      expect(operation.responses['429'], `${key} 429`).toBeDefined();
    }
  });

  it('every problem answer has an example of its own whose status is the response status', () => {
    for (const { key, operation } of operations(document)) {
      const values = new Set<string>();
      for (const [status, response] of Object.entries(operation.responses)) {
        const media = response.content?.['application/problem+json'];
        if (!/^[45]\d\d$/.test(status) || !media) continue;
        expect(media.schema?.$ref, `${key} ${status}`).toBe('#/components/schemas/ProblemDto');
        const examples = Object.values(media.examples ?? {});
        expect(examples.length, `${key} ${status}`).toBeGreaterThan(0);
        for (const { value } of examples) {
          expect(value, `${key} ${status}`).toMatchObject({ status: Number(status), type: expect.stringMatching(/^urn:ai-crew:problem:/) });
          expect(typeof value.detail, `${key} ${status}`).toBe('string');
          values.add(JSON.stringify(value));
        }
      }
      // No two statuses share an example.
      const documented = Object.entries(operation.responses).filter(
        ([status, response]) => /^[45]\d\d$/.test(status) && response.content?.['application/problem+json'],
      );
      expect(values.size, key).toBe(documented.length);
    }
    // 4xx problem answers of every route that takes a body.
    const execute = document.paths['/api/crew/execute'].post!;
    for (const status of ['400', '402', '413', '422', '503']) expect(execute.responses[status], status).toBeDefined();
  });

  it('the 202 examples show a queued task, not a finished one', () => {
    const accepted = operations(document).filter(({ operation }) => operation.responses['202']);
    expect(accepted.map(({ key }) => key)).toEqual(expect.arrayContaining(['POST /api/crew/execute', 'POST /api/crew/crm/lead-scoring']));
    for (const { key, operation } of accepted) {
      const media = operation.responses['202'].content?.['application/json'];
      const example = media?.example ?? Object.values(media?.examples ?? {})[0]?.value;
      expect(example, key).toBeDefined();
      expect(example.status, key).toBe('pending');
      expect(example.result ?? null, key).toBeNull();
    }
  });

  it('task routes document their precise problem+json errors', () => {
    const expected: Record<string, string[]> = {
      'POST /api/crew/execute': ['400', '401', '403', '413', '422', '429', '503'],
      'GET /api/crew/task/{id}': ['401', '403', '404', '422', '429'],
      'DELETE /api/crew/task/{id}': ['404', '409', '422'],
      'GET /api/crew/tasks': ['422'],
      'GET /api/crew/status': ['401', '403', '503'],
    };
    const byKey = new Map(operations(document).map(({ key, operation }) => [key, operation]));
    for (const [key, statuses] of Object.entries(expected)) {
      const operation = byKey.get(key);
      expect(operation, key).toBeDefined();
      for (const status of statuses) {
        const response = operation?.responses[status];
        expect(response, `${key} ${status}`).toBeDefined();
        expect(response?.content?.['application/problem+json']?.schema?.$ref, `${key} ${status}`).toBe('#/components/schemas/ProblemDto');
      }
    }
    // A service-key route is not tenant traffic: no rate limit there.
    expect(byKey.get('GET /api/crew/status')?.responses['429']).toBeUndefined();
    expect(Object.keys(document.components.schemas.ProblemDto.properties ?? {})).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'request_id', 'errors']),
    );
  });

  it('health routes document the 503 Terminus answer', () => {
    const byKey = new Map(operations(document).map(({ key, operation }) => [key, operation]));
    for (const key of ['GET /api/crew/health', 'GET /api/crew/health/ready']) {
      expect(byKey.get(key)?.responses['503'], key).toBeDefined();
    }
  });

  it('the execute body schema is snake_case, closed, with the validator’s types and limits', () => {
    const schema = document.components.schemas.ExecuteTaskDto;
    expect(schema.required).toEqual(expect.arrayContaining(['type', 'description']));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.priority).toMatchObject({ type: 'integer', minimum: 1, maximum: 10 });
    expect(schema.properties.timeout).toMatchObject({ type: 'integer', minimum: 1, maximum: 3600 });
    expect(schema.properties.data_volume).toMatchObject({ type: 'integer', minimum: 0, maximum: 1_000_000_000 });
    expect(schema.properties.description).toMatchObject({ type: 'string', minLength: 1, maxLength: 5000 });
    expect(schema.properties.user_id).toMatchObject({ type: 'string', maxLength: 200 });
    expect(schema.properties.type.pattern).toBe('^[a-z][a-z0-9_]{1,99}$');
    for (const name of Object.keys(schema.properties)) expect(name, name).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('CRM bodies carry the types their task types validate (no field typed object that is a number or a string)', () => {
    const schemas = document.components.schemas;
    expect(schemas.SegmentationBody.properties.segment_count).toMatchObject({ type: 'integer', minimum: 1, maximum: 10 });
    expect(schemas.NurturingCampaignBody.properties.duration_days).toMatchObject({ type: 'integer' });
    expect(schemas.NurturingCampaignBody.properties.campaign_objective).toMatchObject({ type: 'string' });
    expect(schemas.NurturingCampaignBody.properties.start_date).toMatchObject({ type: 'string' });
    expect(schemas.NurturingCampaignBody.required).toEqual(expect.arrayContaining(['lead_segments', 'campaign_objective']));
    for (const name of [
      'LeadScoringBody',
      'SegmentationBody',
      'NurturingCampaignBody',
      'PipelineOptimizationBody',
      'ComprehensiveAnalysisBody',
    ]) {
      expect(schemas[name].additionalProperties, name).toBe(false);
      expect(schemas[name].properties.tenant_id, name).toMatchObject({ type: 'string' });
    }
  });

  it('query parameters carry the validator’s types and limits', () => {
    const list = document.paths['/api/crew/tasks'].get!.parameters!;
    expect(list.find((p) => p.name === 'limit')).toMatchObject({
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 100 },
    });
    expect(list.find((p) => p.name === 'cursor')?.schema).toMatchObject({ type: 'string', maxLength: 200 });
    const toggle = document.paths['/api/crew/config/monitoring'].post!.parameters!;
    expect(toggle.find((p) => p.name === 'active')).toMatchObject({ in: 'query', required: true, schema: { type: 'boolean' } });
  });

  it('what the document refuses in the execute body, the server refuses with a 422 naming the field', async () => {
    const schema = document.components.schemas.ExecuteTaskDto;
    const base = { type: 'get_task_list', description: 'List my recent tasks', tenant_id: 'client_123' };
    let checked = 0;
    for (const [name, field] of Object.entries(schema.properties as Record<string, Schema>)) {
      const bad = violation(field);
      if (bad === undefined) continue;
      const response = await http()
        .post('/api/crew/execute')
        .send({ ...base, [name]: bad });
      expect(response.status, `${name}=${JSON.stringify(bad).slice(0, 40)}`).toBe(422);
      expect(
        response.body.errors.map((error: { field: string }) => error.field),
        name,
      ).toContain(name);
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
    const unknown = await http()
      .post('/api/crew/execute')
      .send({ ...base, not_a_field: 1 });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ field: 'not_a_field', message: 'is not an allowed field' }]);
  });

  it('what the document refuses in a CRM body, the server refuses with a 422 naming the field', async () => {
    const schema = document.components.schemas.NurturingCampaignBody;
    const base = { lead_segments: ['warm_leads'], campaign_objective: 'Convert prospects to demos', tenant_id: 'client_123' };
    for (const name of ['duration_days', 'campaign_objective', 'touchpoint_frequency', 'tenant_id']) {
      const bad = violation(schema.properties[name]);
      const response = await http()
        .post('/api/crew/crm/nurturing-campaign')
        .send({ ...base, [name]: bad });
      expect(response.status, `${name}=${JSON.stringify(bad)}`).toBe(422);
      expect(
        response.body.errors.map((error: { field: string }) => error.field),
        name,
      ).toContain(name);
    }
  });

  it('the pre-filled request examples run as they are (they name a tenant)', async () => {
    const routes = [
      '/api/crew/execute',
      '/api/crew/crm/lead-scoring',
      '/api/crew/crm/nurturing-campaign',
      '/api/crew/crm/pipeline-optimization',
    ];
    for (const path of routes) {
      const media = document.paths[path].post!.requestBody!.content['application/json'];
      const examples = Object.entries(media.examples ?? {}).filter(([name]) => name !== 'stored');
      expect(examples.length, path).toBeGreaterThan(0);
      for (const [name, { value }] of examples) {
        expect(value.tenant_id, `${path} ${name}`).toBe('client_123');
        const response = await http().post(path).send(value);
        expect([200, 202], `${path} ${name}: ${JSON.stringify(response.body).slice(0, 300)}`).toContain(response.status);
      }
    }
  });

  it('GET /api/crew/docs serves the Swagger UI page', async () => {
    const response = await http().get('/api/crew/docs').redirects(1).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('<title>AI Crew System API</title>');
    expect(response.text).toMatch(/swagger-ui/i);
    const init = await http().get('/api/crew/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('"openapi"');
  });
});
