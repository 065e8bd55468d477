import { getDataSourceToken } from '@nestjs/typeorm';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentExecutor } from '../src/agents/agent-executor.js';
import type { AgentDefinition } from '../src/agents/agent.types.js';
import { LlmGateway } from '../src/agents/llm-gateway.js';
import { Planner } from '../src/agents/planner.js';
import { createTaskRun } from './support/task-run.js';
import { ProblemFilter } from '../src/common/problem.filter.js';
import { loadConfig } from '../src/config/app-config.js';
import { BudgetExceededProblem, BudgetService } from '../src/llm/budget.service.js';
import { LlmClient } from '../src/llm/llm-client.js';
import { loadLlmRuntimeConfig } from '../src/llm/llm-runtime.config.js';
import { TaskStore } from '../src/tasks/task.store.js';
import { reply, type ScriptedOpenAiServer, startScriptedOpenAiServer } from './support/scripted-openai-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const AGENT: AgentDefinition = {
  id: 'crm_lead_specialist',
  name: 'Lead Specialist',
  tier: 'specialist',
  domain: 'crm',
  role: 'a B2B lead qualification specialist',
  goal: 'Score leads',
  backstory: 'Sales development.',
  tools: [],
  maxIterations: 5,
  reportsTo: 'crm_supervisor',
};

describe('deterministic mode and tenant budgets', () => {
  let server: ScriptedOpenAiServer;
  let testApp: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    // A scripted server exists, but the app is not pointed at it: no OPENAI_API_KEY, no OPENAI_BASE_URL.
    server = await startScriptedOpenAiServer([reply.message('{"never": "asked"}')]);
    testApp = await createTestApp({ TENANT_DAILY_BUDGET_USD: '1' });
    dataSource = testApp.app.get<DataSource>(getDataSourceToken());
  });
  afterAll(async () => {
    await testApp?.dispose();
    await server?.close();
  });

  describe('deterministic mode', () => {
    it('wires no LLM client and runs agents deterministically, with no HTTP call at all', async () => {
      expect(testApp.app.get(LlmClient, { strict: false })).toBeNull();
      expect(testApp.app.get(LlmGateway).enabled).toBe(false);
      const executor = testApp.app.get(AgentExecutor);
      expect(executor.mode).toBe('deterministic');

      const run = await createTaskRun(dataSource, { tenantId: 'det-tenant' });
      const result = await executor.run({
        agent: AGENT,
        instructions: 'Score lead L-1',
        input: { lead: 'L-1' },
        tools: [],
        resultSchema: { type: 'object' },
        deterministic: () => Promise.resolve({ score: 70 }),
        context: run.context,
      });
      expect(result).toEqual({
        output: { score: 70 },
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
      const steps = await new TaskStore(dataSource).steps(run.taskId);
      expect(steps.map((step) => [step.id, step.kind, step.agentId, step.tier, step.status, step.inputTokens, step.costUsd])).toEqual([
        [result.stepId, 'tool', 'crm_lead_specialist', 'specialist', 'completed', 0, 0],
      ]);
      expect(await new TaskStore(dataSource).findById(run.taskId)).toMatchObject({ llmCalls: 0, costUsd: 0, cacheHit: false });
      expect(server.requests).toHaveLength(0);
    });

    it('records a failing deterministic function as a failed step and rethrows its error', async () => {
      const run = await createTaskRun(dataSource, { tenantId: 'det-tenant' });
      const failure = new Error('no leads given');
      await expect(
        testApp.app.get(AgentExecutor).run({
          agent: AGENT,
          instructions: 'Score',
          input: {},
          tools: [],
          resultSchema: { type: 'object' },
          deterministic: () => Promise.reject(failure),
          context: run.context,
        }),
      ).rejects.toBe(failure);
      const steps = await new TaskStore(dataSource).steps(run.taskId);
      expect(steps.map((step) => [step.status, step.error])).toEqual([['failed', 'no leads given']]);
    });

    it('never plans without an LLM (the strategies use the catalogue plans)', async () => {
      const run = await createTaskRun(dataSource, { tenantId: 'det-tenant' });
      await expect(
        testApp.app.get(Planner).plan({
          supervisor: { ...AGENT, id: 'crm_supervisor', tier: 'supervisor' },
          instructions: 'Plan',
          input: {},
          candidates: [AGENT],
          maxSubtasks: 3,
          context: run.context,
          depth: 1,
        }),
      ).rejects.toThrow('The planner needs an LLM; deterministic mode uses the catalogue default plans');
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('BudgetService', () => {
    const budget = () => testApp.app.get(BudgetService);
    /** A finished task row costing `costUsd`, created `daysAgo` days ago. */
    const spend = (tenantId: string, costUsd: number, daysAgo = 0) =>
      dataSource.query(
        `INSERT INTO tasks (tenant_id, type, description, timeout_s, status, cost_usd, created_at)
         VALUES ($1, 'crm_lead_scoring', 'spent', 60, 'completed', $2, now() - make_interval(days => $3))`,
        [tenantId, costUsd, daysAgo],
      );

    it('sums today’s task costs against TENANT_DAILY_BUDGET_USD', async () => {
      await spend('budget-a', 0.25);
      await spend('budget-a', 0.35);
      await spend('budget-a', 5, 2);
      await spend('budget-other', 0.99);
      expect(await budget().spentToday('budget-a')).toBe(0.6);
      const within = await budget().check('budget-a', 0.3);
      expect(within).toMatchObject({ allowed: true, limit: 1, spentToday: 0.6, remaining: 0.4, estimatedCostUsd: 0.3, action: 'refuse' });
      expect(within.resetsAt.getTime()).toBe(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1));
      expect(await budget().check('budget-a', 0.4)).toMatchObject({ allowed: true, remaining: 0.4 });
      expect(await budget().check('budget-a', 0.41)).toMatchObject({ allowed: false, remaining: 0.4, action: 'refuse' });
      expect(await budget().enforce('budget-a', 0.1)).toBe('run');
    });

    it('refuses over budget with a 402 problem+json that says what to do', async () => {
      await spend('budget-b', 1.2);
      const error = await budget()
        .enforce('budget-b', 0.05)
        .then(
          () => undefined,
          (rejection: unknown) => rejection,
        );
      expect(error).toBeInstanceOf(BudgetExceededProblem);
      const problem = new ProblemFilter().toProblem(error, { originalUrl: '/api/crew/execute' } as Request);
      expect(problem).toMatchObject({
        type: 'urn:ai-crew:problem:budget-exceeded',
        title: 'Payment Required',
        status: 402,
        instance: '/api/crew/execute',
        tenant_id: 'budget-b',
        daily_budget_usd: 1,
        spent_today_usd: 1.2,
        remaining_usd: 0,
        estimated_cost_usd: 0.05,
      });
      expect(problem.detail).toMatch(
        /^Tenant budget-b has spent \$1\.200000 of its daily LLM budget of \$1\.000000 today \(UTC\) and this task is estimated at \$0\.050000\. The budget resets at \d{4}-\d\d-\d\dT00:00:00\.000Z; raise the tenant's daily budget \(tenant_settings or TENANT_DAILY_BUDGET_USD\) or submit the task without requires_ai\.$/,
      );
    });

    it('uses the tenant’s own budget and action from tenant_settings', async () => {
      await spend('budget-c', 3);
      await dataSource.query(
        `INSERT INTO tenant_settings (tenant_id, daily_budget_usd, over_budget_action) VALUES ('budget-c', 10, 'downgrade')`,
      );
      await dataSource.query(`INSERT INTO tenant_settings (tenant_id, daily_budget_usd, over_budget_action) VALUES ('budget-d', 2, NULL)`);
      await spend('budget-d', 3);
      expect(await budget().check('budget-c', 1)).toMatchObject({ allowed: true, limit: 10, remaining: 7, action: 'downgrade' });
      expect(await budget().check('budget-c', 8)).toMatchObject({ allowed: false, action: 'downgrade' });
      expect(await budget().enforce('budget-c', 8)).toBe('downgrade');
      expect(await budget().check('budget-d', 0)).toMatchObject({
        allowed: false,
        limit: 2,
        spentToday: 3,
        remaining: 0,
        action: 'refuse',
      });
    });

    it('is unlimited without any budget, and takes a registered resolver over the table', async () => {
      const config = loadConfig({ ...testApp.env, TENANT_DAILY_BUDGET_USD: '' });
      const unlimited = new BudgetService(
        dataSource,
        config,
        loadLlmRuntimeConfig({ BUDGET_EXCEEDED_ACTION: 'downgrade' }),
        new TaskStore(dataSource),
      );
      await spend('budget-e', 100);
      expect(await unlimited.check('budget-e', 50)).toMatchObject({ allowed: true, limit: null, remaining: null, action: 'downgrade' });

      unlimited.setTenantBudgetResolver((tenantId) =>
        Promise.resolve(tenantId === 'budget-e' ? { dailyBudgetUsd: 120, action: 'refuse' } : null),
      );
      expect(await unlimited.check('budget-e', 30)).toMatchObject({
        allowed: false,
        limit: 120,
        spentToday: 100,
        remaining: 20,
        action: 'refuse',
      });
      expect(await unlimited.check('budget-f', 30)).toMatchObject({ allowed: true, limit: null });
    });
  });
});
