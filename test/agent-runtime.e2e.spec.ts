import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import request from 'supertest';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentExecutor } from '../src/agents/agent-executor.js';
import {
  AgentTimeoutError,
  DelegationGuardError,
  LlmCallBudgetExceededError,
  LlmUnavailableError,
  PlanRejectedError,
} from '../src/agents/agent.errors.js';
import type { AgentDefinition, AgentRunRequest, ToolContext, ToolDefinition } from '../src/agents/agent.types.js';
import { AgentMemory } from '../src/agents/agent-memory.service.js';
import { LlmGateway } from '../src/agents/llm-gateway.js';
import { Planner, type PlanRequest } from '../src/agents/planner.js';
import { TaskUsage } from '../src/agents/task-usage.service.js';
import { createTaskRun, type TaskRun } from './support/task-run.js';
import { loadConfig } from '../src/config/app-config.js';
import { TaskAbort } from '../src/execution/active-tasks.js';
import { CircuitBreaker } from '../src/llm/circuit-breaker.js';
import { LlmCache } from '../src/llm/llm-cache.service.js';
import { LlmClient, llmClientOptions } from '../src/llm/llm-client.js';
import { loadLlmRuntimeConfig } from '../src/llm/llm-runtime.config.js';
import { LlmRateLimiter } from '../src/llm/rate-limiter.service.js';
import { TaskTypeRegistry } from '../src/delegation/task-type.registry.js';
import { TaskStore } from '../src/tasks/task.store.js';
import { eventually } from './support/loopback-server.js';
import { reply, type ScriptedOpenAiServer, startScriptedOpenAiServer } from './support/scripted-openai-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// Each test works for a tenant of its own, so one test's cached answers and memories never reach another.
let tenantCounter = 0;
let TENANT = 'agent-tenant-0';

class ScoreLeadParams {
  @IsString()
  @MaxLength(50)
  lead_id: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  title_weight?: number;
}

const RESULT_SCHEMA = {
  type: 'object',
  required: ['score', 'explanation'],
  additionalProperties: false,
  properties: { score: { type: 'integer', minimum: 0, maximum: 100 }, explanation: { type: 'string' } },
};

const DETERMINISTIC = { score: 70, explanation: 'rule-based score' };

function leadAgent(overrides: Partial<AgentDefinition> = {}): AgentDefinition {
  return {
    id: 'crm_lead_specialist',
    name: 'Lead Specialist',
    tier: 'specialist',
    domain: 'crm',
    role: 'a B2B lead qualification specialist',
    goal: 'Score leads by fit and intent',
    backstory: 'Years of sales development work.',
    tools: ['score_lead'],
    maxIterations: 5,
    reportsTo: 'crm_supervisor',
    ...overrides,
  };
}

/** score_lead: deterministic scoring exposed as a tool; records the contexts it was called with. */
function scoreLeadTool(seen: ToolContext[] = []): ToolDefinition<ScoreLeadParams> {
  return {
    name: 'score_lead',
    description: 'Scores a lead from 0 to 100',
    parameters: ScoreLeadParams,
    execute: (context, parameters) => {
      seen.push(context);
      if (parameters.lead_id === 'L-broken') return Promise.reject(new Error('lead L-broken has no firmographics'));
      return Promise.resolve({ lead_id: parameters.lead_id, score: 82, factors: { title: 'CTO' } });
    },
  };
}

const usage = (prompt_tokens: number, completion_tokens: number, cached_tokens = 0) => ({
  prompt_tokens,
  completion_tokens,
  cached_tokens,
});

describe('agent runtime against a scripted OpenAI-compatible server', () => {
  let testApp: TestApp;
  let dataSource: DataSource;
  let store: TaskStore;
  let server: ScriptedOpenAiServer;
  /** The server the app's own LlmModule talks to (tests through HTTP). */
  let appServer: ScriptedOpenAiServer;

  beforeAll(async () => {
    // The app provides the database and its own wiring; most tests build the runtime they need against a
    // scripted server of their own.
    appServer = await startScriptedOpenAiServer();
    testApp = await createTestApp({ MAX_RPM: '10000', OPENAI_BASE_URL: appServer.url, ENABLE_AGENT_MEMORY: 'false' });
    dataSource = testApp.app.get<DataSource>(getDataSourceToken());
    store = new TaskStore(dataSource);
  });
  afterAll(async () => {
    await testApp?.dispose();
    await appServer?.close();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined as unknown as ScriptedOpenAiServer;
  });

  /** The runtime as LlmModule + AgentsModule build it, for the given environment overrides. */
  const runtime = (env: Record<string, string> = {}, options: { breaker?: CircuitBreaker } = {}) => {
    const config = loadConfig({
      ...testApp.env,
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: 'sk-test',
      LLM_MAX_RETRIES: '2',
      ENABLE_AGENT_MEMORY: 'true',
      ...env,
    });
    const runtimeConfig = loadLlmRuntimeConfig({ ...testApp.env, ...env });
    const gateway = new LlmGateway(
      new LlmClient({ ...llmClientOptions(config.llm), circuitBreaker: options.breaker }),
      new LlmCache(dataSource, config),
      new LlmRateLimiter(dataSource, config, runtimeConfig),
      new TaskUsage(runtimeConfig, store),
    );
    const memory = new AgentMemory(config, runtimeConfig);
    return { executor: new AgentExecutor(config, gateway, memory), planner: new Planner(config, gateway), memory, gateway };
  };
  const start = async (env: Record<string, string> = {}, options: { breaker?: CircuitBreaker } = {}) => {
    TENANT = `agent-tenant-${++tenantCounter}`;
    server = await startScriptedOpenAiServer();
    return runtime(env, options);
  };
  const taskRun = (tenantId = TENANT, stepTimeoutMs?: number) => createTaskRun(dataSource, { tenantId, stepTimeoutMs });
  const runRequest = (run: TaskRun, overrides: Partial<AgentRunRequest> = {}): AgentRunRequest => ({
    agent: leadAgent(),
    instructions: 'Score lead L-1 for enterprise fit',
    input: { lead: { id: 'L-1', title: 'CTO', company_size: 1200 } },
    tools: [scoreLeadTool()],
    resultSchema: RESULT_SCHEMA,
    deterministic: () => Promise.resolve(DETERMINISTIC),
    context: run.context,
    ...overrides,
  });
  const failureOf = async (promise: Promise<unknown>): Promise<unknown> => {
    try {
      await promise;
    } catch (error) {
      return error;
    }
    throw new Error('expected a rejection');
  };
  const stepsOf = async (taskId: string) => store.steps(taskId);

  it('runs a tool-call round trip with exact token and cost totals on the steps and the task', async () => {
    const { executor } = await start({ ENABLE_AGENT_MEMORY: 'false' });
    server.enqueue(
      reply.toolCalls([{ id: 'call_1', name: 'score_lead', arguments: { lead_id: 'L-1', title_weight: 3 } }], {
        usage: usage(1000, 50, 200),
      }),
      reply.message('{"score": 82, "explanation": "CTO at a 1200-person company"}', { usage: usage(1200, 80) }),
    );
    const seen: ToolContext[] = [];
    const run = await taskRun();
    const result = await executor.run(runRequest(run, { tools: [scoreLeadTool(seen)] }));

    expect(result).toMatchObject({
      output: { score: 82, explanation: 'CTO at a 1200-person company' },
      degraded: false,
      aiMode: 'llm',
      llmCalls: 2,
      inputTokens: 2200,
      outputTokens: 130,
      cachedTokens: 200,
      // (800 × 0.15 + 200 × 0.075 + 50 × 0.6) + (1200 × 0.15 + 80 × 0.6) = 165 + 228 micro-USD
      costUsd: 0.000393,
      cacheHit: false,
    });

    const [first, second] = server.chatRequests.map((recorded) => recorded.body ?? {});
    expect(server.chatRequests).toHaveLength(2);
    expect(first.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'score_lead',
          description: 'Scores a lead from 0 to 100',
          parameters: {
            type: 'object',
            properties: { lead_id: { type: 'string', maxLength: 50 }, title_weight: { type: 'integer', minimum: 0, maximum: 10 } },
            required: ['lead_id'],
            additionalProperties: false,
          },
        },
      },
    ]);
    expect(first.tool_choice).toBe('auto');
    expect(first.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'crm_lead_specialist_result', schema: RESULT_SCHEMA, strict: false },
    });
    const [system, user] = first.messages as { role: string; content: string }[];
    expect(system.role).toBe('system');
    expect(system.content).toContain('You are Lead Specialist, a B2B lead qualification specialist.');
    expect(user.content).toContain('Task: Score lead L-1 for enterprise fit');
    expect(user.content).toContain('<data>\n{"lead":{"id":"L-1","title":"CTO","company_size":1200}}\n</data>');
    expect((second.messages as unknown[]).slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'score_lead', arguments: '{"lead_id":"L-1","title_weight":3}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"lead_id":"L-1","score":82,"factors":{"title":"CTO"}}' },
    ]);

    // The tool ran tenant-scoped, under its own step, with the agent's signal.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ tenantId: TENANT, taskId: run.taskId });
    expect(seen[0].signal.aborted).toBe(false);

    const steps = await stepsOf(run.taskId);
    const agentStep = steps.find((step) => step.kind === 'delegate');
    expect(agentStep).toMatchObject({
      id: result.stepId,
      agentId: 'crm_lead_specialist',
      tier: 'specialist',
      status: 'completed',
      parentStepId: null,
    });
    const children = steps.filter((step) => step.parentStepId === result.stepId);
    expect(children.map((step) => [step.kind, step.name, step.status])).toEqual([
      ['llm', 'chat gpt-4o-mini', 'completed'],
      ['tool', 'score_lead', 'completed'],
      ['llm', 'chat gpt-4o-mini (turn 2)', 'completed'],
    ]);
    expect(seen[0].parentStepId).toBe(children[1].id);
    expect(children.map((step) => [step.inputTokens, step.outputTokens, step.cachedTokens, step.costUsd])).toEqual([
      [1000, 50, 200, 0.000165],
      [0, 0, 0, 0],
      [1200, 80, 0, 0.000228],
    ]);
    expect(JSON.parse(children[0].outputSummary ?? '')).toMatchObject({
      cache_hit: false,
      finish_reason: 'tool_calls',
      tool_calls: [{ name: 'score_lead' }],
    });

    const task = await store.findById(run.taskId);
    expect(task).toMatchObject({
      llmCalls: 2,
      inputTokens: 2200,
      outputTokens: 130,
      cachedTokens: 200,
      costUsd: 0.000393,
      cacheHit: false,
    });
  });

  it('sends tool failures back to the model as tool results and never offers tools outside the allow-list', async () => {
    const { executor } = await start({ ENABLE_AGENT_MEMORY: 'false' });
    server.enqueue(
      reply.toolCalls([
        { id: 'c_unknown', name: 'delete_everything', arguments: {} },
        { id: 'c_invalid', name: 'score_lead', arguments: { lead_id: 'L-1', title_weight: 99, extra: true } },
        { id: 'c_malformed', name: 'score_lead', arguments: '{"lead_id":' },
        { id: 'c_throws', name: 'score_lead', arguments: { lead_id: 'L-broken' } },
      ]),
      reply.message('{"score": 40, "explanation": "could not score everything"}'),
    );
    const forbidden: ToolDefinition = {
      name: 'delete_everything',
      description: 'Not for this agent',
      parameters: class {},
      execute: () => Promise.reject(new Error('must never run')),
    };
    const run = await taskRun();
    const result = await executor.run(runRequest(run, { tools: [scoreLeadTool(), forbidden] }));

    expect(result).toMatchObject({ output: { score: 40 }, degraded: false });
    expect((server.chatRequests[0].body?.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual([
      'score_lead',
    ]);
    const toolMessages = (server.chatRequests[1].body?.messages as { role: string; tool_call_id?: string; content: string }[])
      .filter((message) => message.role === 'tool')
      .map((message) => [message.tool_call_id, JSON.parse(message.content)]);
    expect(toolMessages).toEqual([
      ['c_unknown', { error: 'Unknown tool "delete_everything". Available tools: score_lead.' }],
      [
        'c_invalid',
        {
          error: 'arguments.extra: is not an allowed field (and 1 more)',
          errors: [
            { field: 'arguments.extra', message: 'is not an allowed field' },
            { field: 'arguments.title_weight', message: 'title_weight must not be greater than 10' },
          ],
        },
      ],
      ['c_malformed', { error: expect.stringMatching(/^Arguments are not valid JSON: /) }],
      ['c_throws', { error: 'lead L-broken has no firmographics' }],
    ]);
    const toolSteps = (await stepsOf(run.taskId)).filter((step) => step.kind === 'tool');
    expect(toolSteps.map((step) => [step.name, step.status])).toEqual([
      ['delete_everything', 'failed'],
      ['score_lead', 'failed'],
      ['score_lead', 'failed'],
      ['score_lead', 'failed'],
    ]);
  });

  it('retries a 429 and succeeds', async () => {
    const { executor } = await start({ ENABLE_AGENT_MEMORY: 'false' });
    server.enqueue(reply.error(429, { retryAfterMs: 5 }), reply.message('{"score": 60, "explanation": "ok"}', { usage: usage(100, 10) }));
    const run = await taskRun();
    const result = await executor.run(runRequest(run));
    expect(result).toMatchObject({ output: { score: 60, explanation: 'ok' }, llmCalls: 1, inputTokens: 100, outputTokens: 10 });
    expect(server.chatRequests.map((recorded) => recorded.reply?.kind)).toEqual(['error', 'message']);
    const llmStep = (await stepsOf(run.taskId)).find((step) => step.kind === 'llm');
    expect(JSON.parse(llmStep?.outputSummary ?? '')).toMatchObject({ attempts: 2 });
    expect(await store.findById(run.taskId)).toMatchObject({ llmCalls: 1, inputTokens: 100 });
  });

  it('throws LlmUnavailableError with guidance when 500s exhaust the retries', async () => {
    const { executor } = await start();
    server.enqueue(reply.error(500, { retryAfterMs: 1 }), reply.error(502, { retryAfterMs: 1 }), reply.error(503, { retryAfterMs: 1 }));
    const run = await taskRun();
    const error = await failureOf(executor.run(runRequest(run)));
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error).toMatchObject({
      code: 'llm_unavailable',
      llmCode: 'llm_provider_error',
      guidance: 'The LLM provider is failing or unreachable; check OPENAI_BASE_URL and the provider status, then retry the task.',
    });
    expect(server.chatRequests).toHaveLength(3);
    const steps = await stepsOf(run.taskId);
    expect(steps.map((step) => [step.kind, step.status])).toEqual([
      ['delegate', 'failed'],
      ['llm', 'failed'],
    ]);
    expect(steps[0].error).toBe((error as Error).message);
    expect(await store.findById(run.taskId)).toMatchObject({ llmCalls: 1, inputTokens: 0, costUsd: 0 });
  });

  it('fails fast with llm_circuit_open once the breaker opened, without an HTTP call or a counted call', async () => {
    const { executor } = await start(
      { LLM_MAX_RETRIES: '0' },
      { breaker: new CircuitBreaker({ failureThreshold: 1, cooldownMs: 60_000 }) },
    );
    server.enqueue(reply.error(500));
    expect(await failureOf(executor.run(runRequest(await taskRun())))).toMatchObject({ llmCode: 'llm_provider_error' });
    const run = await taskRun();
    const error = await failureOf(executor.run(runRequest(run)));
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error).toMatchObject({
      llmCode: 'llm_circuit_open',
      guidance: 'The LLM provider failed repeatedly, so calls are paused; the deterministic fallback is used until it recovers.',
    });
    expect(server.chatRequests).toHaveLength(1);
    expect(await store.findById(run.taskId)).toMatchObject({ llmCalls: 0 });
  });

  it('times out on a hanging server: LLM_REQUEST_TIMEOUT per call, AGENT_EXECUTION_TIMEOUT per agent', async () => {
    const perCall = await start({ LLM_REQUEST_TIMEOUT: '1', LLM_MAX_RETRIES: '0' });
    server.enqueue(reply.hang());
    const error = await failureOf(perCall.executor.run(runRequest(await taskRun())));
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error).toMatchObject({ llmCode: 'llm_timeout' });
    await eventually(() => server.chatRequests[0]?.clientClosed);
    await server.close();

    const perAgent = await start({ LLM_REQUEST_TIMEOUT: '60', AGENT_EXECUTION_TIMEOUT: '1' });
    server.enqueue(reply.hang());
    const run = await taskRun(TENANT, 1000);
    const timeout = await failureOf(perAgent.executor.run(runRequest(run)));
    expect(timeout).toBeInstanceOf(AgentTimeoutError);
    expect(timeout).toMatchObject({ code: 'agent_timeout', agentId: 'crm_lead_specialist', timeoutS: 1 });
    await eventually(() => server.chatRequests[0]?.clientClosed);
    expect((await stepsOf(run.taskId)).map((step) => step.status)).toEqual(['failed', 'cancelled']);
  });

  it('cancels an in-flight call: the server sees the connection close and the run rejects with the task abort reason', async () => {
    const { executor } = await start();
    server.enqueue(reply.hang());
    const run = await taskRun();
    const running = failureOf(executor.run(runRequest(run)));
    await eventually(() => server.chatRequests.length === 1);
    const reason = new TaskAbort('cancelled');
    run.controller.abort(reason);
    expect(await running).toBe(reason);
    await eventually(() => server.chatRequests[0].clientClosed);
    expect((await stepsOf(run.taskId)).map((step) => [step.kind, step.status, step.error])).toEqual([
      ['delegate', 'cancelled', 'The task was cancelled'],
      ['llm', 'cancelled', 'The LLM call was aborted by the caller.'],
    ]);
  });

  it('repairs an invalid answer once, then uses the deterministic result and marks the step degraded', async () => {
    const { executor } = await start({ ENABLE_AGENT_MEMORY: 'false' });
    server.enqueue(reply.message('The lead looks great!'), reply.message('{"score": "high", "explanation": "CTO"}'));
    const run = await taskRun();
    const result = await executor.run(runRequest(run));
    expect(result).toMatchObject({
      output: DETERMINISTIC,
      degraded: true,
      aiMode: 'llm',
      llmCalls: 2,
      degradedReason: 'The answer did not match the result schema after a repair attempt: /score must be integer',
    });
    const repairTurn = (server.chatRequests[1].body?.messages as { role: string; content: string }[]).slice(-2);
    expect(repairTurn[0]).toEqual({ role: 'assistant', content: 'The lead looks great!' });
    expect(repairTurn[1].role).toBe('user');
    expect(repairTurn[1].content).toMatch(/^Your answer does not match the result schema:\n- the answer is not valid JSON: /);
    expect(server.chatRequests[1].body?.tool_choice).toBe('none');

    const steps = await stepsOf(run.taskId);
    expect(steps.map((step) => [step.kind, step.name, step.status])).toEqual([
      ['delegate', 'crm_lead_specialist', 'degraded'],
      ['llm', 'chat gpt-4o-mini', 'completed'],
      ['llm', 'chat gpt-4o-mini (repair)', 'completed'],
      ['tool', 'deterministic', 'completed'],
    ]);
    expect(steps[0].error).toBe(result.degradedReason);
  });

  it('accepts a repaired answer without degrading', async () => {
    const { executor } = await start({ ENABLE_AGENT_MEMORY: 'false' });
    server.enqueue(reply.message('{"score": 82}'), reply.message('```json\n{"score": 82, "explanation": "fixed"}\n```'));
    const result = await executor.run(runRequest(await taskRun()));
    expect(result).toMatchObject({ output: { score: 82, explanation: 'fixed' }, degraded: false, llmCalls: 2 });
    expect((server.chatRequests[1].body?.messages as { content: string }[]).at(-1)?.content).toBe(
      "Your answer does not match the result schema:\n- (root) must have required property 'explanation'\nAnswer again with only the corrected JSON object.",
    );
  });

  it('stops a model that calls tools forever at the iteration limit', async () => {
    const { executor } = await start({ ENABLE_AGENT_MEMORY: 'false', AGENT_MAX_ITERATIONS: '10' });
    server.setScript((_body, index) => reply.toolCalls([{ name: 'score_lead', arguments: { lead_id: `L-${index}` } }]));
    const run = await taskRun();
    const result = await executor.run(runRequest(run, { agent: leadAgent({ maxIterations: 3 }) }));
    expect(result).toMatchObject({
      output: DETERMINISTIC,
      degraded: true,
      llmCalls: 3,
      degradedReason: 'Stopped after 3 LLM turns without a final answer (AGENT_MAX_ITERATIONS).',
    });
    expect(server.chatRequests).toHaveLength(3);
    const steps = await stepsOf(run.taskId);
    expect(steps.filter((step) => step.kind === 'tool').map((step) => step.name)).toEqual([
      'score_lead',
      'score_lead',
      'score_lead',
      'deterministic',
    ]);
  });

  it('answers a repeated identical run from the cache with zero HTTP calls, scoped to the tenant', async () => {
    const { executor } = await start();
    const script = () => [
      reply.toolCalls([{ id: 'call_1', name: 'score_lead', arguments: { lead_id: 'L-1' } }], { usage: usage(900, 40) }),
      reply.message('{"score": 82, "explanation": "cached"}', { usage: usage(1000, 60) }),
    ];
    server.enqueue(...script());
    const first = await taskRun('cache-tenant');
    expect(await executor.run(runRequest(first))).toMatchObject({ llmCalls: 2, cacheHit: false, output: { score: 82 } });
    expect(server.chatRequests).toHaveLength(2);

    const second = await taskRun('cache-tenant');
    const repeated = await executor.run(runRequest(second));
    expect(repeated).toMatchObject({
      output: { score: 82, explanation: 'cached' },
      llmCalls: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      cacheHit: true,
      degraded: false,
    });
    expect(server.chatRequests).toHaveLength(2);
    expect(await store.findById(second.taskId)).toMatchObject({ cacheHit: true, llmCalls: 0, inputTokens: 0, costUsd: 0 });
    const llmSteps = (await stepsOf(second.taskId)).filter((step) => step.kind === 'llm');
    expect(llmSteps.map((step) => [JSON.parse(step.outputSummary ?? '').cache_hit, step.costUsd, step.inputTokens])).toEqual([
      [true, 0, 0],
      [true, 0, 0],
    ]);
    // The tool still ran: only LLM answers are cached.
    expect((await stepsOf(second.taskId)).filter((step) => step.kind === 'tool')).toHaveLength(1);

    // Another tenant with the very same request is a miss.
    server.enqueue(...script());
    const other = await taskRun('other-tenant');
    expect(await executor.run(runRequest(other))).toMatchObject({ llmCalls: 2, cacheHit: false });
    expect(server.chatRequests).toHaveLength(4);
    const rows = await dataSource.query<{ tenant_id: string; hits: number }[]>(
      `SELECT tenant_id, hits FROM llm_cache WHERE tenant_id IN ('cache-tenant', 'other-tenant') ORDER BY tenant_id, hits`,
    );
    expect(rows).toEqual([
      { tenant_id: 'cache-tenant', hits: 1 },
      { tenant_id: 'cache-tenant', hits: 1 },
      { tenant_id: 'other-tenant', hits: 0 },
      { tenant_id: 'other-tenant', hits: 0 },
    ]);
  });

  it('ignores expired cache entries', async () => {
    const { executor } = await start({ ENABLE_AGENT_MEMORY: 'false' });
    server.enqueue(reply.message('{"score": 1, "explanation": "first"}'), reply.message('{"score": 2, "explanation": "second"}'));
    const tenant = 'expiry-tenant';
    await executor.run(runRequest(await taskRun(tenant)));
    await dataSource.query(`UPDATE llm_cache SET expires_at = now() - interval '1 second' WHERE tenant_id = $1`, [tenant]);
    const again = await executor.run(runRequest(await taskRun(tenant)));
    expect(again).toMatchObject({ output: { score: 2 }, cacheHit: false, llmCalls: 1 });
    expect(server.chatRequests).toHaveLength(2);
  });

  it('purges expired cache entries', async () => {
    await start();
    const cache = new LlmCache(dataSource, loadConfig(testApp.env));
    await dataSource.query(
      `INSERT INTO llm_cache (tenant_id, key, model, response, expires_at)
       VALUES ('purge-tenant', repeat('a', 64), 'gpt-4o-mini', '{}', now() - interval '1 minute'),
              ('purge-tenant', repeat('b', 64), 'gpt-4o-mini', '{}', now() + interval '1 hour')`,
    );
    expect(await cache.get('purge-tenant', 'a'.repeat(64))).toBeUndefined();
    expect(await cache.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await dataSource.query(`SELECT left(key, 1) AS key FROM llm_cache WHERE tenant_id = 'purge-tenant'`)).toEqual([{ key: 'b' }]);
    expect(await cache.get('purge-tenant', 'b'.repeat(64))).toEqual({});
    expect(await cache.get('another-tenant', 'b'.repeat(64))).toBeUndefined();
  });

  it('does not cache when ENABLE_CREW_CACHING is false', async () => {
    const { executor } = await start({ ENABLE_CREW_CACHING: 'false', ENABLE_AGENT_MEMORY: 'false' });
    server.enqueue(reply.message('{"score": 1, "explanation": "a"}'), reply.message('{"score": 1, "explanation": "a"}'));
    const tenant = 'nocache-tenant';
    await executor.run(runRequest(await taskRun(tenant)));
    expect(await executor.run(runRequest(await taskRun(tenant)))).toMatchObject({ cacheHit: false, llmCalls: 1 });
    expect(server.chatRequests).toHaveLength(2);
    expect(await dataSource.query(`SELECT 1 FROM llm_cache WHERE tenant_id = $1`, [tenant])).toEqual([]);
  });

  it('recalls memories of the same tenant and agent into the prompt, never another tenant’s', async () => {
    const { executor } = await start({ ENABLE_CREW_CACHING: 'false' });
    server.setScript(() => reply.message('{"score": 91, "explanation": "enterprise buyer with budget"}'));
    await executor.run(runRequest(await taskRun('memory-a'), { instructions: 'Score lead L-7 for enterprise fit' }));

    const systemOf = (index: number) => (server.chatRequests[index].body?.messages as { content: string }[])[0].content;
    expect(systemOf(0)).not.toContain('<memory>');

    await executor.run(runRequest(await taskRun('memory-a'), { instructions: 'Score lead L-8 for enterprise fit' }));
    expect(systemOf(1)).toContain('Notes from your earlier work for this tenant');
    expect(systemOf(1)).toContain(
      'Score lead L-7 for enterprise fit → {\\"score\\":91,\\"explanation\\":\\"enterprise buyer with budget\\"}',
    );

    await executor.run(runRequest(await taskRun('memory-b'), { instructions: 'Score lead L-8 for enterprise fit' }));
    expect(systemOf(2)).not.toContain('<memory>');
    expect(systemOf(2)).not.toContain('L-7');
  });
  it('adds the usage of concurrent agents of one task up exactly on the task row', async () => {
    const { executor } = await start({ ENABLE_AGENT_MEMORY: 'false' });
    server.setScript((body) => {
      const user = (body.messages as { content: string }[])[1].content;
      const n = Number(/L-(\d+)/.exec(user)?.[1]);
      return reply.message(`{"score": ${n}, "explanation": "lead ${n}"}`, { usage: usage(100 * n, 10 * n, n), latencyMs: 20 });
    });
    const run = await taskRun();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => executor.run(runRequest(run, { instructions: `Score lead L-${n}`, input: { lead: `L-${n}` } }))),
    );
    expect(results.map((result) => result.output)).toEqual([1, 2, 3, 4, 5].map((n) => ({ score: n, explanation: `lead ${n}` })));
    // Σn = 15: 1500 input, 150 output, 15 cached. Each call costs 20.925·n micro-USD, rounded per call:
    // 21 + 42 + 63 + 84 + 105 = 315 micro-USD.
    expect(await store.findById(run.taskId)).toMatchObject({
      llmCalls: 5,
      inputTokens: 1500,
      outputTokens: 150,
      cachedTokens: 15,
      costUsd: 0.000315,
    });
    const llmSteps = (await stepsOf(run.taskId)).filter((step) => step.kind === 'llm');
    expect(llmSteps.reduce((sum, step) => sum + step.inputTokens, 0)).toBe(1500);
  });

  it('stops at MAX_LLM_CALLS_PER_TASK and falls back to the deterministic result', async () => {
    const { executor } = await start({ ENABLE_AGENT_MEMORY: 'false', MAX_LLM_CALLS_PER_TASK: '2' });
    server.setScript(() => reply.toolCalls([{ name: 'score_lead', arguments: { lead_id: 'L-1' } }]));
    const run = await taskRun();
    const result = await executor.run(runRequest(run));
    expect(result).toMatchObject({
      output: DETERMINISTIC,
      degraded: true,
      llmCalls: 2,
      degradedReason: `Task ${run.taskId} reached its budget of 2 LLM calls (MAX_LLM_CALLS_PER_TASK).`,
    });
    expect(server.chatRequests).toHaveLength(2);
    expect(await store.findById(run.taskId)).toMatchObject({ llmCalls: 2 });
  });

  it('asks again without response_format when the server refuses json_schema, and remembers it for the model', async () => {
    const { executor } = await start({ ENABLE_AGENT_MEMORY: 'false' });
    server.setScript((body) =>
      body.response_format
        ? reply.error(400, { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model." })
        : reply.message('{"score": 50, "explanation": "plain JSON"}'),
    );
    const run = await taskRun();
    expect(await executor.run(runRequest(run))).toMatchObject({ output: { score: 50 }, degraded: false, llmCalls: 2 });
    expect(server.chatRequests.map((recorded) => recorded.body?.response_format !== undefined)).toEqual([true, false]);
    expect((await stepsOf(run.taskId)).filter((step) => step.kind === 'llm').map((step) => step.status)).toEqual(['failed', 'completed']);

    await executor.run(runRequest(await taskRun(), { instructions: 'Score lead L-2' }));
    expect(server.chatRequests.map((recorded) => recorded.body?.response_format !== undefined)).toEqual([true, false, false]);
  });

  it('runs the deterministic function without any HTTP call when forced (budget downgrade)', async () => {
    const { executor } = await start();
    const run = await taskRun();
    const result = await executor.run(runRequest(run, { forceDeterministic: true }));
    expect(result).toEqual({
      output: DETERMINISTIC,
      degraded: false,
      aiMode: 'deterministic',
      llmCalls: 0,
      inputTokens: 0,
      outputTokens: 0,
      cachedTokens: 0,
      costUsd: 0,
      cacheHit: false,
      stepId: expect.any(String),
    });
    expect(server.requests).toHaveLength(0);
    expect((await stepsOf(run.taskId)).map((step) => [step.kind, step.name, step.agentId, step.tier, step.status])).toEqual([
      ['tool', 'crm_lead_specialist (deterministic)', 'crm_lead_specialist', 'specialist', 'completed'],
    ]);
  });

  it('keeps at most CREW_MEMORY_LIMIT memories per tenant and agent, evicting the oldest', async () => {
    const { memory } = await start({ CREW_MEMORY_LIMIT: '3' });
    const manager = dataSource.manager;
    for (const n of [1, 2, 3, 4, 5]) {
      await memory.remember(manager, { tenantId: 'evict-a', agentId: 'crm_lead_specialist', summary: `scored lead number ${n} as hot` });
    }
    await memory.remember(manager, { tenantId: 'evict-b', agentId: 'crm_lead_specialist', summary: 'scored lead number 1 as cold' });
    await memory.remember(manager, { tenantId: 'evict-a', agentId: 'crm_customer_specialist', summary: 'segmented lead number 1' });
    expect(await memory.count(manager, 'evict-a', 'crm_lead_specialist')).toBe(3);
    expect(await memory.count(manager, 'evict-b', 'crm_lead_specialist')).toBe(1);
    expect(await memory.count(manager, 'evict-a', 'crm_customer_specialist')).toBe(1);
    const recalled = await memory.recall(manager, 'evict-a', 'crm_lead_specialist', 'Score the hot lead', 10);
    expect([...recalled].sort()).toEqual(['scored lead number 3 as hot', 'scored lead number 4 as hot', 'scored lead number 5 as hot']);
    expect(await memory.recall(manager, 'evict-b', 'crm_lead_specialist', 'hot lead', 10)).toEqual(['scored lead number 1 as cold']);
    expect(await memory.recall(manager, 'evict-a', 'crm_lead_specialist', 'invoice dunning', 10)).toEqual([]);
  });

  it('ranks recalled memories by relevance to the instructions', async () => {
    const { memory } = await start();
    const manager = dataSource.manager;
    await memory.remember(manager, { tenantId: 'rank', agentId: 'crm_lead_specialist', summary: 'pipeline review of stage conversion' });
    await memory.remember(manager, {
      tenantId: 'rank',
      agentId: 'crm_lead_specialist',
      summary: 'enterprise lead scoring: CTO leads score high',
    });
    await memory.remember(manager, { tenantId: 'rank', agentId: 'crm_lead_specialist', summary: 'lead follow-up schedule' });
    expect(await memory.recall(manager, 'rank', 'crm_lead_specialist', 'Score the enterprise lead', 5)).toEqual([
      'enterprise lead scoring: CTO leads score high',
      'lead follow-up schedule',
    ]);
  });

  describe('planner', () => {
    const supervisor = leadAgent({
      id: 'crm_supervisor',
      name: 'CRM Supervisor',
      tier: 'supervisor',
      role: 'the CRM domain supervisor',
      tools: [],
    });
    const lead = leadAgent();
    const customer = leadAgent({ id: 'crm_customer_specialist', name: 'Customer Specialist', role: 'a customer analyst' });
    const planRequest = (run: TaskRun, overrides: Partial<PlanRequest> = {}): PlanRequest => ({
      supervisor,
      instructions: 'Analyse the CRM pipeline and score the open leads',
      input: { leads: 3 },
      candidates: [supervisor, lead, customer],
      maxSubtasks: 3,
      context: run.context,
      depth: 1,
      ...overrides,
    });
    const plan = (subtasks: unknown[]) => reply.message(JSON.stringify({ subtasks }), { usage: usage(500, 100) });
    const sub = (id: string, agent_id: string, instructions: string, depends_on: string[] = []) => ({
      id,
      agent_id,
      instructions,
      depends_on,
    });

    it('plans with structured output restricted to the candidates, excluding the supervisor and its delegator', async () => {
      const { planner } = await start({ ENABLE_CREW_CACHING: 'false' });
      server.enqueue(
        plan([sub('s1', 'crm_lead_specialist', 'Score the open leads'), sub('s2', 'crm_customer_specialist', 'Summarise', ['s1'])]),
      );
      const run = await taskRun();
      const result = await planner.plan(planRequest(run, { delegatedBy: 'master_business_supervisor' }));
      expect(result).toMatchObject({
        subtasks: [sub('s1', 'crm_lead_specialist', 'Score the open leads'), sub('s2', 'crm_customer_specialist', 'Summarise', ['s1'])],
        dropped: [],
        llmCalls: 1,
        inputTokens: 500,
        outputTokens: 100,
        costUsd: 0.000135,
      });
      const format = server.chatRequests[0].body?.response_format as { json_schema: { name: string; schema: Record<string, any> } };
      expect(format.json_schema.name).toBe('plan');
      expect(format.json_schema.schema.properties.subtasks.items.properties.agent_id.enum).toEqual([
        'crm_lead_specialist',
        'crm_customer_specialist',
      ]);
      expect(format.json_schema.schema.properties.subtasks.maxItems).toBe(3);
      const steps = await stepsOf(run.taskId);
      expect(steps.map((step) => [step.kind, step.name, step.status])).toEqual([
        ['delegate', 'plan crm_supervisor', 'completed'],
        ['llm', 'chat gpt-4o-mini', 'completed'],
      ]);
    });

    it('repairs a plan that names an unknown agent, and rejects one that stays invalid', async () => {
      const { planner } = await start({ ENABLE_CREW_CACHING: 'false' });
      server.enqueue(
        plan([sub('s1', 'crm_supervisor', 'Do it all myself')]),
        plan([sub('s1', 'crm_lead_specialist', 'Score the open leads')]),
      );
      const repaired = await planner.plan(planRequest(await taskRun()));
      expect(repaired.subtasks).toEqual([sub('s1', 'crm_lead_specialist', 'Score the open leads')]);
      expect((server.chatRequests[1].body?.messages as { content: string }[]).at(-1)?.content).toBe(
        'Your answer does not match the result schema:\n' +
          '- /subtasks/0/agent_id must be equal to one of the allowed values: ["crm_lead_specialist","crm_customer_specialist"]\n' +
          'Answer again with only the corrected JSON object.',
      );

      server.enqueue(
        plan([sub('a', 'crm_lead_specialist', 'x', ['b']), sub('b', 'crm_lead_specialist', 'y', ['a'])]),
        reply.message('no plan'),
      );
      const error = await failureOf(planner.plan(planRequest(await taskRun())));
      expect(error).toBeInstanceOf(PlanRejectedError);
      expect(error).toMatchObject({ code: 'plan_rejected', supervisorId: 'crm_supervisor' });
      expect((error as PlanRejectedError).errors[0]).toMatch(/^the answer is not valid JSON: /);
    });

    it('drops repeated subtasks within a plan and across the task, and refuses a plan of only repeats', async () => {
      const { planner } = await start({ ENABLE_CREW_CACHING: 'false' });
      const run = await taskRun();
      server.enqueue(
        plan([
          sub('s1', 'crm_lead_specialist', 'Score the open leads'),
          sub('s2', 'crm_lead_specialist', '  score the OPEN leads! '),
          sub('s3', 'crm_customer_specialist', 'Summarise the scores', ['s2']),
        ]),
      );
      const first = await planner.plan(planRequest(run));
      expect(first.subtasks).toEqual([
        sub('s1', 'crm_lead_specialist', 'Score the open leads'),
        sub('s3', 'crm_customer_specialist', 'Summarise the scores', ['s1']),
      ]);
      expect(first.dropped).toEqual([{ id: 's2', agent_id: 'crm_lead_specialist', reason: 'duplicate_in_plan' }]);

      server.enqueue(
        plan([sub('t1', 'crm_lead_specialist', 'Score the open leads'), sub('t2', 'crm_customer_specialist', 'Churn risk', ['t1'])]),
      );
      const second = await planner.plan(planRequest(run, { instructions: 'Check churn risk of the scored leads', depth: 2 }));
      expect(second.subtasks).toEqual([sub('t2', 'crm_customer_specialist', 'Churn risk')]);
      expect(second.dropped).toEqual([{ id: 't1', agent_id: 'crm_lead_specialist', reason: 'already_delegated' }]);

      server.enqueue(plan([sub('u1', 'crm_lead_specialist', 'Score the open leads')]));
      const error = await failureOf(planner.plan(planRequest(run, { instructions: 'Score them again' })));
      expect(error).toBeInstanceOf(DelegationGuardError);
      expect(error).toMatchObject({ guard: 'duplicates' });
    });

    it('refuses plans deeper than 3 and plans with nobody to delegate to, without an LLM call', async () => {
      const { planner } = await start();
      const run = await taskRun();
      const deep = await failureOf(planner.plan(planRequest(run, { depth: 4 })));
      expect(deep).toBeInstanceOf(DelegationGuardError);
      expect(deep).toMatchObject({ guard: 'depth', message: 'Delegation depth 4 exceeds the limit of 3.' });
      const alone = await failureOf(planner.plan(planRequest(run, { candidates: [supervisor, lead], delegatedBy: 'crm_lead_specialist' })));
      expect(alone).toMatchObject({ guard: 'no_candidates', message: 'crm_supervisor has no agent to delegate to.' });
      expect(server.requests).toHaveLength(0);
    });

    it('counts planner calls against MAX_LLM_CALLS_PER_TASK', async () => {
      const { planner } = await start({ MAX_LLM_CALLS_PER_TASK: '1' });
      server.enqueue(reply.message('not a plan'));
      const error = await failureOf(planner.plan(planRequest(await taskRun())));
      expect(error).toBeInstanceOf(LlmCallBudgetExceededError);
      expect(server.chatRequests).toHaveLength(1);
    });
  });

  describe('through the task API', () => {
    class ProbeParams {
      @IsString()
      lead_id: string;
    }
    const http = () => request(testApp.app.getHttpServer());
    const submit = (body: Record<string, unknown>) =>
      http()
        .post('/api/crew/execute')
        .set('X-Tenant-ID', 'api-tenant')
        .send({ type: 'agent_runtime_probe', description: 'Score lead L-1', parameters: { lead_id: 'L-1' }, ...body });

    beforeAll(() => {
      const executor = testApp.app.get(AgentExecutor);
      testApp.app.get(TaskTypeRegistry).register<ProbeParams>({
        type: 'agent_runtime_probe',
        domain: 'crm',
        description: 'Scores a lead with one agent (agent runtime test)',
        // Queued and run by the type's own handler, so the test exercises the agent runtime without the
        // strategy layer (whose ai_mode bookkeeping belongs to the delegation engine).
        complexity: 'simple',
        strategy: 'direct_api',
        queued: true,
        requiresAi: false,
        parameters: ProbeParams,
        resultSchema: RESULT_SCHEMA,
        run: async (context, parameters) => {
          const result = await executor.run({
            agent: leadAgent(),
            instructions: context.description,
            input: parameters,
            tools: [scoreLeadTool()],
            resultSchema: RESULT_SCHEMA,
            deterministic: () => Promise.resolve(DETERMINISTIC),
            context,
          });
          return { result: result.output, aiMode: result.aiMode, agentsUsed: ['crm_lead_specialist'] };
        },
      });
    });

    it('reports ai_mode llm, then a repeated identical task as a cache hit with zero LLM calls', async () => {
      appServer.setScript((body) =>
        (body.messages as unknown[]).length === 2
          ? reply.toolCalls([{ id: 'call_1', name: 'score_lead', arguments: { lead_id: 'L-1' } }], { usage: usage(400, 20) })
          : reply.message('{"score": 82, "explanation": "CTO"}', { usage: usage(500, 30) }),
      );
      const first = await submit({}).expect(200);
      expect(first.body).toMatchObject({
        status: 'completed',
        result: { score: 82, explanation: 'CTO' },
        metrics: { llm_calls: 2, input_tokens: 900, output_tokens: 50, cost_usd: 0.000165, cache_hit: false },
      });
      const calls = appServer.chatRequests.length;
      const second = await submit({}).expect(200);
      expect(second.body).toMatchObject({
        status: 'completed',
        result: { score: 82, explanation: 'CTO' },
        metrics: { llm_calls: 0, input_tokens: 0, cost_usd: 0, cache_hit: true },
      });
      expect(appServer.chatRequests).toHaveLength(calls);
      const trace = await http().get(`/api/crew/task/${second.body.task_id}?include=trace`).set('X-Tenant-ID', 'api-tenant').expect(200);
      expect(JSON.stringify(trace.body.trace)).toContain('"kind":"llm"');
    });

    it('cancels a task during an in-flight LLM call: the server sees the connection close, the task ends cancelled', async () => {
      appServer.setScript(() => reply.hang());
      const accepted = await submit({ description: 'Score lead L-2 slowly', async_execution: true }).expect(202);
      const taskId = accepted.body.task_id as string;
      const hanging = await eventually(() =>
        appServer.chatRequests.find((recorded) => JSON.stringify(recorded.body).includes('L-2 slowly')),
      );
      await http().delete(`/api/crew/task/${taskId}`).set('X-Tenant-ID', 'api-tenant').expect(200);
      await eventually(() => hanging.clientClosed);
      const task = await eventually(async () => {
        const read = await http().get(`/api/crew/task/${taskId}?include=trace`).set('X-Tenant-ID', 'api-tenant').expect(200);
        return read.body.status === 'cancelled' ? read.body : undefined;
      });
      expect(task).toMatchObject({ status: 'cancelled', error: 'The task was cancelled' });
    });
  });
});
