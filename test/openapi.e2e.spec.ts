import { Validator } from '@seriousme/openapi-schema-validator';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

interface Operation {
  summary?: string;
  tags?: string[];
  responses: Record<string, { description?: string; content?: Record<string, { schema?: { $ref?: string } }> }>;
}

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

function operations(document: OpenApiDocument): { key: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ key: `${method.toUpperCase()} ${path}`, operation: item[method] }] : [])),
  );
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

  it('every operation has a summary, a tag, a success response and at least one documented error response', () => {
    const all = operations(document);
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const { key, operation } of all) {
      expect(operation.summary?.trim(), key).toBeTruthy();
      expect(operation.tags?.length, key).toBeGreaterThan(0);
      const statuses = Object.keys(operation.responses);
      expect(
        statuses.some((status) => /^2\d\d$/.test(status)),
        `${key} success response`,
      ).toBe(true);
      expect(
        statuses.some((status) => /^[45]\d\d$/.test(status)),
        `${key} error response`,
      ).toBe(true);
      for (const status of statuses.filter((code) => /^[45]\d\d$/.test(code))) {
        expect(operation.responses[status].description, `${key} ${status}`).toBeTruthy();
      }
    }
  });

  it('task routes document their precise problem+json errors', () => {
    const expected: Record<string, string[]> = {
      'POST /api/crew/execute': ['400', '413', '422', '503'],
      'GET /api/crew/task/{id}': ['404', '422'],
      'DELETE /api/crew/task/{id}': ['404', '409', '422'],
      'GET /api/crew/tasks': ['422'],
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

  it('the execute body schema is snake_case with the contract limits', () => {
    const schema = document.components.schemas.ExecuteTaskDto as {
      required?: string[];
      properties: Record<string, { minimum?: number; maximum?: number; maxLength?: number; pattern?: string }>;
    };
    expect(schema.required).toEqual(expect.arrayContaining(['type', 'description']));
    expect(schema.properties.priority).toMatchObject({ minimum: 1, maximum: 10 });
    expect(schema.properties.timeout).toMatchObject({ minimum: 1, maximum: 3600 });
    expect(schema.properties.description).toMatchObject({ maxLength: 5000 });
    expect(schema.properties.type.pattern).toBe('^[a-z][a-z0-9_]{1,99}$');
    for (const name of Object.keys(schema.properties)) expect(name, name).toMatch(/^[a-z][a-z0-9_]*$/);
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
