import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type ExportRow, taskExecutions } from '../tasks/statistics/export.queries.js';
import type { ExecutionRowDto, ExportResponseDto } from './dto/performance-response.dto.js';

/** Export columns, in CSV order; the JSON rows carry the same keys. */
export const EXPORT_COLUMNS = [
  'task_id',
  'workflow_id',
  'tenant_id',
  'type',
  'domain',
  'strategy',
  'complexity',
  'status',
  'ai_mode',
  'priority',
  'created_at',
  'started_at',
  'finished_at',
  'duration_ms',
  'queue_wait_ms',
  'attempts',
  'llm_calls',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'cost_usd',
  'cache_hit',
] as const satisfies readonly (keyof ExecutionRowDto)[];

function iso(date: Date | null): string | null {
  return date === null ? null : new Date(date).toISOString();
}

function toRow(row: ExportRow): ExecutionRowDto {
  return {
    task_id: row.id,
    workflow_id: row.workflow_id,
    tenant_id: row.tenant_id,
    type: row.type,
    domain: row.domain,
    strategy: row.strategy,
    complexity: row.complexity,
    status: row.status,
    ai_mode: row.ai_mode,
    priority: row.priority,
    created_at: new Date(row.created_at).toISOString(),
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    duration_ms: row.duration_ms,
    queue_wait_ms: row.queue_wait_ms,
    attempts: row.attempts,
    llm_calls: row.llm_calls,
    input_tokens: row.input_tokens,
    output_tokens: row.output_tokens,
    cached_tokens: row.cached_tokens,
    cost_usd: row.cost_usd,
    cache_hit: row.cache_hit,
  };
}

/** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never runs a cell as a formula. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: ExecutionRowDto[]): string {
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const row of rows) lines.push(EXPORT_COLUMNS.map((column) => csvCell(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export type ExportFile = { format: 'json'; body: ExportResponseDto } | { format: 'csv'; body: string; filename: string };

/** One row per execution (task) of the window, oldest first. */
@Injectable()
export class ExportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async export(format: 'json' | 'csv', hours: number, limit: number): Promise<ExportFile> {
    const result = await this.executions(hours, limit);
    if (format === 'json') return { format, body: result };
    return { format, body: toCsv(result.executions), filename: `crew-executions-${hours}h.csv` };
  }

  async executions(hours: number, limit: number): Promise<ExportResponseDto> {
    const rows = await taskExecutions(this.dataSource, hours, limit + 1);
    const now = await this.dataSource.query<{ now: Date }[]>('SELECT now() AS now').then((r) => new Date(r[0].now));
    const truncated = rows.length > limit;
    const executions = rows.slice(0, limit).map(toRow);
    return {
      period: { hours, from: new Date(now.getTime() - hours * 3600_000).toISOString(), to: now.toISOString() },
      count: executions.length,
      truncated,
      executions,
    };
  }
}
