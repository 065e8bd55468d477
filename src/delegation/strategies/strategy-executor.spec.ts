import { IsOptional, IsString } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/app-config.js';
import { ValidationProblem } from '../../common/problem.js';
import { AgentRegistry } from '../agent-registry.js';
import { domainAgent, MASTER_SUPERVISOR } from '../master-supervisor.js';
import type { StepStart, TaskRunContext, TaskTypeDefinition, TraceWriter } from '../../tasks/task-type.js';
import { TaskTypeRegistry } from '../task-type.registry.js';
import { CrewWorkflowRunner } from './crew-workflow.runner.js';
import { DeterministicRunner, DirectRunner } from './direct.runner.js';
import { FallbackChain } from './fallback-chain.js';
import { MultiAgentRunner } from './multi-agent.runner.js';
import { Narrator } from './narrator.js';
import { PlanRunner } from './plan-runner.js';
import { SingleAgentRunner } from './single-agent.runner.js';
import { FallbackExhaustedError, StrategyExecutor } from './strategy-executor.service.js';

class Params {
  @IsOptional()
  @IsString()
  note?: string;
}

interface Injection {
  crew?: boolean;
  multi?: boolean;
  /** How many runs of the type's own handler fail (the single-agent and deterministic levels use it). */
  handlerFailures?: number;
  problemAtCrew?: boolean;
}

function setup(injection: Injection) {
  const agents = new AgentRegistry();
  agents.registerAgent(MASTER_SUPERVISOR);
  for (const [id, tier] of [
    ['crm_supervisor', 'supervisor'],
    ['crm_lead_specialist', 'specialist'],
    ['crm_data_processor', 'worker'],
  ] as const) {
    agents.registerAgent(domainAgent({ id, name: id, tier, domain: 'crm', role: id, goal: 'g', backstory: 'b', tools: [] }));
  }
  const types = new TaskTypeRegistry();
  let failures = injection.handlerFailures ?? 0;
  const part = (type: string, fail: () => boolean): TaskTypeDefinition => ({
    type,
    domain: 'crm',
    description: type,
    complexity: 'simple',
    strategy: 'single_agent',
    requiresAi: true,
    agent: 'crm_lead_specialist',
    parameters: Params,
    resultSchema: {},
    run: () => {
      if (injection.problemAtCrew && type === 'crew_part') throw new ValidationProblem([{ field: 'note', message: 'bad' }]);
      if (fail()) return Promise.reject(new Error(`${type} failed`));
      return Promise.resolve({ aiMode: 'deterministic', result: { from: type } });
    },
  });
  types.register(part('crew_part', () => injection.crew === true));
  types.register(part('multi_part', () => injection.multi === true));
  const main: TaskTypeDefinition = {
    ...part('main', () => failures-- > 0),
    supportedStrategies: ['single_agent', 'multi_agent', 'crew_workflow'],
    plan: [{ id: 'compute', agent: 'crm_lead_specialist', instructions: 'compute', taskType: 'multi_part' }],
    crewPlan: [{ id: 'crm', agent: 'crm_supervisor', instructions: 'crm', taskType: 'crew_part' }],
    synthesize: (results) => ({ synthesized: results }),
  };
  // The crew runs crew_part as the CRM supervisor's multi-agent work: give crew_part a plan that fails at the crew level.
  types.register(main);
  const config = loadConfig({});
  const narrator = new Narrator(config, agents);
  const plans = new PlanRunner(config, agents, types);
  const single = new SingleAgentRunner(agents, narrator);
  const multi = new MultiAgentRunner(agents, plans, narrator);
  const crew = new CrewWorkflowRunner(agents, types, plans, narrator, single, multi);
  const chain = new FallbackChain([new DirectRunner(), single, multi, crew, new DeterministicRunner()]);
  const executor = new StrategyExecutor(config, agents, types, chain);
  const steps: StepStart[] = [];
  const trace: TraceWriter = {
    start: (step) => {
      steps.push(step);
      return Promise.resolve({ id: `s${steps.length}`, finish: () => Promise.resolve() });
    },
    run: async (step, work) => {
      steps.push(step);
      return work();
    },
  };
  const controller = new AbortController();
  const context: TaskRunContext = {
    taskId: 't1',
    tenantId: 'tenant',
    description: 'test',
    signal: controller.signal,
    manager: {} as EntityManager,
    write: (work) => work({} as EntityManager),
    trace,
    stepSignal: () => controller.signal,
  };
  return { executor, main, context, controller, steps };
}

describe('StrategyExecutor fallback chain', () => {
  it('runs the decided strategy when nothing fails', async () => {
    const { executor, main, context } = setup({});
    const outcome = await executor.execute('crew_workflow', main, {}, context);
    expect(outcome.fallbackChain).toEqual(['crew_workflow']);
    expect(outcome.agentsUsed).toEqual(expect.arrayContaining(['master_business_supervisor', 'crm_supervisor']));
  });

  it('crew fails → multi_agent', async () => {
    const { executor, main, context } = setup({ crew: true });
    const outcome = await executor.execute('crew_workflow', main, {}, context);
    expect(outcome.fallbackChain).toEqual(['crew_workflow', 'multi_agent']);
    expect(outcome.result).toEqual({ synthesized: { compute: { from: 'multi_part' } }, narrative: null });
  });

  it('crew and multi fail → single_agent', async () => {
    const { executor, main, context } = setup({ crew: true, multi: true });
    const outcome = await executor.execute('crew_workflow', main, {}, context);
    expect(outcome.fallbackChain).toEqual(['crew_workflow', 'multi_agent', 'single_agent']);
    expect(outcome.result).toEqual({ from: 'main', narrative: null });
    expect(outcome.agentsUsed).toEqual(['crm_lead_specialist']);
  });

  it('crew, multi and single fail → deterministic direct execution', async () => {
    const { executor, main, context, steps } = setup({ crew: true, multi: true, handlerFailures: 1 });
    const outcome = await executor.execute('crew_workflow', main, {}, context);
    expect(outcome.fallbackChain).toEqual(['crew_workflow', 'multi_agent', 'single_agent', 'deterministic']);
    expect(outcome.result).toEqual({ from: 'main' });
    expect(steps.at(-1)).toMatchObject({ kind: 'direct', name: 'main' });
  });

  it('everything fails → FallbackExhaustedError with the chain and each cause, internal errors without their text', async () => {
    const { executor, main, context } = setup({ crew: true, multi: true, handlerFailures: 2 });
    const error = await executor.execute('crew_workflow', main, {}, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FallbackExhaustedError);
    expect((error as FallbackExhaustedError).fallbackChain).toEqual(['crew_workflow', 'multi_agent', 'single_agent', 'deterministic']);
    // The fakes throw plain Errors ("crew_part failed", …): internal, so the task shows no text of theirs.
    expect((error as FallbackExhaustedError).causes).toEqual([
      'crew_workflow: an unexpected error (details in the service log)',
      'multi_agent: an unexpected error (details in the service log)',
      'single_agent: an unexpected error (details in the service log)',
      'deterministic: an unexpected error (details in the service log)',
    ]);
  });

  it('starts the chain at the decided level (multi → single → deterministic)', async () => {
    const { executor, main, context } = setup({ multi: true });
    const outcome = await executor.execute('multi_agent', main, {}, context);
    expect(outcome.fallbackChain).toEqual(['multi_agent', 'single_agent']);
  });

  it('does not fall back on bad input or cancellation', async () => {
    const bad = setup({ problemAtCrew: true });
    await expect(bad.executor.execute('crew_workflow', bad.main, {}, bad.context)).rejects.toBeInstanceOf(ValidationProblem);
    const cancelled = setup({ crew: true });
    cancelled.controller.abort(new Error('cancelled'));
    await expect(cancelled.executor.execute('crew_workflow', cancelled.main, {}, cancelled.context)).rejects.toThrow('crew_part failed');
  });
});
