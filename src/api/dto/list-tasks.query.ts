import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { TENANT_ID_PATTERN } from '../../common/tenant.js';
import { DOMAINS, STRATEGIES, TASK_STATUSES } from '../../tasks/task.types.js';

export class ListTasksQuery {
  @ApiPropertyOptional({ description: 'Alternative to the X-Tenant-ID header.' })
  @IsOptional()
  @Matches(TENANT_ID_PATTERN)
  tenant_id?: string;

  @ApiPropertyOptional({ enum: TASK_STATUSES, description: 'Only tasks in this status.' })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: DOMAINS, description: 'Only tasks of this business domain.' })
  @IsOptional()
  @IsIn(DOMAINS)
  domain?: string;

  @ApiPropertyOptional({ example: 'get_task_list', description: 'Only tasks of this task type.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @ApiPropertyOptional({ enum: STRATEGIES, description: 'Only tasks that ran (or will run) with this strategy.' })
  @IsOptional()
  @IsIn(STRATEGIES)
  strategy?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'Page size.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The next_cursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class GetTaskQuery {
  @ApiPropertyOptional({ description: 'Alternative to the X-Tenant-ID header.' })
  @IsOptional()
  @Matches(TENANT_ID_PATTERN)
  tenant_id?: string;

  @ApiPropertyOptional({ enum: ['trace'], description: 'trace: add the step tree.' })
  @IsOptional()
  @IsIn(['trace'])
  include?: 'trace';
}
