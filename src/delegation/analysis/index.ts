import { decideStrategy, type DecisionInput, type StrategyDecision } from './decision-matrix.js';
import { checkBudget, estimate, type BudgetCheck, type Estimate, type HistorySample, type TokenPrice } from './estimates.js';

export * from './category.js';
export * from './complexity.js';
export * from './decision-matrix.js';
export * from './estimates.js';

export interface DelegationContext {
  /** Recent finished tasks; only those of the input's type and the chosen strategy count. */
  history?: readonly HistorySample[];
  price?: TokenPrice;
  /** The tenant's remaining budget in USD; unlimited when absent. */
  remainingBudget?: number;
}

/** A full decision (it fits `Decision` of task.types) with the estimate's source and the budget check. */
export interface DelegationAnalysis extends StrategyDecision {
  estimatedCost: number;
  estimatedTime: number;
  estimateSource: Estimate['source'];
  budget: BudgetCheck;
}

/** Decision, estimates and budget check in one pure call — what `/delegation/analyze` previews. */
export function analyzeDelegation(input: DecisionInput, context: DelegationContext = {}): DelegationAnalysis {
  const decision = decideStrategy(input);
  const estimated = estimate(decision.strategy, { taskType: input.type, history: context.history, price: context.price });
  return {
    ...decision,
    estimatedCost: estimated.estimatedCost,
    estimatedTime: estimated.estimatedTime,
    estimateSource: estimated.source,
    budget: checkBudget(estimated.estimatedCost, context.remainingBudget),
  };
}
