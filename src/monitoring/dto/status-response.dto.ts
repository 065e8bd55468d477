import { ApiProperty } from '@nestjs/swagger';

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export class WorkerInfoDto {
  @ApiProperty({ example: true }) enabled: boolean;
  @ApiProperty({ example: 10, description: 'MAX_CONCURRENT_WORKFLOWS of this instance.' }) slots: number;
  @ApiProperty({ example: 2, description: 'Slots running a task now.' }) busy: number;
  @ApiProperty({ example: 'crew-7f9c:1:a1b2c3' }) instance_id: string;
}

export class QueueInfoDto {
  @ApiProperty({
    example: 3,
    nullable: true,
    type: Number,
    description: 'Queued tasks waiting for a worker (all instances); null if the queue is unreachable.',
  })
  depth: number | null;
}

export class MonitoringStateDto {
  @ApiProperty({ example: true, description: 'Alert evaluation on or off.' }) active: boolean;
  @ApiProperty({
    enum: ['config', 'runtime'],
    example: 'config',
    description: 'config: MONITORING_ENABLED; runtime: set by POST /config/monitoring.',
  })
  source: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) changed_at: string | null;
}

export class RecentDecisionDto {
  @ApiProperty({ format: 'uuid' }) task_id: string;
  @ApiProperty({ example: 'crm_lead_scoring' }) type: string;
  @ApiProperty({ nullable: true, type: String, example: 'crm' }) domain: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'single_agent' }) strategy: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'moderate' }) complexity: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 0.9 }) confidence: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'catalogue_default' }) rule: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'crm_lead_scoring is a catalogue task type with a moderate single_agent handler.' })
  reasoning: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

/** The Node.js runtime of the instance that answered. */
export class RuntimeInfoDto {
  @ApiProperty({ example: 'v24.21.0', description: 'Node.js version the service runs on (process.version).' }) node: string;
  @ApiProperty({ example: '>=24.11.0', description: 'Node.js versions the service supports (package.json engines).' })
  node_supported: string;
  @ApiProperty({ example: true, description: 'Whether `node` satisfies `node_supported`.' }) supported: boolean;
  @ApiProperty({ example: 'linux' }) platform: string;
  @ApiProperty({ example: 'x64' }) arch: string;
  @ApiProperty({ example: 12345 }) pid: number;
}

/** `GET /status`. */
export class StatusResponseDto {
  @ApiProperty({ example: 'ai-crew-system' }) service: string;
  @ApiProperty({ example: 'operational' }) status: string;
  @ApiProperty({ example: '0.1.0' }) version: string;
  @ApiProperty({ type: RuntimeInfoDto }) runtime: RuntimeInfoDto;
  @ApiProperty({ enum: ['development', 'production', 'test'], example: 'production' }) environment: string;
  @ApiProperty({ example: 3600.5 }) uptime_seconds: number;
  @ApiProperty({ format: 'date-time' }) started_at: string;
  @ApiProperty({ enum: ['llm', 'deterministic'], example: 'deterministic' }) ai_mode: string;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'OPENAI_MODEL when ai_mode is llm.' }) model: string | null;
  @ApiProperty({ enum: ['embedded', 'postgres'], example: 'postgres' }) database: string;
  @ApiProperty({ type: WorkerInfoDto }) worker: WorkerInfoDto;
  @ApiProperty({ type: QueueInfoDto }) queue: QueueInfoDto;
  @ApiProperty({ type: MonitoringStateDto }) monitoring: MonitoringStateDto;
  @ApiProperty({ example: 24, description: 'The distributions count decisions of the last N hours.' }) distribution_window_hours: number;
  @ApiProperty({ ...COUNTS, example: { direct_db: 120, single_agent: 14, crew_workflow: 2 } }) strategy_distribution: Record<
    string,
    number
  >;
  @ApiProperty({ ...COUNTS, example: { simple: 120, moderate: 14, expert: 2 } }) complexity_distribution: Record<string, number>;
  @ApiProperty({ type: [RecentDecisionDto], description: 'The 10 most recent decisions.' }) recent_decisions: RecentDecisionDto[];
  @ApiProperty({ format: 'date-time' }) timestamp: string;
}

export class BreakdownDto {
  @ApiProperty({ example: 40 }) executions: number;
  @ApiProperty({ example: 36 }) completed: number;
  @ApiProperty({ example: 3 }) failed: number;
  @ApiProperty({ example: 1 }) timed_out: number;
  @ApiProperty({ example: 0 }) cancelled: number;
  @ApiProperty({ nullable: true, type: Number, example: 0.9, description: 'completed / (completed + failed + timed_out).' })
  success_rate: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 12.5, description: 'Seconds.' }) avg_execution_time: number | null;
  @ApiProperty({ example: 0.42 }) cost_usd: number;
}

export class TokenTotalsDto {
  @ApiProperty({ example: 120000 }) input: number;
  @ApiProperty({ example: 30000 }) output: number;
  @ApiProperty({ example: 40000 }) cached: number;
  @ApiProperty({ example: 150000, description: 'input + output.' }) total: number;
  @ApiProperty({ example: 210 }) llm_calls: number;
}

export class CostTotalsDto {
  @ApiProperty({ example: 1.234567 }) total_usd: number;
  @ApiProperty({ nullable: true, type: Number, example: 0.0082 }) per_task_usd: number | null;
}

const BREAKDOWNS = (example: Record<string, unknown>) =>
  ({ type: 'object', additionalProperties: { $ref: '#/components/schemas/BreakdownDto' }, example }) as const;

/** `GET /statistics`: every task since the start. */
export class StatisticsResponseDto {
  @ApiProperty({ example: 150 }) total_tasks: number;
  @ApiProperty({ ...COUNTS, example: { completed: 140, failed: 6, timed_out: 1, cancelled: 1, running: 1, pending: 1 } })
  by_status: Record<string, number>;
  @ApiProperty(
    BREAKDOWNS({
      direct_db: {
        executions: 120,
        completed: 120,
        failed: 0,
        timed_out: 0,
        cancelled: 0,
        success_rate: 1,
        avg_execution_time: 0.012,
        cost_usd: 0,
      },
    }),
  )
  by_strategy: Record<string, BreakdownDto>;
  @ApiProperty(
    BREAKDOWNS({
      none: {
        executions: 120,
        completed: 120,
        failed: 0,
        timed_out: 0,
        cancelled: 0,
        success_rate: 1,
        avg_execution_time: 0.012,
        cost_usd: 0,
      },
    }),
  )
  by_domain: Record<string, BreakdownDto>;
  @ApiProperty(
    BREAKDOWNS({
      get_task_list: {
        executions: 120,
        completed: 120,
        failed: 0,
        timed_out: 0,
        cancelled: 0,
        success_rate: 1,
        avg_execution_time: 0.012,
        cost_usd: 0,
      },
    }),
  )
  by_type: Record<string, BreakdownDto>;
  @ApiProperty({ nullable: true, type: Number, example: 0.953 }) success_rate: number | null;
  @ApiProperty({ type: TokenTotalsDto }) tokens: TokenTotalsDto;
  @ApiProperty({ type: CostTotalsDto }) cost: CostTotalsDto;
  @ApiProperty({ example: 12 }) cache_hits: number;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
}
