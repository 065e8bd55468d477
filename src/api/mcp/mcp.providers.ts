import type { Provider } from '@nestjs/common';
import { McpEndpoint } from './mcp-endpoint.service.js';
import { McpResources } from './mcp-resources.service.js';
import { DEFAULT_MCP_SESSION_LIMITS, MCP_SESSION_LIMITS, McpSessions } from './mcp-session.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { McpToolCalls } from './mcp-tool-calls.service.js';

/** What the MCP endpoint needs beside its controller (registered in ApiModule, beside the task API it shares). */
export const MCP_PROVIDERS: Provider[] = [
  { provide: MCP_SESSION_LIMITS, useValue: DEFAULT_MCP_SESSION_LIMITS },
  McpSessions,
  McpServerFactory,
  McpToolCalls,
  McpResources,
  McpEndpoint,
];
