import { Controller, Delete, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ListedForBrain } from '../../brain/route-manifest.js';
import { Tenant } from '../../common/tenant.js';
import { McpEndpoint } from './mcp-endpoint.service.js';

/**
 * The crew as an MCP server (Streamable HTTP): POST carries JSON-RPC messages, GET opens the session's
 * notification stream, DELETE ends the session. Behind the same guards as every route (API key, tenant rate
 * limit); the tenant is the key's, or X-Tenant-ID for a service key.
 *
 * Not in the OpenAPI document: its requests and answers are JSON-RPC messages the MCP specification defines, not
 * REST resources, and its errors are JSON-RPC errors rather than problem+json. The Brain is still told about it.
 */
@ApiExcludeController()
@ListedForBrain()
@ApiTags('mcp')
@Controller('mcp')
export class McpController {
  constructor(private readonly endpoint: McpEndpoint) {}

  @Post()
  @ApiOperation({ summary: 'MCP (Streamable HTTP): send JSON-RPC messages — initialize, tools, resources' })
  post(@Tenant() tenantId: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.endpoint.handle(tenantId, request, response);
  }

  @Get()
  @ApiOperation({ summary: "MCP (Streamable HTTP): the session's server-to-client notification stream" })
  stream(@Tenant() tenantId: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.endpoint.handle(tenantId, request, response);
  }

  @Delete()
  @ApiOperation({ summary: 'MCP (Streamable HTTP): end the session' })
  end(@Tenant() tenantId: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.endpoint.handle(tenantId, request, response);
  }
}
