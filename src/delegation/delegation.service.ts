import { Injectable } from '@nestjs/common';
import type { Decision, Strategy } from '../tasks/task.types.js';
import type { TaskTypeDefinition } from './task-type.js';

export interface DelegationInput {
  type: string;
  description: string;
  dataVolume: number;
  requiresAi: boolean;
  multiDomain: boolean;
  preferredStrategy?: Strategy;
  forceCrew: boolean;
}

const CATEGORY_BY_STRATEGY: Record<Strategy, string> = {
  direct_db: 'crud_operation',
  direct_api: 'integration_task',
  single_agent: 'data_analysis',
  multi_agent: 'data_analysis',
  crew_workflow: 'workflow_automation',
};

const STATIC_TIME_S: Record<Strategy, number> = {
  direct_db: 0.05,
  direct_api: 0.5,
  single_agent: 20,
  multi_agent: 45,
  crew_workflow: 90,
};

/**
 * Chooses how a task runs. This first version applies the catalogue's default strategy for the type;
 * the full analysis (keywords, data volume, matrix, overrides, history-based estimates) replaces it.
 */
@Injectable()
export class DelegationService {
  decide(definition: TaskTypeDefinition, input: DelegationInput): Decision {
    const strategy = definition.strategy;
    const note =
      input.preferredStrategy && input.preferredStrategy !== strategy
        ? ` preferred_strategy ${input.preferredStrategy} was not applied: ${definition.type} has only a ${strategy} handler.`
        : '';
    return {
      complexity: definition.complexity,
      category: CATEGORY_BY_STRATEGY[strategy],
      strategy,
      confidence: 0.9,
      reasoning: `${definition.type} is a catalogue task type with a ${definition.complexity} ${strategy} handler.${note}`,
      estimatedCost: 0,
      estimatedTime: STATIC_TIME_S[strategy],
      risk: 'low',
      rule: 'catalogue_default',
    };
  }
}
