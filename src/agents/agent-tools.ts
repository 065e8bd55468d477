import { ProblemException } from '../common/problem.js';
import { validateDto } from '../common/validation.js';
import type { TaskRunContext } from '../tasks/task-type.js';
import type { LlmToolCall } from '../llm/llm-client.js';
import type { AgentDefinition, ToolDefinition } from './agent.types.js';
import { toolResultContent } from './prompts.js';

export interface ToolCallScope {
  context: TaskRunContext;
  agent: AgentDefinition;
  /** The agent step; each tool call is a child step of it. */
  agentStepId: string;
  signal: AbortSignal;
  tools: ToolDefinition[];
}

/** The tools of `request` that the agent's allow-list names (anything else is never offered to the model). */
export function allowedTools(agent: AgentDefinition, tools: ToolDefinition[]): ToolDefinition[] {
  const allowed = new Set(agent.tools);
  return tools.filter((tool) => allowed.has(tool.name));
}

function errorMessage(error: unknown): string {
  if (error instanceof ProblemException) return error.detail;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one tool call of the model as a `tool` step and answers the content of the tool message. Unknown
 * tools, malformed or invalid arguments and tool failures go back to the model as an error result; only
 * an abort (task cancelled or out of time) propagates.
 */
export async function runToolCall(scope: ToolCallScope, call: LlmToolCall): Promise<string> {
  const { context, agent, signal } = scope;
  const step = await context.trace.start({
    kind: 'tool',
    name: call.name.slice(0, 200),
    agentId: agent.id,
    tier: agent.tier,
    parentStepId: scope.agentStepId,
    input: call.arguments ?? call.rawArguments,
  });
  const refuse = async (body: Record<string, unknown>): Promise<string> => {
    await step.finish({ status: 'failed', error: String(body.error), output: body });
    return toolResultContent(body);
  };

  const tool = scope.tools.find((candidate) => candidate.name === call.name);
  if (!tool) {
    const available = scope.tools.map((candidate) => candidate.name);
    return refuse({ error: `Unknown tool "${call.name}". Available tools: ${available.length > 0 ? available.join(', ') : 'none'}.` });
  }
  if (call.argumentsError !== undefined) return refuse({ error: call.argumentsError });
  try {
    const parameters = await validateDto(tool.parameters, call.arguments, 'arguments');
    const result = await tool.execute(
      {
        tenantId: context.tenantId,
        taskId: context.taskId,
        signal,
        manager: context.manager,
        write: context.write,
        trace: context.trace,
        parentStepId: step.id,
      },
      parameters,
    );
    await step.finish({ output: result });
    return toolResultContent(result ?? null);
  } catch (error) {
    if (signal.aborted) {
      await step.finish({ status: 'cancelled', error: errorMessage(signal.reason) });
      throw error;
    }
    const errors = error instanceof ProblemException ? error.extensions.errors : undefined;
    return refuse(errors ? { error: errorMessage(error), errors } : { error: errorMessage(error) });
  }
}
