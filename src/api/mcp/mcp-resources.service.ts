import { Injectable } from '@nestjs/common';
import type { ListResourcesResult, ListResourceTemplatesResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { ProblemException } from '../../common/problem.js';
import { TaskTypeRegistry } from '../../delegation/task-type.registry.js';
import { TaskStore } from '../../tasks/task.store.js';
import { TasksService } from '../tasks.service.js';
import { JSON_RPC, mcpError } from './mcp-sdk.js';

export const CATALOGUE_URI = 'crew://catalogue';
export const TASK_URI_TEMPLATE = 'crew://tasks/{id}';
const TASK_URI = /^crew:\/\/tasks\/([^/?#]+)$/;
const JSON_TYPE = 'application/json';
const PAGE_SIZE = 50;
/** MCP's code for a resource that does not exist (or, here, belongs to another tenant). */
const RESOURCE_NOT_FOUND = -32002;

function taskUri(id: string): string {
  return `crew://tasks/${id}`;
}

/**
 * The MCP resources of a tenant: the task catalogue (as GET /catalogue answers it) and each of its tasks' answers
 * (as GET /task/{id} answers it). Another tenant's task is "not found", as an unknown id is.
 */
@Injectable()
export class McpResources {
  constructor(
    private readonly registry: TaskTypeRegistry,
    private readonly store: TaskStore,
    private readonly tasks: TasksService,
  ) {}

  templates(): ListResourceTemplatesResult {
    return {
      resourceTemplates: [
        {
          uriTemplate: TASK_URI_TEMPLATE,
          name: 'task',
          title: 'A task and its answer',
          description: 'The answer of one of your tasks by task id or workflow id: status, result, error and guidance, metrics, progress.',
          mimeType: JSON_TYPE,
        },
      ],
    };
  }

  /** The catalogue, then the tenant's tasks, newest first, a page at a time. */
  async list(tenantId: string, cursor?: string): Promise<ListResourcesResult> {
    let page;
    try {
      page = await this.store.list(tenantId, {}, PAGE_SIZE, cursor);
    } catch (error) {
      if (error instanceof ProblemException) throw await mcpError(JSON_RPC.InvalidParams, error.detail);
      throw error;
    }
    const catalogue = {
      uri: CATALOGUE_URI,
      name: 'catalogue',
      title: 'Task catalogue',
      description: 'Every task type by domain, with its parameter and result JSON schemas (each is also a tool).',
      mimeType: JSON_TYPE,
    };
    const tasks = page.items.map((task) => ({
      uri: taskUri(task.id),
      name: `task ${task.id}`,
      title: `${task.type} (${task.status})`,
      mimeType: JSON_TYPE,
    }));
    return {
      resources: cursor ? tasks : [catalogue, ...tasks],
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  async read(tenantId: string, uri: string): Promise<ReadResourceResult> {
    if (uri === CATALOGUE_URI) {
      const domains = this.registry.catalogue();
      const total = Object.values(domains).reduce((sum, list) => sum + list.length, 0);
      return { contents: [{ uri, mimeType: JSON_TYPE, text: JSON.stringify({ domains, total }) }] };
    }
    const id = TASK_URI.exec(uri)?.[1];
    if (id === undefined) throw await mcpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
    try {
      const answer = await this.tasks.get(tenantId, decodeURIComponent(id), {});
      return { contents: [{ uri, mimeType: JSON_TYPE, text: JSON.stringify(answer) }] };
    } catch (error) {
      if (error instanceof ProblemException || error instanceof URIError) {
        throw await mcpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
      }
      throw error;
    }
  }
}
