import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from '../../common/tenant.js';
import { DOMAINS, type Domain } from '../../tasks/task.types.js';

/** Body of `POST /api/crew/brain/handle-request` (DESIGN §11), as the Brain API sends it. */
export class HandleRequestDto {
  @ApiProperty({
    example: 'crm/lead-scoring',
    description: 'The Brain route, e.g. crm/lead-scoring or /api/brain/crew/crm/lead-scoring; it selects the task type.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  route_path: string;

  @ApiPropertyOptional({ example: 'client_123', description: `Required here or in the X-Tenant-ID header. ${TENANT_ID_RULE}.` })
  @IsOptional()
  @IsString()
  @Matches(TENANT_ID_PATTERN, { message: `must be ${TENANT_ID_RULE}` })
  tenant_id?: string;

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

  @ApiPropertyOptional({ example: 'Score this lead', maxLength: 5000, description: 'Defaults to "Brain request <route_path>".' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ enum: DOMAINS, example: 'crm' })
  @IsOptional()
  @IsIn(DOMAINS)
  domain?: Domain;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { limit: 10 } })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
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

  @ApiPropertyOptional({ minimum: 1, maximum: 10, default: 5 })
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

  @ApiPropertyOptional({
    example: 'brain-req-42',
    description: "The Brain's request id; the same id and tenant answer the same task (a retried request never runs twice).",
  })
  @IsOptional()
  @IsString()
  @Matches(/^[\x21-\x7e]{1,190}$/, { message: 'must be 1–190 visible ASCII characters' })
  request_id?: string;
}
