import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { Nullable } from '../../../common/validation.js';
import { TARGET_DOMAINS } from '../entities/integration-connection.entity.js';
import { SYNC_RUN_STATUSES } from '../entities/sync-run.entity.js';

/** Environment variable names a connection may reference: INTEGRATION_<TENANT>__<NAME> (see auth-header.ts). */
export const AUTH_HEADER_REF_PATTERN = /^INTEGRATION_[A-Z0-9]+(?:_[A-Z0-9]+)*__[A-Z0-9_]+$/;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

export class CreateConnectionParams {
  @IsString()
  @Length(1, 100)
  name: string;

  /** http(s) URL of the upstream API; checked by the outbound URL guard. */
  @IsString()
  @MaxLength(2000)
  base_url: string;

  /** NAME of the environment variable holding the auth header's value, e.g. INTEGRATION_ACME__HUBSPOT_TOKEN. */
  @IsOptional()
  @Matches(AUTH_HEADER_REF_PATTERN, { message: 'auth_header_ref must be an environment variable name INTEGRATION_<TENANT>__<NAME>' })
  @MaxLength(128)
  auth_header_ref?: string;

  @IsOptional()
  @Matches(HEADER_NAME, { message: 'auth_header_name must be an HTTP header name' })
  auth_header_name?: string;

  /** An interval ("15m", "every 2h") or a five-field cron expression. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  schedule?: string;

  @IsIn(TARGET_DOMAINS)
  target_domain: string;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  timeout_ms?: number;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateConnectionParams {
  @IsUUID()
  connection_id: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  base_url?: string;

  /** null removes the reference. */
  @IsOptional()
  @Nullable()
  @Matches(AUTH_HEADER_REF_PATTERN, { message: 'auth_header_ref must be an environment variable name INTEGRATION_<TENANT>__<NAME>' })
  @MaxLength(128)
  auth_header_ref?: string | null;

  @IsOptional()
  @Matches(HEADER_NAME, { message: 'auth_header_name must be an HTTP header name' })
  auth_header_name?: string;

  /** null removes the schedule (sync on request only). */
  @IsOptional()
  @Nullable()
  @IsString()
  @MaxLength(100)
  schedule?: string | null;

  @IsOptional()
  @IsIn(TARGET_DOMAINS)
  target_domain?: string;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  timeout_ms?: number;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class ConnectionIdParams {
  @IsUUID()
  connection_id: string;
}

export class ListConnectionsParams {
  @IsOptional()
  @IsIn(TARGET_DOMAINS)
  target_domain?: string;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class SyncParams {
  @IsUUID()
  connection_id: string;

  /** Appended to base_url; starts with / or ? (e.g. "/contacts?updated_since=2026-01-01"). */
  @IsOptional()
  @IsString()
  @Matches(/^[/?](?!\/)/, { message: 'path must start with / or ? (and not //)' })
  @MaxLength(1000)
  path?: string;

  /** Retries after the first attempt on timeouts, network errors, 429 and 5xx (INTEGRATIONS_MAX_RETRIES when absent). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  max_retries?: number;

  /** Per-attempt timeout; the connection's timeout_ms when absent. */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  timeout_ms?: number;
}

export class ListSyncRunsParams {
  @IsOptional()
  @IsUUID()
  connection_id?: string;

  @IsOptional()
  @IsIn(SYNC_RUN_STATUSES)
  status?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class ListRecordsParams {
  @IsUUID()
  connection_id: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class SyncAnalysisParams {
  /** One connection; all of the tenant's when absent. */
  @IsOptional()
  @IsUUID()
  connection_id?: string;

  /** History window in days (30 when absent). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  days?: number;
}
