import type * as McpServer from '@modelcontextprotocol/sdk/server/index.js';
import type * as McpStreamableHttp from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type * as McpTypes from '@modelcontextprotocol/sdk/types.js';

/** The parts of the MCP SDK the endpoint runs on. */
export interface McpSdk {
  types: typeof McpTypes;
  server: typeof McpServer;
  http: typeof McpStreamableHttp;
}

/** JSON-RPC error codes (the SDK's ErrorCode values), usable before the SDK is loaded. */
export const JSON_RPC = { ParseError: -32700, InvalidRequest: -32600, InvalidParams: -32602, InternalError: -32603 } as const;

let loading: Promise<McpSdk> | undefined;

/**
 * The MCP SDK, loaded on the first MCP request: its protocol schemas cost about 40 MiB of memory, which an instance
 * that nobody reaches over MCP should not carry. Type-only imports of the SDK cost nothing and stay static.
 */
export function mcpSdk(): Promise<McpSdk> {
  loading ??= Promise.all([
    import('@modelcontextprotocol/sdk/types.js'),
    import('@modelcontextprotocol/sdk/server/index.js'),
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
  ]).then(([types, server, http]) => ({ types, server, http }));
  return loading;
}

/** An McpError (the protocol error a request handler throws), built once the SDK is loaded. */
export async function mcpError(code: number, message: string, data?: unknown): Promise<Error> {
  const { McpError } = (await mcpSdk()).types;
  return new McpError(code, message, data);
}
