import type { EntityManager } from 'typeorm';
import { describe, expect, it } from 'vitest';
import type { StepFinish, StepStart, TaskRunContext } from '../../tasks/task-type.js';
import { inStep } from './traced-step.js';

/** A context whose trace keeps every start and finish in order. */
function setup() {
  const events: ({ start: StepStart } | { finish: StepFinish; id: string })[] = [];
  const controller = new AbortController();
  const context: TaskRunContext = {
    taskId: 't1',
    tenantId: 'tenant',
    description: 'test',
    signal: controller.signal,
    manager: {} as EntityManager,
    write: (work) => work({} as EntityManager),
    trace: {
      start: (step) => {
        events.push({ start: step });
        const id = `s${events.length}`;
        return Promise.resolve({
          id,
          finish: (finish = {}) => {
            events.push({ finish, id });
            return Promise.resolve();
          },
        });
      },
      run: (_step, work) => work(),
    },
    stepSignal: () => controller.signal,
  };
  return { context, events, controller };
}

const STEP: StepStart = { kind: 'tool', name: 'compute', agentId: 'crm_lead_specialist', tier: 'specialist', input: { n: 1 } };

describe('inStep', () => {
  it('finishes the step with the work’s value as its output, and hands the work its step', async () => {
    const { context, events } = setup();
    const value = await inStep(context, STEP, (step) => Promise.resolve({ computedIn: step.id }));
    expect(value).toEqual({ computedIn: 's1' });
    expect(events).toEqual([{ start: STEP }, { finish: { output: { computedIn: 's1' } }, id: 's1' }]);
  });

  it('finishes the step failed with the error’s text and rethrows the error', async () => {
    const { context, events } = setup();
    const boom = new Error('handler failed');
    await expect(inStep(context, STEP, () => Promise.reject(boom))).rejects.toBe(boom);
    expect(events).toEqual([{ start: STEP }, { finish: { status: 'failed', error: 'handler failed' }, id: 's1' }]);
  });

  it('finishes the step cancelled once the task is aborted', async () => {
    const { context, events, controller } = setup();
    const work = () => {
      controller.abort(new Error('cancelled by the caller'));
      return Promise.reject(new Error('the request was aborted'));
    };
    await expect(inStep(context, STEP, work)).rejects.toThrow('the request was aborted');
    expect(events.at(-1)).toEqual({ finish: { status: 'cancelled', error: 'the request was aborted' }, id: 's1' });
  });

  it('runs `then` after the step finished, returning its value', async () => {
    const { context, events } = setup();
    const value = await inStep(
      context,
      STEP,
      () => Promise.resolve(41),
      (computed, step) => {
        events.push({ start: { kind: 'llm', name: 'narrate', parentStepId: step.id } });
        return Promise.resolve({ computed, narrative: 'forty-one' });
      },
    );
    expect(value).toEqual({ computed: 41, narrative: 'forty-one' });
    expect(events).toEqual([
      { start: STEP },
      { finish: { output: 41 }, id: 's1' },
      { start: { kind: 'llm', name: 'narrate', parentStepId: 's1' } },
    ]);
  });

  it('a failure in `then` marks the finished step failed as well', async () => {
    const { context, events } = setup();
    await expect(
      inStep(
        context,
        STEP,
        () => Promise.resolve(41),
        () => Promise.reject(new Error('narrative failed')),
      ),
    ).rejects.toThrow('narrative failed');
    expect(events).toEqual([
      { start: STEP },
      { finish: { output: 41 }, id: 's1' },
      { finish: { status: 'failed', error: 'narrative failed' }, id: 's1' },
    ]);
  });
});
