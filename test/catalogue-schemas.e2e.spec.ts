import { Ajv, type ValidateFunction } from 'ajv';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

type Schema = Record<string, unknown>;

interface CatalogueEntry {
  type: string;
  parameters_schema: Schema;
  result_schema: Schema;
}

const TENANT = 'catalogue-schemas';

const COMBINATORS = ['oneOf', 'anyOf', 'allOf'] as const;

function isSchemaObject(node: unknown): node is Schema {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** Why a schema node says too little about its value, or undefined when it says what the value is. */
function vagueness(node: unknown): string | undefined {
  if (node === true) return 'true (anything)';
  if (!isSchemaObject(node)) return undefined;
  if (Object.keys(node).length === 0) return '{} (anything)';
  if (typeof node.$ref === 'string' || 'enum' in node || 'const' in node || COMBINATORS.some((key) => key in node)) return undefined;
  const types = ([] as unknown[]).concat(node.type ?? []);
  if (types.length === 0) return 'no type';
  if (types.includes('object')) {
    const properties = isSchemaObject(node.properties) ? Object.keys(node.properties).length : 0;
    const extra = node.additionalProperties;
    if (extra === true || (isSchemaObject(extra) && Object.keys(extra).length === 0)) return 'object whose other fields may hold anything';
    if (properties === 0 && !isSchemaObject(extra) && extra !== false && !isSchemaObject(node.patternProperties))
      return 'object without properties or additionalProperties';
  }
  if (types.includes('array') && !isSchemaObject(node.items) && !Array.isArray(node.prefixItems)) return 'array without items';
  return undefined;
}

/** Every schema node under `node` (properties, items, additionalProperties, combinators, $defs) with its path. */
function* schemaNodes(node: unknown, path: string): Generator<[string, unknown]> {
  yield [path, node];
  if (!isSchemaObject(node)) return;
  for (const key of ['properties', 'patternProperties', '$defs', 'definitions']) {
    const children = node[key];
    if (isSchemaObject(children)) for (const [name, child] of Object.entries(children)) yield* schemaNodes(child, `${path}/${key}/${name}`);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'contains']) {
    if (isSchemaObject(node[key]) || node[key] === true) yield* schemaNodes(node[key], `${path}/${key}`);
  }
  for (const key of [...COMBINATORS, 'prefixItems']) {
    const list = node[key];
    if (Array.isArray(list)) for (const [index, child] of list.entries()) yield* schemaNodes(child, `${path}/${key}/${index}`);
  }
}

/** Problems of one schema: `path: why`. */
function vagueNodes(schema: Schema): string[] {
  const problems: string[] = [];
  for (const [path, node] of schemaNodes(schema, '#')) {
    const why = vagueness(node);
    if (why) problems.push(`${path}: ${why}`);
  }
  return problems;
}

describe('the schemas of GET /api/crew/catalogue', () => {
  let testApp: TestApp;
  let entries: Map<string, CatalogueEntry>;
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const compiled = new Map<Schema, ValidateFunction>();
  const validatorOf = (schema: Schema): ValidateFunction => {
    let validate = compiled.get(schema);
    if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
    return validate;
  };
  const http = () => request(testApp.app.getHttpServer());
  const errorsOf = (schema: Schema, value: unknown): string[] => {
    const validate = validatorOf(schema);
    return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? ''}`);
  };
  const entry = (type: string): CatalogueEntry => {
    const found = entries.get(type);
    if (!found) throw new Error(`${type} is not in the catalogue`);
    return found;
  };

  beforeAll(async () => {
    testApp = await createTestApp();
    const response = await http().get('/api/crew/catalogue').expect(200);
    const domains: Record<string, CatalogueEntry[]> = response.body.domains;
    entries = new Map(
      Object.values(domains)
        .flat()
        .map((item) => [item.type, item]),
    );
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('the walker finds what it must refuse', () => {
    expect(vagueNodes({ type: 'object', properties: { a: {}, b: { type: 'array' }, c: { type: 'object' } } })).toEqual([
      '#/properties/a: {} (anything)',
      '#/properties/b: array without items',
      '#/properties/c: object without properties or additionalProperties',
    ]);
    expect(vagueNodes({ type: 'object', additionalProperties: true })).toEqual([
      '#: object whose other fields may hold anything',
      '#/additionalProperties: true (anything)',
    ]);
    expect(vagueNodes({ oneOf: [{ type: 'array', items: { type: 'object', additionalProperties: {} } }] })).toEqual([
      '#/oneOf/0/items: object whose other fields may hold anything',
      '#/oneOf/0/items/additionalProperties: {} (anything)',
    ]);
    expect(vagueNodes({ type: 'object', additionalProperties: { type: 'integer' } })).toEqual([]);
  });

  it('describes every field and item of every parameter and result schema', () => {
    expect(entries.size).toBeGreaterThan(70);
    const problems: string[] = [];
    for (const item of entries.values()) {
      for (const which of ['parameters_schema', 'result_schema'] as const) {
        for (const problem of vagueNodes(item[which])) problems.push(`${item.type} ${which} ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every schema compiles', () => {
    for (const item of entries.values()) {
      expect(() => validatorOf(item.parameters_schema), `${item.type} parameters`).not.toThrow();
      expect(() => validatorOf(item.result_schema), `${item.type} result`).not.toThrow();
    }
  });

  // The bulk routes: a sample body fits the published schema, the service accepts it, and its answer fits the result schema.
  const README_CUSTOMER = { customer_id: 'cust_001', ltv: 15000, engagement_score: 92, churn_risk: 0.1 };
  const CUSTOMERS = [
    README_CUSTOMER,
    { customer_id: 'cust_002', ltv: 12000, engagement_score: 85, churn_risk: 0.15, recency: 3, tenure: 700, support_tickets: 1 },
    { customer_id: 'cust_003', ltv: 800, engagement_score: 30, churn_risk: 0.7, recency: 60, tenure: 90, payment_failures: 2 },
    { customer_id: 'cust_004', ltv: null, engagement_score: 20, churn_risk: 0.85, region: 'emea' },
    { customer_id: 5, ltv: 4000, engagement_score: 60, churn_risk: 0.3 },
  ];
  const README_LEAD = { email: 'prospect@company.com', company: 'TechCorp Inc', role: 'CTO', engagement_score: 85, website_visits: 12 };

  it.each([
    {
      route: 'crm/customer-segmentation',
      type: 'crm_customer_segmentation',
      // The reference README's body, as written (one customer, segment_count 5 — its shape fits; the count is a cross-field rule).
      readme: { customer_data: [README_CUSTOMER], segmentation_type: 'behavioral', segment_count: 5 },
      body: { customer_data: CUSTOMERS, segmentation_type: 'behavioral', segment_count: 3 },
      refused: { customer_data: [{ ...README_CUSTOMER, ltv: -1 }] },
      field: 'customer_data[0].ltv',
    },
    {
      route: 'crm/comprehensive-analysis',
      type: 'comprehensive_crm_analysis',
      readme: { leads: [README_LEAD], customers: [README_CUSTOMER] },
      body: {
        leads: [README_LEAD, { email: 'ops@bigcorp.example', role: 'VP Sales', company_size: '1000+', demo_requested: true, score: 85 }],
        customers: CUSTOMERS,
        pipeline: {
          stages: { lead: 200, qualified: 80, proposal: 40, negotiation: 20 },
          conversion_rates: { lead: 0.4, qualified: 0.5, proposal: 0.5, negotiation: 0.5 },
          average_deal_size: 25000,
          sales_cycle_length: 45,
        },
        campaigns: { campaign_objective: 'Convert prospects to demos', duration_days: 30, touchpoint_frequency: 'weekly' },
        scoring_criteria: { engagement_weight: 0.3, demographic_weight: 0.4, behavior_weight: 0.3 },
      },
      refused: { customers: [{ ...README_CUSTOMER, engagement_score: 101 }] },
      field: 'customers[0].engagement_score',
    },
  ])('POST /api/crew/$route: a sample body fits the published schema, and the answer fits the result schema', async (sample) => {
    const { parameters_schema: parameters, result_schema: result } = entry(sample.type);
    expect(errorsOf(parameters, sample.readme)).toEqual([]);
    expect(errorsOf(parameters, sample.body)).toEqual([]);
    const response = await http().post(`/api/crew/${sample.route}`).set('X-Tenant-ID', TENANT).send(sample.body).expect(200);
    expect(response.body.status).toBe('completed');
    expect(errorsOf(result, response.body.result)).toEqual([]);
    // What the schema refuses, the service refuses too, naming the field.
    expect(errorsOf(parameters, sample.refused)).not.toEqual([]);
    const refused = await http().post(`/api/crew/${sample.route}`).set('X-Tenant-ID', TENANT).send(sample.refused).expect(422);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toContain(sample.field);
  });

  it('POST /api/crew/execute analyze_customer_churn: sample parameters fit the published schema, and the answer fits the result schema', async () => {
    const { parameters_schema: parameters, result_schema: result } = entry('analyze_customer_churn');
    const sample = {
      customer_data: [
        { customer_id: 'quiet' },
        { customer_id: 'failing', ltv: 1000, payment_failures: 3, last_activity_at: '2026-10-01T00:00:00Z', engagement_trend: -12 },
        { customer_id: 7, ltv: 5000, days_since_last_activity: 40, support_tickets: 4, tenure_days: 30, churn_risk: null, plan: 'pro' },
      ],
      top_n: 2,
    };
    expect(errorsOf(parameters, sample)).toEqual([]);
    const response = await http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', TENANT)
      .send({ type: 'analyze_customer_churn', description: 'Churn', parameters: sample })
      .expect(200);
    expect(response.body.status).toBe('completed');
    expect(errorsOf(result, response.body.result)).toEqual([]);
    const refusedSample = { customer_data: [{ customer_id: 'x', support_tickets: -1 }] };
    expect(errorsOf(parameters, refusedSample)).not.toEqual([]);
    const refused = await http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', TENANT)
      .send({ type: 'analyze_customer_churn', description: 'Churn', parameters: refusedSample })
      .expect(422);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toContain('parameters.customer_data[0].support_tickets');
  });
});
