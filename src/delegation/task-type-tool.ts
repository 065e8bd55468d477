import type { ToolDefinition } from '../agents/agent.types.js';
import type { TaskTypeDefinition } from '../tasks/task-type.js';

/** Exposes a task type's deterministic handler as a tool of the same name (numbers come from code). */
export function taskTypeTool(definition: TaskTypeDefinition): ToolDefinition {
  return {
    name: definition.type,
    description: definition.description,
    parameters: definition.parameters,
    execute: async (context, parameters) => {
      const outcome = await definition.run(
        {
          taskId: context.taskId,
          tenantId: context.tenantId,
          description: definition.description,
          signal: context.signal,
          manager: context.manager,
          write: context.write,
          trace: context.trace,
          stepSignal: () => context.signal,
        },
        parameters,
      );
      return outcome.result;
    },
  };
}
