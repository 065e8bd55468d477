import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { API_PREFIX } from '../../tasks/task-response.mapper.js';
import { answerMcpBodyErrors, SESSION_NOT_FOUND, sendJsonRpcError, TRANSPORT_ERROR } from './mcp-json-rpc.js';
import { type McpSdk, mcpSdk } from './mcp-sdk.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { type McpSession, McpSessions } from './mcp-session.js';

export const MCP_PATH = `${API_PREFIX}/mcp`;
const FULL_RETRY_AFTER_S = '60';

/**
 * The MCP endpoint's HTTP side: finds the request's session (only for the tenant that opened it), opens a session
 * on an initialize request, and hands the request to that session's SDK transport.
 */
@Injectable()
export class McpEndpoint implements OnModuleInit {
  private readonly logger = new Logger(McpEndpoint.name);

  constructor(
    private readonly sessions: McpSessions,
    private readonly factory: McpServerFactory,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Mounted while Nest initialises: after the routes, before the service's final problem+json error handler. */
  onModuleInit(): void {
    this.adapterHost.httpAdapter?.use(MCP_PATH, answerMcpBodyErrors);
  }

  async handle(tenantId: string, request: Request, response: Response): Promise<void> {
    const sessionId = request.header('mcp-session-id');
    if (sessionId !== undefined) {
      const session = this.sessions.find(sessionId, tenantId);
      if (!session) return sendJsonRpcError(response, 404, SESSION_NOT_FOUND, 'Session not found');
      return this.serve(session, request, response);
    }
    const sdk = await mcpSdk();
    if (request.method !== 'POST' || !sdk.types.isInitializeRequest(request.body)) {
      return sendJsonRpcError(
        response,
        400,
        TRANSPORT_ERROR,
        'Bad Request: no Mcp-Session-Id; open a session with an initialize request first',
      );
    }
    await this.open(sdk, tenantId, request, response);
  }

  private async open(sdk: McpSdk, tenantId: string, request: Request, response: Response): Promise<void> {
    const opened = this.sessions.open(tenantId, () =>
      this.factory.create(sdk, randomUUID(), tenantId, (id) => void this.sessions.remove(id)),
    );
    if (opened === 'tenant_full') {
      const message = `Too many MCP sessions for tenant ${tenantId}: end one (DELETE with its Mcp-Session-Id) or retry later`;
      return sendJsonRpcError(response, 429, TRANSPORT_ERROR, message, { 'Retry-After': FULL_RETRY_AFTER_S });
    }
    if (opened === 'instance_full') {
      const message = 'Too many MCP sessions on this instance: retry later';
      return sendJsonRpcError(response, 503, TRANSPORT_ERROR, message, { 'Retry-After': FULL_RETRY_AFTER_S });
    }
    await opened.connect();
    await this.serve(opened, request, response);
    // A refused initialize (an unsupported protocol version, say) leaves no session behind.
    if (!opened.initialized) await this.sessions.close(opened.id);
  }

  private async serve(session: McpSession, request: Request, response: Response): Promise<void> {
    const end = this.sessions.begin(session);
    response.on('close', end);
    try {
      await session.handle(request, response, request.body);
    } catch (error) {
      this.logger.error(
        `MCP request of session ${session.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      if (!response.headersSent) sendJsonRpcError(response, 500, -32603, 'Internal error');
    } finally {
      if (response.writableEnded) end();
    }
  }
}
