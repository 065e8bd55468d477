import { ApiProperty } from '@nestjs/swagger';
import { ExecuteResponseDto } from '../../tasks/dto/task-response.dto.js';
import { STRATEGIES, TASK_STATUSES } from '../../tasks/task.types.js';

export class ManifestRouteDto {
  @ApiProperty({ example: '/api/brain/crew/execute' }) path: string;
  @ApiProperty({ example: 'POST' }) method: string;
  @ApiProperty({ example: 'Submit a task; it runs the cheapest way that does it well' }) description: string;
  @ApiProperty({ example: '/api/crew/execute' }) crew_system_endpoint: string;
  @ApiProperty({ example: 'tasks' }) domain: string;
}

export class RegisterRoutesResponseDto {
  @ApiProperty({ enum: ['registered', 'failed'], example: 'registered' }) status: string;
  @ApiProperty({ format: 'uuid' }) registration_id: string;
  @ApiProperty({ example: 'http://localhost:8001' }) brain_api_url: string;
  @ApiProperty({ example: 'http://localhost:8002' }) crew_system_url: string;
  @ApiProperty({ example: 9 }) routes_registered: number;
  @ApiProperty({ nullable: true, type: Number, example: 200 }) brain_http_status: number | null;
  @ApiProperty({ nullable: true, description: "The Brain API's answer." }) brain_response: unknown;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ format: 'date-time' }) registration_timestamp: string;
  @ApiProperty({ type: [ManifestRouteDto] }) routes: ManifestRouteDto[];
}

export class IntegrationProblemDto {
  @ApiProperty({ enum: ['brain_api_accessible', 'health_check', 'routes_registered', 'round_trip'] }) check: string;
  @ApiProperty({ example: 'Brain API at http://localhost:8001/api/brain/health is unreachable: ECONNREFUSED' }) problem: string;
  @ApiProperty({ example: 'Check BRAIN_API_URL (now http://localhost:8001) and that the Brain API is running.' }) fix: string;
}

export class ValidateIntegrationResponseDto {
  @ApiProperty() brain_api_accessible: boolean;
  @ApiProperty() routes_registered: boolean;
  @ApiProperty() health_check: boolean;
  @ApiProperty() round_trip: boolean;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'brain_api_url, crew_system_url, brain_health, registration, round_trip, and problems[{check, problem, fix}].',
  })
  details: Record<string, unknown>;
}

export class BrainIntegrationDto {
  @ApiProperty({ example: 'crm/lead-scoring' }) routed_from: string;
  @ApiProperty({ example: 'crm_lead_scoring' }) task_type: string;
  @ApiProperty({ enum: STRATEGIES, nullable: true, example: 'single_agent' }) execution_strategy: string | null;
  @ApiProperty({ type: [String], example: ['crm_lead_specialist'] }) agents_used: string[];
}

export class HandleRequestResponseDto {
  @ApiProperty({ enum: TASK_STATUSES, example: 'completed' }) status: string;
  @ApiProperty({ type: ExecuteResponseDto }) crew_result: ExecuteResponseDto;
  @ApiProperty({ type: BrainIntegrationDto }) brain_integration: BrainIntegrationDto;
}

export class TenantSettingsResponseDto {
  @ApiProperty({ example: 'client_123' }) tenant_id: string;
  @ApiProperty({ nullable: true, type: String, example: 'professional' }) subscription_tier: string | null;
  @ApiProperty({ type: [String], example: ['crm', 'analytics'] }) enabled_features: string[];
  @ApiProperty({ type: 'object', additionalProperties: true, example: { requests_per_minute: 120 } }) api_limits: Record<string, unknown>;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 120,
    description: 'The request limit now applied (per minute); 0 means none; null means the service default.',
  })
  requests_per_minute: number | null;
  @ApiProperty({ example: 120, nullable: true, type: Number, description: 'The limit in force, default included; null: no limit.' })
  effective_requests_per_minute: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 25 }) daily_budget_usd: number | null;
  @ApiProperty({ nullable: true, enum: ['refuse', 'downgrade'] }) over_budget_action: string | null;
  @ApiProperty({ format: 'date-time' }) synced_at: string;
}
