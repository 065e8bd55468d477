import type { EntityManager } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { NotFoundProblem } from '../../common/problem.js';
import type { TaskRunContext, TaskTypeDefinition } from '../../tasks/task-type.js';
import type { Strategy } from '../../tasks/task.types.js';
import { FallbackChain, FallbackExhaustedError } from './fallback-chain.js';
import { type ChainLink, DETERMINISTIC, type LinkOutcome, type RunOptions, type StrategyRunner } from './strategy-runner.js';

/** A runner that answers or throws what the test says, and records how it was called. */
class ScriptedRunner implements StrategyRunner {
  readonly calls: RunOptions[] = [];

  constructor(
    readonly links: readonly ChainLink[],
    private readonly answer: () => LinkOutcome,
  ) {}

  run(_definition: TaskTypeDefinition, _parameters: object, _context: TaskRunContext, options: RunOptions): Promise<LinkOutcome> {
    this.calls.push(options);
    return Promise.resolve().then(this.answer);
  }
}

const ok =
  (result: unknown): (() => LinkOutcome) =>
  () => ({ result, aiMode: 'deterministic', agentsUsed: [], degraded: false });
const fail =
  (error: Error): (() => LinkOutcome) =>
  () => {
    throw error;
  };
/** An error whose text is written for the caller (http-errors' convention). */
const exposed = (message: string): Error => Object.assign(new Error(message), { expose: true });

function setup(answers: Partial<Record<ChainLink, () => LinkOutcome>>) {
  const runner = (links: ChainLink[]) => new ScriptedRunner(links, answers[links[0]] ?? ok(links[0]));
  const runners = {
    direct: runner(['direct_db', 'direct_api']),
    single: runner(['single_agent']),
    multi: runner(['multi_agent']),
    crew: runner(['crew_workflow']),
    deterministic: runner([DETERMINISTIC]),
  };
  const chain = new FallbackChain(Object.values(runners));
  const controller = new AbortController();
  const context: TaskRunContext = {
    taskId: 't1',
    tenantId: 'tenant',
    description: 'test',
    signal: controller.signal,
    manager: {} as EntityManager,
    write: (work) => work({} as EntityManager),
    trace: { start: () => Promise.reject(new Error('no trace here')), run: (_step, work) => work() },
    stepSignal: () => controller.signal,
  };
  return { chain, runners, context, controller };
}

function definition(strategy: Strategy, supportedStrategies?: Strategy[]): TaskTypeDefinition {
  return {
    type: 'some_type',
    domain: 'crm',
    description: 'some type',
    complexity: 'moderate',
    strategy,
    supportedStrategies,
    requiresAi: true,
    parameters: Object,
    resultSchema: {},
    run: () => Promise.resolve({ result: null, aiMode: 'deterministic' }),
  };
}

describe('FallbackChain.chainFor', () => {
  const { chain } = setup({});

  it('is the decided strategy alone for a direct one', () => {
    expect(chain.chainFor('direct_db', definition('direct_db'))).toEqual(['direct_db']);
    expect(chain.chainFor('direct_api', definition('direct_api'))).toEqual(['direct_api']);
  });

  it('goes down through the AI strategies the type supports, then deterministic', () => {
    const all = definition('single_agent', ['single_agent', 'multi_agent', 'crew_workflow']);
    expect(chain.chainFor('crew_workflow', all)).toEqual(['crew_workflow', 'multi_agent', 'single_agent', DETERMINISTIC]);
    expect(chain.chainFor('multi_agent', all)).toEqual(['multi_agent', 'single_agent', DETERMINISTIC]);
    expect(chain.chainFor('single_agent', all)).toEqual(['single_agent', DETERMINISTIC]);
  });

  it('skips the strategies the type does not support (its own strategy when it lists none)', () => {
    expect(chain.chainFor('crew_workflow', definition('single_agent', ['single_agent', 'crew_workflow']))).toEqual([
      'crew_workflow',
      'single_agent',
      DETERMINISTIC,
    ]);
    expect(chain.chainFor('crew_workflow', definition('multi_agent'))).toEqual(['crew_workflow', 'multi_agent', DETERMINISTIC]);
  });
});

describe('FallbackChain.run', () => {
  it('records the links taken and returns the answering link’s outcome', async () => {
    const { chain, context } = setup({ crew_workflow: fail(new Error('crew down')) });
    const outcome = await chain.run('crew_workflow', definition('multi_agent'), {}, context);
    expect(outcome).toEqual({
      result: 'multi_agent',
      aiMode: 'deterministic',
      agentsUsed: [],
      fallbackChain: ['crew_workflow', 'multi_agent'],
      degraded: false,
    });
  });

  it('runs the direct strategies without falling back: their error as it is', async () => {
    const boom = new Error('database gone');
    const { chain, runners, context } = setup({ direct_db: fail(boom) });
    await expect(chain.run('direct_db', definition('direct_db'), {}, context)).rejects.toBe(boom);
    expect(runners.deterministic.calls).toHaveLength(0);
    await expect(chain.run('direct_api', definition('direct_api'), {}, context)).rejects.toBe(boom);
  });

  it('passes the budget’s deterministic downgrade to every link it runs', async () => {
    const { chain, runners, context } = setup({ single_agent: fail(new Error('no')) });
    await chain.run('single_agent', definition('single_agent'), {}, context, { forceDeterministic: true });
    expect(runners.single.calls).toEqual([{ forceDeterministic: true }]);
    expect(runners.deterministic.calls).toEqual([{ forceDeterministic: true }]);
  });

  it('exhausted: each cause, with the text of errors written for the caller only', async () => {
    const { chain, context } = setup({
      multi_agent: fail(exposed('Delegation depth 4 exceeds the limit of 3.')),
      single_agent: fail(new Error('connection string with a password')),
      deterministic: fail(new Error('still broken')),
    });
    const error = await chain
      .run('multi_agent', definition('multi_agent', ['single_agent', 'multi_agent']), {}, context)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FallbackExhaustedError);
    expect((error as FallbackExhaustedError).fallbackChain).toEqual(['multi_agent', 'single_agent', DETERMINISTIC]);
    expect((error as FallbackExhaustedError).causes).toEqual([
      'multi_agent: Delegation depth 4 exceeds the limit of 3.',
      'single_agent: an unexpected error (details in the service log)',
      'deterministic: an unexpected error (details in the service log)',
    ]);
    expect((error as Error).message).toBe(
      'Every strategy failed (multi_agent → single_agent → deterministic): multi_agent: Delegation depth 4 exceeds the limit of 3.; ' +
        'single_agent: an unexpected error (details in the service log); deterministic: an unexpected error (details in the service log)',
    );
  });

  it('stops at a problem of the request and at cancellation', async () => {
    const problem = new NotFoundProblem('Customer c1 not found.');
    const bad = setup({ crew_workflow: fail(problem) });
    await expect(bad.chain.run('crew_workflow', definition('multi_agent'), {}, bad.context)).rejects.toBe(problem);
    expect(bad.runners.multi.calls).toHaveLength(0);

    const cancelled = setup({ crew_workflow: fail(new Error('aborted')) });
    cancelled.controller.abort(new Error('cancelled'));
    await expect(cancelled.chain.run('crew_workflow', definition('multi_agent'), {}, cancelled.context)).rejects.toThrow('aborted');
    expect(cancelled.runners.multi.calls).toHaveLength(0);
  });

  it('refuses to start without a runner for every link', () => {
    const single = new ScriptedRunner(['single_agent'], ok(1));
    expect(() => new FallbackChain([single])).toThrow(
      'No strategy runner for direct_db, direct_api, multi_agent, crew_workflow, deterministic',
    );
  });
});
