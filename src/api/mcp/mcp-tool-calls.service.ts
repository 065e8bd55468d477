import { Injectable, Logger } from '@nestjs/common';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolRequest, CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { ProblemException, ValidationProblem } from '../../common/problem.js';
import { TaskTypeRegistry } from '../../delegation/task-type.registry.js';
import { ExecutionService } from '../../execution/execution.service.js';
import { TaskEvents } from '../../execution/task-events.js';
import type { TaskEntity } from '../../tasks/entities/task.entity.js';
import type { TaskTypeDefinition } from '../../tasks/task-type.js';
import { TaskStore } from '../../tasks/task.store.js';
import { FINAL_STATUSES } from '../../tasks/task.types.js';
import { domainEnabled, TenantSettingsService } from '../../tenancy/tenant-settings.service.js';
import type { McpCaller } from './mcp-session.js';
import { invalidArgumentsResult, refusedResult, taskToolResult } from './mcp-tool-result.js';
import { META_DESCRIPTION, META_TASK_ID } from './mcp-tools.js';
import { followTask, type TaskChange } from '../task-follower.js';
import { progressMessage } from './task-progress.js';
import { JSON_RPC, mcpError } from './mcp-sdk.js';

export type ToolCallExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** As POST /execute waits: the task's timeout, and a second for its final write to be seen. */
const WAIT_GRACE_MS = 1000;
const MAX_DESCRIPTION = 5000;

/**
 * tools/call: runs the catalogue task type named by the tool through the same path as POST /execute (validated,
 * decided, persisted, traced, budgeted), waits for its final state while reporting its steps as progress, and
 * cancels the task when the client cancels the call.
 */
@Injectable()
export class McpToolCalls {
  private readonly logger = new Logger(McpToolCalls.name);

  constructor(
    private readonly registry: TaskTypeRegistry,
    private readonly execution: ExecutionService,
    private readonly store: TaskStore,
    private readonly events: TaskEvents,
    private readonly tenantSettings: TenantSettingsService,
  ) {}

  async call(caller: McpCaller, request: CallToolRequest, extra: ToolCallExtra): Promise<CallToolResult> {
    const { name } = request.params;
    const definition = this.registry.get(name);
    if (!definition || definition.freeForm) throw await mcpError(JSON_RPC.InvalidParams, `Unknown tool: ${name}`);
    if (!domainEnabled(await this.tenantSettings.get(caller.tenantId), definition.domain)) {
      return refusedResult(`Domain ${definition.domain} is not enabled for tenant ${caller.tenantId}; ${name} cannot run.`);
    }
    const description = this.description(request, definition);
    if (description === undefined) {
      return invalidArgumentsResult(
        [{ field: `_meta.${META_DESCRIPTION}`, message: `must be a string of 1–${MAX_DESCRIPTION} characters` }],
        'The task description is not valid.',
      );
    }
    let submitted: TaskEntity;
    try {
      ({ task: submitted } = await this.execution.submit({
        tenantId: caller.tenantId,
        type: name,
        description,
        parameters: request.params.arguments ?? {},
        dataVolume: 0,
        requiresAi: false,
        multiDomain: false,
        priority: 5,
        forceCrew: false,
        // Answers as soon as a queued task is accepted: this call then follows it (progress, cancellation).
        asyncExecution: true,
        metadata: { source: 'mcp' },
      }));
    } catch (error) {
      if (error instanceof ValidationProblem) return invalidArgumentsResult(error.extensions.errors ?? [], error.detail);
      if (error instanceof ProblemException) return refusedResult(error.detail);
      throw error;
    }
    if (FINAL_STATUSES.has(submitted.status)) return taskToolResult(submitted);
    return taskToolResult(await this.follow(caller, submitted, request, extra));
  }

  private description(request: CallToolRequest, definition: TaskTypeDefinition): string | undefined {
    const given: unknown = request.params._meta?.[META_DESCRIPTION];
    if (given === undefined) return definition.description;
    if (typeof given !== 'string') return undefined;
    const trimmed = given.trim();
    return trimmed.length > 0 && trimmed.length <= MAX_DESCRIPTION ? trimmed : undefined;
  }

  private async follow(caller: McpCaller, task: TaskEntity, request: CallToolRequest, extra: ToolCallExtra): Promise<TaskEntity> {
    const token = request.params._meta?.progressToken;
    let progress = 0;
    const report = async (event: TaskChange): Promise<void> => {
      // The final status is the call's answer, not a progress note.
      if (token === undefined || (event.kind === 'status' && event.final)) return;
      progress += 1;
      // A progress note that cannot be delivered (the client's stream is gone) never stops the task.
      await extra
        .sendNotification({
          method: 'notifications/progress',
          params: { progressToken: token, progress, message: progressMessage(event), _meta: { [META_TASK_ID]: task.id } },
        })
        .catch(() => undefined);
    };
    const deadline = Date.now() + task.timeoutS * 1000 + WAIT_GRACE_MS;
    const latest = await followTask(this.store, this.events, task.id, { deadline, signal: extra.signal, report });
    if (!latest) throw new Error(`Task ${task.id} disappeared while it was followed`);
    // The signal also aborts when the session ends (DELETE, idle expiry, shutdown): then the task keeps running
    // and its answer stays readable as crew://tasks/{id}. Only the client's cancellation of this call cancels it.
    if (!extra.signal.aborted || caller.closing || FINAL_STATUSES.has(latest.status)) return latest;
    try {
      return await this.execution.cancel(caller.tenantId, task.id);
    } catch (error) {
      if (error instanceof ProblemException) return (await this.store.findById(task.id)) ?? latest;
      this.logger.error(`Cancelling task ${task.id} for a cancelled MCP call failed: ${String(error)}`);
      return latest;
    }
  }
}
