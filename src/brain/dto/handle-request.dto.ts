import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType, PickType } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ExecuteTaskDto } from '../../tasks/dto/execute-task.dto.js';

/**
 * Body of `POST /api/crew/brain/handle-request` (DESIGN §11), as the Brain API sends it: the execute body's
 * fields (same validation, from ExecuteTaskDto; `description` optional here) plus the route and the request id.
 */
export class HandleRequestDto extends IntersectionType(
  PickType(ExecuteTaskDto, [
    'tenant_id',
    'user_id',
    'session_id',
    'domain',
    'parameters',
    'data_volume',
    'requires_ai',
    'multi_domain',
    'priority',
    'timeout',
  ] as const),
  PartialType(PickType(ExecuteTaskDto, ['description'] as const)),
) {
  @ApiProperty({
    example: 'crm/lead-scoring',
    description: 'The Brain route, e.g. crm/lead-scoring or /api/brain/crew/crm/lead-scoring; it selects the task type.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  route_path: string;

  @ApiPropertyOptional({
    example: 'brain-req-42',
    description: "The Brain's request id; the same id and tenant answer the same task (a retried request never runs twice).",
  })
  @IsOptional()
  @IsString()
  @Matches(/^[\x21-\x7e]{1,190}$/, { message: 'must be 1–190 visible ASCII characters' })
  request_id?: string;
}
