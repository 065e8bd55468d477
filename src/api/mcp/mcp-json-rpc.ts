import type { NextFunction, Request, Response } from 'express';
import { isExposed } from '../../common/problem.js';
import { JSON_RPC } from './mcp-sdk.js';

/** The SDK transport's code for an unknown (or, here, another tenant's) session. */
export const SESSION_NOT_FOUND = -32001;
/** The code the SDK transport uses for transport-level refusals (bad headers, no session…). */
export const TRANSPORT_ERROR = -32000;

/** Answers an HTTP-level refusal of the MCP endpoint as a JSON-RPC error, as the SDK transport answers its own. */
export function sendJsonRpcError(
  response: Response,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response
    .status(status)
    .type('application/json')
    .send(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

function clientStatus(error: Error): number | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/**
 * Express error handler for the MCP path: what the JSON parser and the input boundary refuse before the route
 * runs (unparseable JSON, a body over BODY_LIMIT, NUL characters, deep nesting) is answered as the JSON-RPC error
 * an MCP client expects, with the same HTTP status. Anything else goes on to the service's problem+json handler.
 */
export function answerMcpBodyErrors(error: unknown, _request: Request, response: Response, next: NextFunction): void {
  if (response.headersSent || !isExposed(error)) return next(error);
  const status = clientStatus(error);
  if (status === undefined) return next(error);
  if ((error as { type?: unknown }).type === 'entity.parse.failed') {
    return sendJsonRpcError(response, status, JSON_RPC.ParseError, 'Parse error: Invalid JSON');
  }
  sendJsonRpcError(response, status, JSON_RPC.InvalidRequest, `Invalid Request: ${error.message}`);
}
