import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from '../../common/tenant.js';
import { DOMAINS, STRATEGIES, type Domain, type Strategy } from '../task.types.js';

export const TASK_TYPE_PATTERN = /^[a-z][a-z0-9_]{1,99}$/;

/** Body of `POST /api/crew/execute` (snake_case on the wire, as the Brain API sends it). */
export class ExecuteTaskDto {
  @ApiProperty({ example: 'get_task_list', pattern: TASK_TYPE_PATTERN.source, description: 'Task type; see GET /api/crew/catalogue.' })
  @IsString()
  @Matches(TASK_TYPE_PATTERN, { message: 'must match ^[a-z][a-z0-9_]{1,99}$ (lowercase letters, digits, underscores)' })
  type: string;

  @ApiProperty({ example: 'List my recent tasks', maxLength: 5000 })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  description: string;

  @ApiPropertyOptional({ example: 'client_123', description: `Required here or in the X-Tenant-ID header. ${TENANT_ID_RULE}.` })
  @IsOptional()
  @IsString()
  @Matches(TENANT_ID_PATTERN, { message: `must be ${TENANT_ID_RULE}` })
  tenant_id?: string;

  @ApiPropertyOptional({ enum: DOMAINS, example: 'crm' })
  @IsOptional()
  @IsIn(DOMAINS)
  domain?: Domain;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { limit: 10 },
    description: 'Task-type specific; schema in the catalogue.',
  })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ minimum: 0, default: 0, example: 500 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  data_volume?: number;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  requires_ai?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  multi_domain?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 10, default: 5, description: '10 runs first.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  priority?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 3600, description: 'Seconds; defaults to DEFAULT_CREW_TIMEOUT.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  timeout?: number;

  @ApiPropertyOptional({ enum: STRATEGIES })
  @IsOptional()
  @IsIn(STRATEGIES)
  preferred_strategy?: Strategy;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  force_crew?: boolean;

  @ApiPropertyOptional({ default: false, description: 'true: answer 202 at once and run in the background.' })
  @IsOptional()
  @IsBoolean()
  async_execution?: boolean;

  @ApiPropertyOptional({ example: 'https://example.com/hooks/crew', description: 'Receives a POST with the final result.' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an absolute http(s) URL' })
  @MaxLength(2000)
  callback_url?: string;

  @ApiPropertyOptional({ example: 'user_456' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  user_id?: string;

  @ApiPropertyOptional({ example: 'session_789' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  session_id?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { source: 'dashboard' } })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}
