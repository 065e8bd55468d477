import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteManifestService } from '../src/brain/route-manifest.service.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'mcp-tenant';
const CUSTOMERS = [
  { customer_id: 'cust_001', ltv: 15000, engagement_score: 92, churn_risk: 0.1 },
  { customer_id: 'cust_002', ltv: 12000, engagement_score: 85, churn_risk: 0.15, recency: 3, tenure: 700, support_tickets: 1 },
  { customer_id: 'cust_003', ltv: 800, engagement_score: 30, churn_risk: 0.7, recency: 60, tenure: 90, payment_failures: 2 },
  { customer_id: 'cust_004', ltv: 400, engagement_score: 20, churn_risk: 0.85 },
];

interface CatalogueEntry {
  type: string;
  domain: string;
  description: string;
  parameters_schema: Record<string, unknown>;
  result_schema: Record<string, unknown>;
}

interface TraceStep {
  name: string;
  children: TraceStep[];
}

describe('the crew as an MCP server, through the SDK client over HTTP', () => {
  let testApp: TestApp;
  let base: string;
  let client: Client;
  const clients: Client[] = [];

  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${base}${path}`, { ...init, headers: { 'X-Tenant-ID': TENANT, ...init.headers } });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  };

  async function connect(headers: Record<string, string> = { 'X-Tenant-ID': TENANT }): Promise<Client> {
    const next = new Client({ name: 'mcp-e2e', version: '1.0.0' });
    await next.connect(new StreamableHTTPClientTransport(new URL(`${base}/api/crew/mcp`), { requestInit: { headers } }));
    clients.push(next);
    return next;
  }

  const task = async (id: string) => (await api(`/api/crew/task/${id}`)).body;

  beforeAll(async () => {
    testApp = await createTestApp();
    await testApp.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(testApp.app.getHttpServer().address() as AddressInfo).port}`;
    client = await connect();
  });
  afterAll(async () => {
    for (const each of clients) await each.close().catch(() => undefined);
    await testApp?.dispose();
  });

  it('lists one tool per catalogue task type with its description, parameter and result schemas', async () => {
    const catalogue = (await api('/api/crew/catalogue')).body as { total: number; domains: Record<string, CatalogueEntry[]> };
    const entries = new Map(Object.values(catalogue.domains).flatMap((list) => list.map((entry) => [entry.type, entry] as const)));
    const { tools, nextCursor } = await client.listTools();
    expect(nextCursor).toBeUndefined();
    expect(tools).toHaveLength(catalogue.total);
    let withoutOutputSchema = 0;
    for (const tool of tools) {
      const entry = entries.get(tool.name);
      expect(entry, tool.name).toBeDefined();
      expect(tool.description).toBe(entry!.description);
      expect(tool.inputSchema).toEqual(entry!.parameters_schema);
      if (entry!.result_schema.type === 'object') expect(tool.outputSchema, tool.name).toEqual(entry!.result_schema);
      else {
        expect(tool.outputSchema, tool.name).toBeUndefined();
        withoutOutputSchema += 1;
      }
      expect(tool.annotations, tool.name).toEqual({
        readOnlyHint: expect.any(Boolean),
        destructiveHint: expect.any(Boolean),
        idempotentHint: expect.any(Boolean),
      });
    }
    // Types whose AI runs may wrap a null result publish an anyOf: those have no output schema (MCP wants an object).
    expect(withoutOutputSchema).toBeLessThan(tools.length);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get('get_customer')?.annotations).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true });
    expect(byName.get('create_customer')?.annotations).toEqual({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
    expect(byName.get('update_customer')?.annotations).toEqual({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
    expect(byName.get('delete_customer')?.annotations).toEqual({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
    // The types whose handlers write (context.write) declare it.
    const writers = [
      ...['customer', 'lead', 'deal'].flatMap((kind) => [`create_${kind}`, `update_${kind}`, `delete_${kind}`]),
      ...['sync_crm_contacts', 'crm_lead_scoring', 'comprehensive_crm_analysis', 'sync_payments', 'create_invoice'],
      ...['update_invoice_status', 'record_payment', 'create_subscription', 'update_subscription', 'delete_subscription'],
      ...['create_product', 'update_product', 'delete_product', 'adjust_inventory', 'create_order', 'update_order_status'],
      ...['delete_order', 'sync_products', 'sync_ecommerce_orders', 'cms_create_content', 'cms_update_content'],
      ...['cms_delete_content', 'cms_publish_content', 'cms_unpublish_content', 'cms_sync_content', 'integrations_sync'],
      ...['integrations_create_connection', 'integrations_update_connection', 'integrations_delete_connection'],
    ];
    const changing = tools.filter((tool) => !tool.annotations?.readOnlyHint).map((tool) => tool.name);
    expect(changing).toEqual(expect.arrayContaining(writers));
    expect(byName.get('get_task_list')?.annotations?.readOnlyHint).toBe(true);
    expect(byName.get('adjust_inventory')?.annotations).toMatchObject({ destructiveHint: false, idempotentHint: false });
  });

  it('calls a direct tool: create_customer, then get_customer gives it back (structured content, summary, task id)', async () => {
    const created = await client.callTool({
      name: 'create_customer',
      arguments: { external_id: 'mcp_001', name: 'Acme GmbH', email: 'ops@acme.example', ltv: 1500 },
    });
    expect(created.isError).toBeFalsy();
    const record = created.structuredContent as Record<string, unknown>;
    expect(record).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), external_id: 'mcp_001', name: 'Acme GmbH', ltv: 1500 });
    const taskId = created._meta?.['ai-crew/task_id'] as string;
    expect(created._meta).toMatchObject({ 'ai-crew/task_id': expect.stringMatching(/^[0-9a-f-]{36}$/), 'ai-crew/status': 'completed' });
    const [summary, json] = created.content as { type: string; text: string }[];
    expect(summary.text).toMatch(new RegExp(`^Task ${taskId} completed \\(execution type direct_db, [0-9.]+ s\\)\\.$`));
    expect(JSON.parse(json.text)).toEqual(record);
    // The same task as POST /execute would have made: persisted, for this tenant, with its result.
    expect(await task(taskId)).toMatchObject({
      task_id: taskId,
      tenant_id: TENANT,
      type: 'create_customer',
      status: 'completed',
      result: record,
    });

    const fetched = await client.callTool({ name: 'get_customer', arguments: { id: record.id } });
    expect(fetched.structuredContent).toEqual(record);
  });

  it('calls a queued AI-strategy tool (deterministic without an LLM) and answers its result', async () => {
    const result = await client.callTool({
      name: 'crm_customer_segmentation',
      arguments: { customer_data: CUSTOMERS, segmentation_type: 'value_based', segment_count: 2 },
    });
    expect(result.isError).toBeFalsy();
    const taskId = result._meta?.['ai-crew/task_id'] as string;
    const answer = await task(taskId);
    expect(answer).toMatchObject({ status: 'completed', type: 'crm_customer_segmentation' });
    expect(answer.execution_type).not.toMatch(/^direct_/);
    expect(result.structuredContent).toEqual(answer.result);
    expect((result.content as { text: string }[])[0].text).toContain(`Task ${taskId} completed (execution type ${answer.execution_type}`);
  });

  it("reports a queued multi-step task's steps as progress notifications", async () => {
    const notes: Progress[] = [];
    const result = await client.callTool(
      {
        name: 'comprehensive_crm_analysis',
        arguments: {
          customers: CUSTOMERS,
          leads: [{ email: 'cto@techcorp.example', company: 'TechCorp', role: 'CTO', engagement_score: 85 }],
        },
      },
      undefined,
      { onprogress: (progress) => notes.push(progress) },
    );
    expect(result.isError).toBeFalsy();
    const taskId = result._meta?.['ai-crew/task_id'] as string;
    const flatten = (nodes: TraceStep[]): TraceStep[] => nodes.flatMap((node) => [node, ...flatten(node.children)]);
    const steps = flatten((await api(`/api/crew/task/${taskId}?include=trace`)).body.trace as TraceStep[]);
    expect(steps.length).toBeGreaterThanOrEqual(2);
    // Every step started and finished, in order, with a rising progress count; the first names the task.
    expect(notes.map((note) => note.progress)).toEqual(notes.map((_, index) => index + 1));
    expect(notes[0].message).toMatch(new RegExp(`^task ${taskId} (pending|running)$`));
    const messages = notes.map((note) => note.message);
    for (const step of steps) {
      expect(messages).toContain(`step ${step.name} started`);
      expect(messages.some((message) => message?.startsWith(`step ${step.name} `) && !message.endsWith(' started'))).toBe(true);
    }
  });

  it("the client's cancellation of a running call cancels its task", async () => {
    const controller = new AbortController();
    let taskId: string | undefined;
    const call = client.callTool({ name: 'system_probe', arguments: { wait_ms: 60_000 } }, undefined, {
      signal: controller.signal,
      onprogress: (progress) => {
        taskId ??= /^task ([0-9a-f-]{36}) /.exec(progress.message ?? '')?.[1];
        if (progress.message === 'step wait started') controller.abort('the user changed their mind');
      },
    });
    await expect(call).rejects.toThrow();
    expect(taskId).toBeDefined();
    let answer = await task(taskId!);
    for (let i = 0; i < 40 && answer.status !== 'cancelled'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await task(taskId!);
    }
    expect(answer).toMatchObject({ status: 'cancelled', type: 'system_probe' });
  });

  it('an invalid argument is a tool error naming each field and what is allowed, never a protocol error', async () => {
    const bad = await client.callTool({ name: 'get_task_list', arguments: { limit: 1000, status: 'sleeping', colour: 'red' } });
    expect(bad.isError).toBe(true);
    const text = (bad.content as { text: string }[])[0].text;
    expect(text).toMatch(/^Invalid arguments:\n/);
    expect(text).toMatch(/^- limit: .*100/m);
    expect(text).toMatch(/^- status: .*pending/m);
    expect(text).toContain('- colour: is not an allowed field');
    // A cross-field rule names the arguments as a whole; no task was created for either call.
    const neither = await client.callTool({ name: 'system_probe', arguments: {} });
    expect(neither).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'Invalid arguments:\n- arguments: give wait_ms, url or both' }],
    });
    const unknown = client.callTool({ name: 'no_such_tool', arguments: {} });
    await expect(unknown).rejects.toBeInstanceOf(McpError);
    await expect(unknown).rejects.toThrow(/Unknown tool: no_such_tool/);
  });

  it('resources: the catalogue and each task answer, with a template; an unknown one is not found', async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates).toEqual([expect.objectContaining({ uriTemplate: 'crew://tasks/{id}', mimeType: 'application/json' })]);

    const catalogue = await client.readResource({ uri: 'crew://catalogue' });
    expect(JSON.parse((catalogue.contents[0] as { text: string }).text)).toEqual((await api('/api/crew/catalogue')).body);

    const listed = await client.callTool({ name: 'get_task_list', arguments: { limit: 5 } });
    const taskId = listed._meta?.['ai-crew/task_id'] as string;
    const read = await client.readResource({ uri: `crew://tasks/${taskId}` });
    expect(read.contents[0]).toMatchObject({ uri: `crew://tasks/${taskId}`, mimeType: 'application/json' });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toEqual(await task(taskId));

    const { resources } = await client.listResources();
    expect(resources[0]).toMatchObject({ uri: 'crew://catalogue' });
    expect(resources.map((resource) => resource.uri)).toContain(`crew://tasks/${taskId}`);

    for (const uri of ['crew://tasks/00000000-0000-4000-8000-000000000000', 'crew://tasks/not-a-task', 'crew://elsewhere']) {
      await expect(client.readResource({ uri }), uri).rejects.toMatchObject({ code: -32002 });
    }
  });

  it('the Brain route manifest lists the MCP endpoint (the OpenAPI document leaves it out)', async () => {
    const routes = testApp.app.get(RouteManifestService).routes();
    const mcp = routes.filter((route) => route.crew_system_endpoint === '/api/crew/mcp');
    expect(mcp.map((route) => route.method).sort()).toEqual(['DELETE', 'GET', 'POST']);
    expect(mcp[0]).toMatchObject({ path: '/api/brain/crew/mcp', domain: 'mcp' });
    const document = (await api('/api/crew/docs-json')).body as { paths: Record<string, unknown> };
    expect(document.paths['/api/crew/mcp']).toBeUndefined();
  });
});
