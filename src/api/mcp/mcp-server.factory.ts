import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { TaskTypeRegistry } from '../../delegation/task-type.registry.js';
import { domainEnabled, TenantSettingsService } from '../../tenancy/tenant-settings.service.js';
import { McpResources } from './mcp-resources.service.js';
import { JSON_RPC, type McpSdk } from './mcp-sdk.js';
import type { McpSession } from './mcp-session.js';
import { refusedResult } from './mcp-tool-result.js';
import { McpToolCalls } from './mcp-tool-calls.service.js';
import { catalogueTools, META_DOMAIN } from './mcp-tools.js';

const SERVER_INFO = { name: 'ai-crew-system', title: 'AI Crew System', version: '0.1.0' };
const INSTRUCTIONS =
  'Each tool runs one task type of the AI Crew System for your tenant: it is validated, persisted and traced like a ' +
  'POST /api/crew/execute, and its result comes back as structured content with the task id. Long tasks report their ' +
  'steps as progress; cancelling the call cancels the task. Read crew://tasks/{id} for a task answer later, and ' +
  'crew://catalogue for every task type with its schemas.';

/** Builds each session's MCP server (the SDK's low-level Server, which takes the catalogue's JSON schemas as they are). */
@Injectable()
export class McpServerFactory {
  private readonly logger = new Logger(McpServerFactory.name);
  private tools?: Tool[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: TaskTypeRegistry,
    private readonly tenantSettings: TenantSettingsService,
    private readonly toolCalls: McpToolCalls,
    private readonly resources: McpResources,
  ) {}

  /**
   * A session for `tenantId` with the id `id`: its transport (stateful: the id goes out as Mcp-Session-Id) and
   * server. `onEnded` runs when the client ends the session (DELETE).
   */
  create(sdk: McpSdk, id: string, tenantId: string, onEnded: (id: string) => void): McpSession {
    const transport = new sdk.http.StreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      onsessionclosed: onEnded,
      // Bodies the JSON parser did not read (another content type) are read by the transport: same bound.
      maxRequestBodySize: this.config.server.bodyLimitBytes,
    });
    const server = new sdk.server.Server(SERVER_INFO, {
      capabilities: { tools: { listChanged: false }, resources: { listChanged: false } },
      instructions: INSTRUCTIONS,
    });
    const session: McpSession = {
      id,
      tenantId,
      closing: false,
      inFlight: 0,
      lastSeen: Date.now(),
      get initialized() {
        return transport.sessionId !== undefined;
      },
      connect: () => server.connect(transport),
      handle: (request, response, body) => transport.handleRequest(request, response, body),
      close: async () => {
        await transport.close();
        await server.close();
      },
    };
    this.handle(sdk, server, session);
    return session;
  }

  /** The handler of every request this server answers; unexpected failures are logged, never sent as their text. */
  private handle(sdk: McpSdk, server: Server, session: McpSession): void {
    const { CallToolRequestSchema, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema, McpError } =
      sdk.types;
    const guard = async <T>(method: string, work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        if (error instanceof McpError) throw error;
        this.logger.error(`${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        throw new McpError(JSON_RPC.InternalError, 'Internal error');
      }
    };
    server.setRequestHandler(ListToolsRequestSchema, () => guard('tools/list', () => this.listTools(session.tenantId)));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
      try {
        return await this.toolCalls.call(session, request, extra);
      } catch (error) {
        if (error instanceof McpError) throw error;
        this.logger.error(
          `tools/call ${request.params.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        return refusedResult('The task could not be run because of an internal error; try again later.');
      }
    });
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => this.resources.templates());
    server.setRequestHandler(ListResourcesRequestSchema, (request) =>
      guard('resources/list', () => this.resources.list(session.tenantId, request.params?.cursor)),
    );
    server.setRequestHandler(sdk.types.ReadResourceRequestSchema, (request) =>
      guard('resources/read', () => this.resources.read(session.tenantId, request.params.uri)),
    );
  }

  /** The catalogue's tools of the domains the tenant's plan enables. */
  private async listTools(tenantId: string): Promise<{ tools: Tool[] }> {
    this.tools ??= catalogueTools(this.registry);
    const settings = await this.tenantSettings.get(tenantId);
    return { tools: this.tools.filter((tool) => domainEnabled(settings, String(tool._meta?.[META_DOMAIN]))) };
  }
}
