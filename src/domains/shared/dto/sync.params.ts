import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Parameters every direct_api sync task takes. */
export class SyncParams {
  /** The upstream endpoint; the configured URL of the sync when absent. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  source_url?: string;

  /** Per attempt, 100–60000 ms (10000). */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(60_000)
  timeout_ms?: number;

  /** Retries on 5xx, 429, timeouts and connection errors, 0–5 (2). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  max_retries?: number;
}
