import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STRATEGIES, TASK_STATUSES } from '../task.types.js';

export class TaskMetricsDto {
  @ApiProperty({ example: 0 }) llm_calls: number;
  @ApiProperty({ example: 0 }) input_tokens: number;
  @ApiProperty({ example: 0 }) output_tokens: number;
  @ApiProperty({ example: 0 }) cached_tokens: number;
  @ApiProperty({ example: 0 }) cost_usd: number;
  @ApiProperty({ example: 0, nullable: true, type: Number }) queue_wait_ms: number | null;
  @ApiProperty({ example: ['direct_db'], type: [String] }) fallback_chain: string[];
  @ApiProperty({ enum: ['llm', 'deterministic'], nullable: true, example: 'deterministic' }) ai_mode: string | null;
  @ApiProperty({ example: false }) cache_hit: boolean;
}

export class DelegationDto {
  @ApiProperty({ example: 'simple' }) complexity: string;
  @ApiProperty({ example: 'crud_operation' }) category: string;
  @ApiProperty({ enum: STRATEGIES, example: 'direct_db' }) strategy: string;
  @ApiProperty({ example: 0.95 }) confidence: number;
  @ApiProperty({ example: 'get_task_list is a simple read without AI: direct database query.' }) reasoning: string;
  @ApiProperty({ example: 0 }) estimated_cost: number;
  @ApiProperty({ example: 0.05, description: 'Seconds.' }) estimated_time: number;
  @ApiProperty({ example: 'low' }) risk: string;
  @ApiProperty({ example: 'catalogue_default' }) rule: string;
}

export class TaskLinksDto {
  @ApiProperty({ example: '/api/crew/task/7d0f6a8e-2f9c-4a49-9d8e-3f0f7e0c1b2a' }) self: string;
  @ApiProperty({ example: '/api/crew/task/7d0f6a8e-2f9c-4a49-9d8e-3f0f7e0c1b2a/events' }) events: string;
}

/** The answer of `POST /execute` (200 finished, 202 accepted). */
export class ExecuteResponseDto {
  @ApiProperty({ format: 'uuid' }) task_id: string;
  @ApiProperty({ format: 'uuid' }) workflow_id: string;
  @ApiProperty({ enum: TASK_STATUSES, example: 'completed' }) status: string;
  @ApiProperty({ enum: STRATEGIES, nullable: true, example: 'direct_db' }) strategy_used: string | null;
  @ApiProperty({ enum: STRATEGIES, nullable: true, example: 'direct_db', description: 'The strategy actually used.' })
  execution_type: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 0.012, description: 'Seconds.' }) execution_time: number | null;
  @ApiProperty({ nullable: true, description: 'Task-type specific; schema in the catalogue.', example: { tasks: [], count: 0 } })
  result: unknown;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'What to change when the task did not complete.' }) guidance: string | null;
  @ApiProperty({ type: [String], example: [] }) agents_used: string[];
  @ApiProperty({ type: TaskMetricsDto }) metrics: TaskMetricsDto;
  @ApiProperty({ type: [String], example: [] }) recommendations: string[];
  @ApiProperty({ type: DelegationDto, nullable: true }) delegation: DelegationDto | null;
  @ApiProperty({ type: TaskLinksDto }) links: TaskLinksDto;
}

export class TaskProgressDto {
  @ApiProperty({ example: 1 }) completed_steps: number;
  @ApiProperty({ example: 1 }) total_steps: number;
  @ApiProperty({ example: 100 }) percent: number;
}

export class TaskStepDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) parent_step_id: string | null;
  @ApiProperty({ example: 1 }) attempt: number;
  @ApiProperty({ nullable: true, type: String, example: 'crm_lead_specialist' }) agent_id: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'specialist' }) tier: string | null;
  @ApiProperty({ example: 'tool' }) kind: string;
  @ApiProperty({ example: 'score_leads' }) name: string;
  @ApiProperty({ example: 'completed' }) status: string;
  @ApiProperty({ format: 'date-time' }) started_at: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finished_at: string | null;
  @ApiProperty({ nullable: true, type: Number }) duration_ms: number | null;
  @ApiProperty() input_tokens: number;
  @ApiProperty() output_tokens: number;
  @ApiProperty() cached_tokens: number;
  @ApiProperty() cost_usd: number;
  @ApiProperty({ nullable: true, type: String }) input: string | null;
  @ApiProperty({ nullable: true, type: String }) output: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ type: () => [TaskStepDto] }) children: TaskStepDto[];
}

/** The answer of `GET /task/{id}`: the execute answer plus the task's identity, timing and progress. */
export class TaskDetailDto extends ExecuteResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'client_123' }) tenant_id: string;
  @ApiProperty({ example: 'get_task_list' }) type: string;
  @ApiProperty({ nullable: true, type: String, example: null }) domain: string | null;
  @ApiProperty({ example: 5 }) priority: number;
  @ApiProperty({ nullable: true, type: String, example: 'direct_db', description: 'Alias of strategy_used (original API).' })
  crew_type: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) start_time: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) end_time: string | null;
  @ApiProperty({ example: 1 }) tasks_completed: number;
  @ApiProperty({ example: 1 }) total_tasks: number;
  @ApiProperty({ type: TaskProgressDto }) progress: TaskProgressDto;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiPropertyOptional({ type: [TaskStepDto], description: 'Only with ?include=trace.' }) trace?: TaskStepDto[];
}

export class TaskSummaryDto {
  @ApiProperty({ format: 'uuid' }) task_id: string;
  @ApiProperty({ format: 'uuid' }) workflow_id: string;
  @ApiProperty({ example: 'get_task_list' }) type: string;
  @ApiProperty({ nullable: true, type: String }) domain: string | null;
  @ApiProperty({ enum: TASK_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) strategy: string | null;
  @ApiProperty({ example: 5 }) priority: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finished_at: string | null;
  @ApiProperty({ nullable: true, type: Number }) execution_time: number | null;
  @ApiProperty({ example: '/api/crew/task/7d0f6a8e-2f9c-4a49-9d8e-3f0f7e0c1b2a' }) self: string;
}

export class TaskListDto {
  @ApiProperty({ type: [TaskSummaryDto] }) items: TaskSummaryDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as ?cursor= for the next page; null on the last page.' })
  next_cursor: string | null;
  @ApiProperty({ example: 20 }) limit: number;
}

export class CancelResponseDto {
  @ApiProperty({ example: 'cancelled', enum: ['cancelled', 'cancelling'] }) status: string;
  @ApiProperty({ format: 'uuid' }) task_id: string;
}

/** The metrics of a queued task that has not started: nothing spent yet. */
export const PENDING_METRICS_EXAMPLE: TaskMetricsDto = {
  llm_calls: 0,
  input_tokens: 0,
  output_tokens: 0,
  cached_tokens: 0,
  cost_usd: 0,
  queue_wait_ms: null,
  fallback_chain: ['single_agent'],
  ai_mode: null,
  cache_hit: false,
};

const ACCEPTED_ID = 'f9156ae4-cbd3-4c42-a4e9-6845d3bedaa6';

/** A 202 answer: queued for background execution, nothing run yet. */
export const EXECUTE_ACCEPTED_EXAMPLE: ExecuteResponseDto = {
  task_id: ACCEPTED_ID,
  workflow_id: 'c4704a91-04f5-4c18-99b6-3fe95c70ede9',
  status: 'pending',
  strategy_used: 'single_agent',
  execution_type: 'single_agent',
  execution_time: null,
  result: null,
  error: null,
  guidance: null,
  agents_used: [],
  metrics: PENDING_METRICS_EXAMPLE,
  recommendations: [],
  delegation: {
    complexity: 'moderate',
    category: 'decision_making',
    strategy: 'single_agent',
    confidence: 0.85,
    reasoning: 'Rule ai_moderate_single_agent: an AI task of moderate complexity under 10K rows runs on one specialist agent.',
    estimated_cost: 0.0018,
    estimated_time: 20,
    risk: 'low',
    rule: 'ai_moderate_single_agent',
  },
  links: { self: `/api/crew/task/${ACCEPTED_ID}`, events: `/api/crew/task/${ACCEPTED_ID}/events` },
};
