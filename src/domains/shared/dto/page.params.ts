import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Offset paging of a list task (pageOf in task-kit applies the defaults). */
export class PageParams {
  /** Page size, 1–200 (50). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}
