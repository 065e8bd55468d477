import { Injectable } from '@nestjs/common';
import type { TaskRunContext, TaskTypeDefinition } from '../../tasks/task-type.js';
import { DETERMINISTIC, type LinkOutcome, newRunState, outcomeOf, type RunOptions, type StrategyRunner } from './strategy-runner.js';

/** direct_db / direct_api: the type's handler, nothing around it (the handler writes its own steps). */
@Injectable()
export class DirectRunner implements StrategyRunner {
  readonly links = ['direct_db', 'direct_api'] as const;

  async run(definition: TaskTypeDefinition, parameters: object, context: TaskRunContext, options: RunOptions): Promise<LinkOutcome> {
    const state = newRunState(context, options);
    const outcome = await definition.run(context, parameters);
    return outcomeOf(outcome.result, state);
  }
}

/** The fallback chain's last resort: the type's deterministic handler, as one `direct` step of the trace. */
@Injectable()
export class DeterministicRunner implements StrategyRunner {
  readonly links = [DETERMINISTIC] as const;

  async run(definition: TaskTypeDefinition, parameters: object, context: TaskRunContext, options: RunOptions): Promise<LinkOutcome> {
    const state = newRunState(context, options);
    const result = await context.trace.run({ kind: 'direct', name: definition.type, input: parameters }, () =>
      definition.run(context, parameters).then((outcome) => outcome.result),
    );
    return outcomeOf(result, state);
  }
}
