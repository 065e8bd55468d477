import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FieldError } from '../../common/problem.js';
import type { TaskEntity } from '../../tasks/entities/task.entity.js';
import { toExecuteResponse } from '../../tasks/task-response.mapper.js';
import { FINAL_STATUSES } from '../../tasks/task.types.js';
import { META_STATUS, META_TASK_ID } from './mcp-tools.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: string): { type: 'text'; text: string } {
  return { type: 'text', text: value };
}

/** One line on what happened to the task: status, id, how it ran, and what went wrong and what to do. */
export function taskSummary(task: TaskEntity): string {
  const answer = toExecuteResponse(task);
  const parts = [`Task ${answer.task_id} ${answer.status} (execution type ${answer.execution_type}`];
  parts[0] += answer.execution_time === null ? ').' : `, ${answer.execution_time} s).`;
  if (answer.error) parts.push(`Error: ${answer.error}`);
  if (answer.guidance) parts.push(`Guidance: ${answer.guidance}`);
  if (!FINAL_STATUSES.has(task.status)) {
    parts.push(`It has not finished yet; read crew://tasks/${answer.task_id} for its answer later.`);
  }
  return parts.join(' ');
}

/**
 * The answer of a tool call from its task: a completed task's result as structured content (and, for clients
 * that read only text, as JSON text after the summary); any other state is a tool error whose text says why.
 */
export function taskToolResult(task: TaskEntity): CallToolResult {
  const meta = { [META_TASK_ID]: task.id, [META_STATUS]: task.status };
  if (task.status !== 'completed') {
    return { isError: true, content: [text(taskSummary(task))], _meta: meta };
  }
  const result: unknown = task.result ?? null;
  return {
    content: [text(taskSummary(task)), text(JSON.stringify(result))],
    ...(isRecord(result) ? { structuredContent: result } : {}),
    _meta: meta,
  };
}

/**
 * Arguments the task type refuses: each argument named (relative to the tool's input, as the assistant wrote it)
 * with what is allowed, so the assistant can correct the call.
 */
export function invalidArgumentsResult(errors: FieldError[], detail: string): CallToolResult {
  const lines = errors.map(({ field, message }) => `- ${argumentName(field)}: ${message}`);
  return {
    isError: true,
    content: [text(lines.length > 0 ? `Invalid arguments:\n${lines.join('\n')}` : `Invalid arguments: ${detail}`)],
  };
}

/** A call refused before a task existed (unknown domain for the tenant, budget, unavailable database…). */
export function refusedResult(reason: string): CallToolResult {
  return { isError: true, content: [text(reason)] };
}

/** `parameters.limit` → `limit`; `parameters` (the whole object, e.g. a cross-field check) → `arguments`. */
function argumentName(field: string): string {
  if (field === 'parameters') return 'arguments';
  return field.startsWith('parameters.') ? field.slice('parameters.'.length) : field;
}
