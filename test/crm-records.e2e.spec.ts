import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'crm-records';
const OTHER = 'crm-records-other';

describe('CRM records: customers, leads and deals as direct_db task types', () => {
  let testApp: TestApp;
  const execute = (type: string, parameters: Record<string, unknown>, tenant = TENANT, extra: Record<string, unknown> = {}) =>
    request(testApp.app.getHttpServer())
      .post('/api/crew/execute')
      .set('X-Tenant-ID', tenant)
      .send({ type, description: `Run ${type}`, parameters, ...extra });
  /** Runs a task that must complete; answers its result. */
  const ok = async (type: string, parameters: Record<string, unknown>, tenant = TENANT): Promise<Record<string, any>> => {
    const response = await execute(type, parameters, tenant).expect(200);
    expect(response.body.status, JSON.stringify(response.body.error)).toBe('completed');
    expect(response.body.strategy_used).toBe('direct_db');
    return response.body.result as Record<string, any>;
  };
  /** Runs a task that must fail; answers its error. */
  const failed = async (type: string, parameters: Record<string, unknown>, tenant = TENANT): Promise<string> => {
    const response = await execute(type, parameters, tenant).expect(200);
    expect(response.body).toMatchObject({ status: 'failed', result: null, guidance: expect.any(String) });
    return response.body.error as string;
  };

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  describe('customers', () => {
    let id: string;

    it('creates, reads (by id and external_id), updates, lists and deletes a customer', async () => {
      const created = await ok('create_customer', {
        external_id: 'cust_001',
        name: 'Acme GmbH',
        email: 'ops@acme.example',
        company: 'Acme',
        ltv: 15000.456,
        engagement_score: 92,
        churn_risk: 0.1,
        last_activity_at: '2026-01-15T10:00:00Z',
        recency: 12,
        frequency: 7,
        monetary: 2400,
        tenure: 400,
        support_tickets: 1,
        payment_failures: 0,
        attributes: { plan: 'pro', seats: 12 },
      });
      id = created.id as string;
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        external_id: 'cust_001',
        name: 'Acme GmbH',
        email: 'ops@acme.example',
        company: 'Acme',
        ltv: 15000.46,
        engagement_score: 92,
        churn_risk: 0.1,
        engagement_trend: null,
        last_activity_at: '2026-01-15T10:00:00.000Z',
        recency: 12,
        frequency: 7,
        monetary: 2400,
        tenure: 400,
        support_tickets: 1,
        payment_failures: 0,
        attributes: { plan: 'pro', seats: 12 },
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(await ok('get_customer', { id })).toEqual(created);
      expect(await ok('get_customer', { external_id: 'cust_001' })).toEqual(created);

      const updated = await ok('update_customer', { id, ltv: 18000, email: null, churn_risk: 0.4 });
      expect(updated).toMatchObject({ id, name: 'Acme GmbH', ltv: 18000, email: null, churn_risk: 0.4, engagement_score: 92 });
      expect(Date.parse(updated.updated_at as string)).toBeGreaterThanOrEqual(Date.parse(created.updated_at as string));
      const byExternal = await ok('update_customer', { external_id: 'cust_001', engagement_trend: -20 });
      expect(byExternal).toMatchObject({ id, engagement_trend: -20, ltv: 18000 });

      const page = await ok('get_customer_list', { search: 'acme' });
      expect(page).toMatchObject({ total: 1, limit: 20, offset: 0, next_offset: null, next_cursor: null });
      expect(page.items.map((item: { id: string }) => item.id)).toEqual([id]);

      expect(await ok('delete_customer', { id })).toEqual({ deleted: true, id, external_id: 'cust_001' });
      expect(await failed('get_customer', { id })).toBe(
        `No customer ${id} for this tenant. get_customer_list lists the tenant's customers; check the id and the tenant.`,
      );
    });

    it("never shows or changes another tenant's customer: it is not found", async () => {
      const mine = await ok('create_customer', { external_id: 'shared_ext', name: 'Mine', ltv: 100 });
      const notFound = `No customer ${mine.id} for this tenant. get_customer_list lists the tenant's customers; check the id and the tenant.`;
      expect(await failed('get_customer', { id: mine.id }, OTHER)).toBe(notFound);
      expect(await failed('update_customer', { id: mine.id, ltv: 1 }, OTHER)).toBe(notFound);
      expect(await failed('delete_customer', { id: mine.id }, OTHER)).toBe(notFound);
      expect(await failed('get_customer', { external_id: 'shared_ext' }, OTHER)).toMatch(
        /^No customer with external_id "shared_ext" for this tenant/,
      );
      expect((await ok('get_customer_list', {}, OTHER)).total).toBe(0);
      // The same external_id is free in another tenant.
      expect((await ok('create_customer', { external_id: 'shared_ext', name: 'Theirs' }, OTHER)).name).toBe('Theirs');
      expect(await ok('get_customer', { id: mine.id })).toMatchObject({ name: 'Mine', ltv: 100 });
    });

    it('refuses a second customer with the same external_id (409 recorded on the task)', async () => {
      await ok('create_customer', { external_id: 'dup_1', name: 'First' });
      expect(await failed('create_customer', { external_id: 'dup_1', name: 'Second' })).toBe(
        'A customer with external_id "dup_1" already exists for this tenant; update it (update_customer) or use another external_id.',
      );
      const other = await ok('create_customer', { external_id: 'dup_2', name: 'Other' });
      expect(await failed('update_customer', { id: other.id, external_id: 'dup_1' })).toMatch(
        /^A customer with external_id "dup_1" already exists/,
      );
    });

    it('pages by cursor and by offset, newest first, with the total', async () => {
      const tenant = 'crm-records-paging';
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await ok('create_customer', { name: `Customer ${i}`, ltv: i * 1000 }, tenant)).id as string);
      const newestFirst = [...ids].reverse();
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pageNo = 0; pageNo < 3; pageNo++) {
        const page = await ok('get_customer_list', { limit: 2, ...(cursor ? { cursor } : {}) }, tenant);
        expect(page.total).toBe(5);
        seen.push(...page.items.map((item: { id: string }) => item.id));
        cursor = page.next_cursor ?? undefined;
        if (pageNo < 2) expect(cursor).toEqual(expect.any(String));
        else expect(page.next_cursor).toBeNull();
      }
      expect(seen).toEqual(newestFirst);
      const byOffset = await ok('get_customer_list', { limit: 2, offset: 2 }, tenant);
      expect(byOffset).toMatchObject({ total: 5, offset: 2, next_offset: 4 });
      expect(byOffset.items.map((item: { id: string }) => item.id)).toEqual(newestFirst.slice(2, 4));
      const filtered = await ok('get_customer_list', { min_ltv: 1000, max_ltv: 3000 }, tenant);
      expect(filtered.total).toBe(3);
      expect(filtered.items.map((item: { ltv: number }) => item.ltv)).toEqual([3000, 2000, 1000]);
    });

    it.each([
      ['create_customer', {}, 'parameters.name', /name must be a string/],
      ['create_customer', { name: 'X', churn_risk: 2 }, 'parameters.churn_risk', /churn_risk must not be greater than 1/],
      ['create_customer', { name: 'X', email: 'nope' }, 'parameters.email', /email must be an email/],
      ['create_customer', { name: 'X', recency: 1.5 }, 'parameters.recency', /recency must be an integer number/],
      ['create_customer', { name: 'X', last_activity_at: 'yesterday' }, 'parameters.last_activity_at', /ISO 8601/],
      ['create_customer', { name: 'X', plan: 'pro' }, 'parameters.plan', /is not an allowed field/],
      ['update_customer', { ltv: 1 }, 'parameters.id', /give id \(or external_id\) of the record to change/],
      ['update_customer', { id: '6b3f1c7e-8a43-4f4e-9d55-4b1b7f1a2c3d' }, 'parameters', /give at least one customer field to change/],
      ['update_customer', { id: '6b3f1c7e-8a43-4f4e-9d55-4b1b7f1a2c3d', name: null }, 'parameters.name', /^must not be null$/],
      ['get_customer', {}, 'parameters.id', /give id or external_id/],
      ['get_customer', { id: 'not-a-uuid' }, 'parameters.id', /id must be a UUID/],
      ['delete_customer', { id: '6b3f1c7e-8a43-4f4e-9d55-4b1b7f1a2c3d', external_id: 'x' }, 'parameters.external_id', /not both/],
      ['get_customer_list', { limit: 101 }, 'parameters.limit', /limit must not be greater than 100/],
      ['get_customer_list', { cursor: 'garbage' }, 'parameters.cursor', /is not a cursor from a previous page/],
      ['get_customer_list', { offset: 2, cursor: 'x' }, 'parameters.cursor', /use either cursor or offset, not both/],
      ['get_customer_list', { min_ltv: 10, max_ltv: 5 }, 'parameters.min_ltv', /must not exceed max_ltv/],
    ])('%s %j answers 422 on %s', async (type, parameters, field, message) => {
      const response = await execute(type, parameters).expect(422);
      expect(response.body.status).toBe(422);
      const messages = (response.body.errors as { field: string; message: string }[])
        .filter((entry) => entry.field === field)
        .map((entry) => entry.message);
      expect(messages, JSON.stringify(response.body.errors)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    });

    it('routes the README CRUD example (get_customer_list, 500 rows) to direct_db', async () => {
      const response = await execute('get_customer_list', {}, TENANT, { description: 'Fetch customer list', data_volume: 500 }).expect(200);
      expect(response.body).toMatchObject({ status: 'completed', strategy_used: 'direct_db', delegation: { rule: 'crud_direct_db' } });
    });
  });

  describe('leads', () => {
    it('round-trips a lead with a company size band and a status, and filters by status and score', async () => {
      const lead = await ok('create_lead', {
        external_id: 'lead_1',
        email: 'cto@techcorp.com',
        name: 'Dana',
        company: 'TechCorp',
        role: 'CTO',
        company_size: '51-200',
        engagement_score: 85,
        website_visits: 12,
        demo_requested: true,
        source: 'webinar',
      });
      expect(lead).toMatchObject({ company_size: '51-200', status: 'new', score: null, demo_requested: true, source: 'webinar' });
      const numeric = await ok('create_lead', { email: 'ops@small.io', company_size: 8, status: 'contacted', score: 45 });
      expect(numeric).toMatchObject({ company_size: 8, status: 'contacted', score: 45, external_id: null });
      const updated = await ok('update_lead', { id: lead.id, status: 'qualified', score: 90 });
      expect(updated).toMatchObject({ status: 'qualified', score: 90, email: 'cto@techcorp.com' });
      const qualified = await ok('get_lead_list', { status: 'qualified' });
      expect(qualified.items.map((item: { id: string }) => item.id)).toEqual([lead.id]);
      expect((await ok('get_lead_list', { min_score: 40, max_score: 50 })).items.map((item: { id: string }) => item.id)).toEqual([
        numeric.id,
      ]);
      expect(await failed('get_lead', { id: lead.id }, OTHER)).toMatch(/^No lead [0-9a-f-]{36} for this tenant/);
      expect(await ok('delete_lead', { external_id: 'lead_1' })).toEqual({ deleted: true, id: lead.id, external_id: 'lead_1' });
      expect((await ok('get_lead_list', {})).total).toBe(1);
    });

    it.each([
      ['create_lead', { name: 'No email' }, 'parameters.email', /email must be an email/],
      ['create_lead', { email: 'a@b.co', status: 'hot' }, 'parameters.status', /status must be one of the following values/],
      ['create_lead', { email: 'a@b.co', company_size: 'huge' }, 'parameters.company_size', /number of employees/],
      ['update_lead', { external_id: 'x', status: null }, 'parameters.status', /^must not be null$/],
    ])('%s %j answers 422 on %s', async (type, parameters, field, message) => {
      const response = await execute(type, parameters).expect(422);
      expect(response.body.status).toBe(422);
      const messages = (response.body.errors as { field: string; message: string }[])
        .filter((entry) => entry.field === field)
        .map((entry) => entry.message);
      expect(messages, JSON.stringify(response.body.errors)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    });
  });

  describe('deals', () => {
    it("round-trips a deal linked to the tenant's customer and refuses another tenant's customer", async () => {
      const customer = await ok('create_customer', { name: 'Deal Customer' });
      const theirs = await ok('create_customer', { name: 'Not yours' }, OTHER);
      const deal = await ok('create_deal', {
        external_id: 'deal_1',
        name: 'Acme renewal',
        stage: 'proposal',
        amount: 25000,
        currency: 'EUR',
        probability: 0.5,
        customer_id: customer.id,
        expected_close_date: '2026-03-31',
        days_in_stage: 9,
      });
      expect(deal).toMatchObject({
        name: 'Acme renewal',
        stage: 'proposal',
        amount: 25000,
        currency: 'EUR',
        probability: 0.5,
        customer_id: customer.id,
        lead_id: null,
        expected_close_date: '2026-03-31',
        days_in_stage: 9,
      });
      expect(await failed('create_deal', { name: 'Steal', stage: 'lead', customer_id: theirs.id })).toBe(
        `customer_id: no customer ${theirs.id} for this tenant`,
      );
      expect(await failed('update_deal', { id: deal.id, customer_id: theirs.id })).toBe(
        `customer_id: no customer ${theirs.id} for this tenant`,
      );
      const moved = await ok('update_deal', { id: deal.id, stage: 'negotiation', days_in_stage: 0 });
      expect(moved).toMatchObject({ stage: 'negotiation', days_in_stage: 0, amount: 25000 });
      expect((await ok('get_deal_list', { stage: 'negotiation', customer_id: customer.id })).total).toBe(1);
      expect((await ok('get_deal_list', { min_amount: 30000 })).total).toBe(0);
      expect(await failed('delete_deal', { id: deal.id }, OTHER)).toMatch(/^No deal [0-9a-f-]{36} for this tenant/);
      // Deleting the customer keeps the deal and unlinks it.
      await ok('delete_customer', { id: customer.id });
      expect(await ok('get_deal', { id: deal.id })).toMatchObject({ customer_id: null, stage: 'negotiation' });
      expect((await ok('delete_deal', { id: deal.id })).deleted).toBe(true);
    });

    it.each([
      ['create_deal', { name: 'No stage' }, 'parameters.stage', /stage must be a string/],
      ['create_deal', { name: 'X', stage: 'lead', currency: 'euro' }, 'parameters.currency', /three-letter ISO 4217 code/],
      ['create_deal', { name: 'X', stage: 'lead', expected_close_date: '31/03/2026' }, 'parameters.expected_close_date', /YYYY-MM-DD/],
      ['create_deal', { name: 'X', stage: 'lead', probability: 1.2 }, 'parameters.probability', /must not be greater than 1/],
      ['update_deal', { id: '6b3f1c7e-8a43-4f4e-9d55-4b1b7f1a2c3d', amount: null }, 'parameters.amount', /^must not be null$/],
    ])('%s %j answers 422 on %s', async (type, parameters, field, message) => {
      const response = await execute(type, parameters).expect(422);
      expect(response.body.status).toBe(422);
      const messages = (response.body.errors as { field: string; message: string }[])
        .filter((entry) => entry.field === field)
        .map((entry) => entry.message);
      expect(messages, JSON.stringify(response.body.errors)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    });
  });

  it('lists the 15 CRUD types and the sync in the catalogue as direct strategies', async () => {
    const response = await request(testApp.app.getHttpServer()).get('/api/crew/catalogue').expect(200);
    const crm = new Map<string, { default_strategy: string; requires_ai: boolean }>(
      response.body.domains.crm.map((entry: { type: string; default_strategy: string; requires_ai: boolean }) => [entry.type, entry]),
    );
    for (const kind of ['customer', 'lead', 'deal']) {
      for (const type of [`get_${kind}_list`, `get_${kind}`, `create_${kind}`, `update_${kind}`, `delete_${kind}`]) {
        expect(crm.get(type)).toMatchObject({ default_strategy: 'direct_db', requires_ai: false });
      }
    }
    expect(crm.get('sync_crm_contacts')).toMatchObject({ default_strategy: 'direct_api', requires_ai: false });
    for (const type of ['crm_nurturing_campaign', 'crm_pipeline_optimization', 'analyze_customer_churn']) {
      expect(crm.get(type)).toMatchObject({ default_strategy: 'single_agent', requires_ai: true });
    }
  });
});
