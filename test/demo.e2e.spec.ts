import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENTITIES } from '../src/demo/demo-dataset.js';
import { demoUuid } from '../src/demo/demo-ids.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'src', 'demo', 'demo.cli.js');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** The day the README's demo output shows. */
const AS_OF = '2026-12-07';

/** The original product's routing examples, exactly as its README writes them. */
const ROUTING_EXAMPLES = {
  direct_db: { type: 'get_customer_list', description: 'Fetch customer list', data_volume: 500 },
  single_agent: { type: 'analyze_customer_churn', description: 'Predict customer churn risk', requires_ai: true, data_volume: 5000 },
  crew_workflow: {
    type: 'comprehensive_crm_analysis',
    description: 'Full CRM performance analysis',
    multi_domain: true,
    requires_ai: true,
  },
};

/** Runs `npm run demo`'s script (as npm does: node on the built file) against `url`. */
function runCli(url: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does it in pretest)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', CREW_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the demo tenant: load_demo_data and npm run demo (deterministic mode)', () => {
  let testApp: TestApp;
  let dataSource: DataSource;
  let url: string;
  const http = () => request(testApp.app.getHttpServer());
  const execute = (body: object, tenant = 'demo') => http().post('/api/crew/execute').set('X-Tenant-ID', tenant).send(body);
  const load = (tenant = 'demo') =>
    execute({ type: 'load_demo_data', description: 'Load the demo tenant', parameters: { as_of: AS_OF } }, tenant);

  /** Rows per demo table for a tenant, straight from the database. */
  async function counts(tenant: string): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const [key, entity] of DEMO_ENTITIES) {
      const table = dataSource.getMetadata(entity).tableName;
      const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenant]);
      result[key] = row.n;
    }
    return result;
  }

  beforeAll(async () => {
    testApp = await createTestApp();
    dataSource = testApp.app.get<DataSource>(getDataSourceToken());
    await testApp.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(testApp.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('refuses any other tenant with a 422 naming the field, before a task exists, and a day that is not one', async () => {
    const byHeader = await load('acme').expect(422);
    expect(byHeader.body.errors).toEqual([{ field: 'tenant_id', message: 'load_demo_data runs only for the tenant "demo", not "acme"' }]);
    const byBody = await http()
      .post('/api/crew/execute')
      .send({ type: 'load_demo_data', description: 'Load', tenant_id: 'acme' })
      .expect(422);
    expect(byBody.body.errors).toEqual([{ field: 'tenant_id', message: 'load_demo_data runs only for the tenant "demo", not "acme"' }]);
    expect((await http().get('/api/crew/tasks').set('X-Tenant-ID', 'acme').expect(200)).body.items).toEqual([]);
    const notADay = await execute({ type: 'load_demo_data', description: 'Load', parameters: { as_of: '2026-02-30' } }).expect(422);
    expect(notADay.body.errors).toEqual([{ field: 'parameters.as_of', message: 'is not a day of the calendar' }]);
    expect(Object.values(await counts('acme')).every((n) => n === 0)).toBe(true);
  });

  it('loads once when two loads race: one writes everything, the other nothing, as the README shows', async () => {
    const [first, second] = await Promise.all([load(), load()]);
    const answers = [first, second].map((response) => {
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'completed', strategy_used: 'direct_db' });
      return response.body.result as { loaded: boolean; records: Record<string, number>; message: string; as_of: string | null };
    });
    const loaded = answers.filter((answer) => answer.loaded);
    expect(loaded).toHaveLength(1);
    expect(loaded[0].as_of).toBe(AS_OF);
    expect(await counts('demo')).toEqual(loaded[0].records);
    expect(loaded[0].records).toMatchObject({ customers: 200, leads: 150, deals: 80, products: 40, orders: 600, subscriptions: 120 });
    // The Quick start's output line, word for word.
    expect(README).toContain(`\n${loaded[0].message}\n`);
  });

  it('npm run demo on a loaded tenant writes nothing and says so', async () => {
    const before = await counts('demo');
    const run = await runCli(url);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^The demo tenant "demo" already holds records \(200 customers, 150 leads, 80 deals, .*\); nothing was written\.\n/,
    );
    expect(await counts('demo')).toEqual(before);
  });

  it('npm run demo says how to start the service when nothing answers, and refuses unknown arguments', async () => {
    const down = await runCli('http://127.0.0.1:9');
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^The service does not answer at http:\/\/127\.0\.0\.1:9 .*npm start/);
    const bad = await runCli(url, ['--colour']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('Usage: npm run demo [-- --as-of YYYY-MM-DD]\n');
  });

  it('runs the original product routing examples as written, with the numbers the README shows', async () => {
    for (const body of Object.values(ROUTING_EXAMPLES))
      expect(README).toContain(`-d '${JSON.stringify(body).replace(/,/g, ', ').replace(/":/g, '": ')}'`);

    const list = (await execute(ROUTING_EXAMPLES.direct_db).expect(200)).body;
    expect(list).toMatchObject({ status: 'completed', strategy_used: 'direct_db', delegation: { rule: 'crud_direct_db' } });
    expect(list.result.total).toBe(200);
    const newest = list.result.items[0];
    expect(README).toContain(
      `{"external_id":"${newest.external_id}","name":"${newest.name}","company":"${newest.company}","ltv":${newest.ltv},`,
    );

    const churn = (await execute(ROUTING_EXAMPLES.single_agent).expect(200)).body;
    expect(churn).toMatchObject({
      status: 'completed',
      strategy_used: 'single_agent',
      agents_used: ['crm_customer_specialist'],
      delegation: { rule: 'ai_moderate_single_agent', confidence: 0.85 },
      metrics: { ai_mode: 'deterministic' },
    });
    const summary = churn.result.summary;
    expect(summary.customers).toBe(200);
    expect(README).toContain(`"high_risk":${summary.high_risk},"medium_risk":${summary.medium_risk},"low_risk":${summary.low_risk},`);
    expect(README).toContain(
      `"average_probability":${summary.average_probability},"total_ltv":${summary.total_ltv},"revenue_at_risk":${summary.revenue_at_risk},`,
    );
    const top = churn.result.customers[0];
    expect(README).toContain(`{"rank":1,"customer_id":"${top.customer_id}","churn_probability":${top.churn_probability},`);

    const crew = (await execute(ROUTING_EXAMPLES.crew_workflow).expect(200)).body;
    expect(crew).toMatchObject({
      status: 'completed',
      strategy_used: 'crew_workflow',
      agents_used: ['master_business_supervisor', 'crm_supervisor', 'crm_lead_specialist', 'crm_customer_specialist'],
      delegation: { rule: 'multi_domain_crew' },
      result: { parts: ['churn', 'customers', 'leads'], lead_scoring: { count: 150, stored_leads: 150 } },
    });
    expect(crew.result.churn_analysis.summary).toEqual(summary);
    const segments = (crew.result.segmentation.segments as { name: string; size: number }[]).map(
      (s) => `{"name":"${s.name}","size":${s.size},…}`,
    );
    expect(README.replace(/\n#\s+/g, '')).toContain(segments.join(','));
    expect(README).toContain(
      `"k_used":${crew.result.segmentation.quality.k_used},"silhouette":${crew.result.segmentation.quality.silhouette},`,
    );
  });

  it("audits the README's demo article as the README shows", async () => {
    const id = demoUuid('content', 27);
    expect(README).toContain(`"content_id":"${id}"`);
    const audit = (
      await execute({ type: 'cms_content_optimization', description: 'SEO audit', parameters: { content_id: id } }).expect(200)
    ).body;
    expect(audit.status).toBe('completed');
    const { score, grade, metrics } = audit.result;
    expect(README).toContain(`"score":${score},"grade":"${grade}","metrics":{"title_length":${metrics.title_length},`);
    const checks = (audit.result.findings as { check: string }[]).map((finding) => finding.check);
    expect(checks).toEqual([
      'title_too_long',
      'meta_description_too_short',
      'keyword_missing',
      'fairly_difficult',
      'no_internal_links',
      'no_external_links',
    ]);
  });
});
