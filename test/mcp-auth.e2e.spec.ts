import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantSettingsService } from '../src/tenancy/tenant-settings.service.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const KEY_A = 'mcp-tenant-a-key-0123456789';
const KEY_B = 'mcp-tenant-b-key-0123456789';
const SERVICE_KEY = 'mcp-service-key-0123456789';
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const ACCEPT = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

describe('the MCP endpoint: API keys, tenant isolation, limits and hostile input', () => {
  let testApp: TestApp;
  let endpoint: URL;
  const clients: Client[] = [];

  async function connect(headers: Record<string, string>, sessionId?: string): Promise<{ client: Client; sessionId?: string }> {
    const client = new Client({ name: 'mcp-auth-e2e', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(endpoint, { requestInit: { headers }, sessionId });
    await client.connect(transport);
    clients.push(client);
    return { client, sessionId: transport.sessionId };
  }

  const post = (body: string, headers: Record<string, string>) =>
    fetch(endpoint, { method: 'POST', headers: { ...ACCEPT, ...headers }, body });

  beforeAll(async () => {
    testApp = await createTestApp({ CREW_API_KEYS: `${KEY_A}:tenant-a,${KEY_B}:tenant-b,${SERVICE_KEY}:*` });
    await testApp.app.listen(0, '127.0.0.1');
    endpoint = new URL(`http://127.0.0.1:${(testApp.app.getHttpServer().address() as AddressInfo).port}/api/crew/mcp`);
  });
  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    await testApp?.dispose();
  });

  it('refuses a client without a key, or with a wrong one, as REST does (401 problem+json)', async () => {
    await expect(connect({})).rejects.toThrow(/401/);
    await expect(connect({ 'X-API-Key': 'not-a-key-0123456789' })).rejects.toThrow(/401/);
    const refused = await post(JSON.stringify(INITIALIZE), {});
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // A tenant key cannot act for another tenant.
    const other = await post(JSON.stringify(INITIALIZE), { 'X-API-Key': KEY_A, 'X-Tenant-ID': 'tenant-b' });
    expect(other.status).toBe(403);
  });

  it("tenant B can neither read tenant A's task resources nor use tenant A's session", async () => {
    const a = await connect({ Authorization: `Bearer ${KEY_A}` });
    const called = await a.client.callTool({ name: 'get_task_list', arguments: {} });
    const taskId = called._meta?.['ai-crew/task_id'] as string;
    expect(called.isError).toBeFalsy();
    const uri = `crew://tasks/${taskId}`;
    expect(JSON.parse(((await a.client.readResource({ uri })).contents[0] as { text: string }).text)).toMatchObject({
      task_id: taskId,
      tenant_id: 'tenant-a',
    });

    const b = await connect({ 'X-API-Key': KEY_B });
    await expect(b.client.readResource({ uri })).rejects.toMatchObject({ code: -32002 });
    expect((await b.client.listResources()).resources.map((resource) => resource.uri)).not.toContain(uri);
    // A service key acting for tenant B is tenant B.
    const service = await connect({ 'X-API-Key': SERVICE_KEY, 'X-Tenant-ID': 'tenant-b' });
    await expect(service.client.readResource({ uri })).rejects.toMatchObject({ code: -32002 });

    // A's session id with B's key (or a service key naming B) is an unknown session; with A's tenant it works.
    const others: Record<string, string>[] = [{ 'X-API-Key': KEY_B }, { 'X-API-Key': SERVICE_KEY, 'X-Tenant-ID': 'tenant-b' }];
    for (const headers of others) {
      const stolen = await connect(headers, a.sessionId);
      await expect(stolen.client.listTools()).rejects.toThrow(/404|Session not found/);
    }
    const raw = await post(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }), {
      'X-API-Key': KEY_B,
      'Mcp-Session-Id': a.sessionId!,
      'Mcp-Protocol-Version': '2025-06-18',
    });
    expect(raw.status).toBe(404);
    expect(await raw.json()).toEqual({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
    const sameTenant = await connect({ 'X-API-Key': SERVICE_KEY, 'X-Tenant-ID': 'tenant-a' }, a.sessionId);
    expect((await sameTenant.client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it("applies the tenant's plan: its enabled domains' tools only, and its request rate limit", async () => {
    const settings = testApp.app.get(TenantSettingsService);
    const plan = { subscriptionTier: 'pro', apiLimits: {}, dailyBudgetUsd: null, overBudgetAction: null };
    await settings.save('crm-only', { ...plan, enabledFeatures: ['crm'], requestsPerMinute: null }, {});
    const crmOnly = await connect({ 'X-API-Key': SERVICE_KEY, 'X-Tenant-ID': 'crm-only' });
    const domains = new Set((await crmOnly.client.listTools()).tools.map((tool) => tool._meta?.['ai-crew/domain']));
    expect([...domains].sort()).toEqual(['crm', 'system']);
    const billing = await crmOnly.client.callTool({ name: 'get_invoice_list', arguments: {} });
    expect(billing).toMatchObject({
      isError: true,
      content: [{ text: expect.stringMatching(/^Domain billing is not enabled for tenant crm-only/) }],
    });

    await settings.save('limited', { ...plan, enabledFeatures: [], requestsPerMinute: 5 }, {});
    // Connecting takes up to three requests (initialize, initialized, the GET stream): a few calls later, 429.
    const limited = await connect({ 'X-API-Key': SERVICE_KEY, 'X-Tenant-ID': 'limited' });
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => limited.client.listTools()));
    const refusals = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []));
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    for (const refusal of refusals) expect(refusal).toMatch(/429/);
  });

  it('answers a malformed message, a hostile body or a missing session with a JSON-RPC error, never a 500', async () => {
    const headers = { 'X-API-Key': KEY_A };
    const cases: { body: string; status: number; code: number; message: RegExp; extra?: Record<string, string> }[] = [
      { body: '{"jsonrpc": "2.0", "id": 1, "method": ', status: 400, code: -32700, message: /^Parse error/ },
      { body: '{"hello": "world"}', status: 400, code: -32000, message: /no Mcp-Session-Id/ },
      { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), status: 400, code: -32000, message: /no Mcp-Session-Id/ },
      {
        body: JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, clientInfo: { name: 'a\u0000b', version: '1' } } }),
        status: 422,
        code: -32600,
        message: /params\.clientInfo\.name: must not contain the NUL character/,
      },
      { body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }), status: 413, code: -32600, message: /too large/ },
      {
        body: '{"jsonrpc": "2.0", "id": 2, "method": "tools/list"}',
        status: 404,
        code: -32001,
        message: /Session not found/,
        extra: { 'Mcp-Session-Id': 'made-up' },
      },
    ];
    for (const { body, status, code, message, extra } of cases) {
      const response = await post(body, { ...headers, ...extra });
      expect(response.status, body.slice(0, 60)).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const answer = (await response.json()) as { jsonrpc: string; id: unknown; error: { code: number; message: string } };
      expect(answer, body.slice(0, 60)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code } });
      expect(answer.error.message).toMatch(message);
    }
    // Inside a session, a message that is JSON but not JSON-RPC is the transport's parse error.
    const { sessionId } = await connect(headers);
    const inSession = await post('{"hello": "world"}', { ...headers, 'Mcp-Session-Id': sessionId!, 'Mcp-Protocol-Version': '2025-06-18' });
    expect(inSession.status).toBe(400);
    expect(await inSession.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 } });
  });

  it('ends a session on DELETE: its id is unknown afterwards, and a call still running lets its task finish', async () => {
    const { client } = await connect({ 'X-API-Key': KEY_A });
    const transport = client.transport as StreamableHTTPClientTransport;
    const sessionId = transport.sessionId!;
    let taskId: string | undefined;
    const waiting = new Promise<void>((resolve) => {
      client
        .callTool({ name: 'system_probe', arguments: { wait_ms: 1500 } }, undefined, {
          onprogress: (progress) => {
            taskId ??= /^task ([0-9a-f-]{36}) /.exec(progress.message ?? '')?.[1];
            if (progress.message === 'step wait started') resolve();
          },
        })
        .catch(() => undefined);
    });
    await waiting;
    await transport.terminateSession();
    const after = await post(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }), {
      'X-API-Key': KEY_A,
      'Mcp-Session-Id': sessionId,
      'Mcp-Protocol-Version': '2025-06-18',
    });
    expect(after.status).toBe(404);
    // Ending the session is not a cancellation: the task runs to its end.
    const taskUrl = new URL(`/api/crew/task/${taskId}`, endpoint);
    let answer = { status: 'running' };
    for (let i = 0; i < 50 && !['completed', 'failed', 'cancelled', 'timed_out'].includes(answer.status); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = (await (await fetch(taskUrl, { headers: { 'X-API-Key': KEY_A } })).json()) as { status: string };
    }
    expect(answer).toMatchObject({ status: 'completed', result: { waited_ms: expect.any(Number) } });
  });
});
