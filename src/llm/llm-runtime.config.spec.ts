import { describe, expect, it } from 'vitest';
import { loadLlmRuntimeConfig } from './llm-runtime.config.js';

describe('loadLlmRuntimeConfig', () => {
  it('has defaults', () => {
    expect(loadLlmRuntimeConfig({})).toEqual({
      maxLlmCallsPerTask: 50,
      budgetExceededAction: 'refuse',
      rpmWindowS: 60,
      memoryRecallLimit: 5,
    });
  });

  it('reads the variables', () => {
    expect(
      loadLlmRuntimeConfig({
        MAX_LLM_CALLS_PER_TASK: '8',
        BUDGET_EXCEEDED_ACTION: 'Downgrade',
        RPM_WINDOW_SECONDS: '2',
        AGENT_MEMORY_RECALL: '0',
      }),
    ).toEqual({ maxLlmCallsPerTask: 8, budgetExceededAction: 'downgrade', rpmWindowS: 2, memoryRecallLimit: 0 });
  });

  it('stops on a bad value with a line naming the variable', () => {
    expect(() => loadLlmRuntimeConfig({ MAX_LLM_CALLS_PER_TASK: '0' })).toThrow(
      'Invalid configuration: MAX_LLM_CALLS_PER_TASK="0" — expected an integer from 1 to 10000',
    );
    expect(() => loadLlmRuntimeConfig({ BUDGET_EXCEEDED_ACTION: 'ignore' })).toThrow(
      'Invalid configuration: BUDGET_EXCEEDED_ACTION="ignore" — expected one of refuse, downgrade',
    );
  });
});
