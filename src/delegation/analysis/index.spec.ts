import { describe, expect, it } from 'vitest';
import type { Decision } from '../../tasks/task.types.js';
import { analyzeDelegation, type DelegationAnalysis, type HistorySample } from './index.js';

const churn = { type: 'analyze_customer_churn', description: 'Predict customer churn risk', requiresAi: true, dataVolume: 5_000 };

function run(durationS: number, costUsd: number, strategy: HistorySample['strategy'] = 'single_agent'): HistorySample {
  return { taskType: 'analyze_customer_churn', strategy, durationS, costUsd };
}

describe('analyzeDelegation', () => {
  it('adds static estimates and an unlimited budget to the decision', () => {
    const analysis: DelegationAnalysis = analyzeDelegation(churn);
    expect(analysis).toMatchObject({
      strategy: 'single_agent',
      rule: 'ai_moderate_single_agent',
      estimatedCost: 0.0018,
      estimatedTime: 20,
      estimateSource: 'static',
      budget: { allowed: true, remaining: null, reason: 'The tenant has no budget limit.' },
    });
  });

  it("estimates from the chosen strategy's history and checks the budget", () => {
    const history = [run(18, 0.004), run(22, 0.006), run(25, 0.005), run(60, 0.05, 'multi_agent')];
    expect(analyzeDelegation(churn, { history, remainingBudget: 0.0045 })).toMatchObject({
      estimatedCost: 0.005,
      estimatedTime: 22,
      estimateSource: 'history',
      budget: { allowed: false, remaining: 0.0045, reason: 'The estimated $0.005 exceeds the remaining budget of $0.0045.' },
    });
  });

  it('prices static estimates at the price passed in', () => {
    expect(analyzeDelegation({ ...churn, forceCrew: true }, { price: { input: 1, output: 2 } })).toMatchObject({
      strategy: 'crew_workflow',
      estimatedCost: 0.074,
      estimatedTime: 90,
    });
  });

  it('fits the Decision stored with a task', () => {
    const decision: Decision = analyzeDelegation(churn);
    expect(decision.category).toBe('data_analysis');
  });
});
