import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { ServiceKeyOnly } from '../auth/public.decorator.js';
import { ApiProblems } from '../common/api-problem-responses.js';
import { OptimizeResponseDto } from './dto/alert-response.dto.js';
import { ExportQuery, HoursQuery, MetricsQuery, OptimizeQuery } from './dto/monitoring-query.dto.js';
import { ExportResponseDto, MetricSeriesDto, PerformanceSummaryDto, RateDto, TimingDto } from './dto/performance-response.dto.js';
import { EXPORT_COLUMNS, ExportService } from './export.service.js';
import { OptimizerService } from './optimizer/optimizer.service.js';
import { DEFAULT_HOURS, PerformanceService } from './performance.service.js';

@ApiTags('monitoring')
@ApiExtraModels(RateDto, TimingDto, ExportResponseDto)
@ServiceKeyOnly()
@Controller()
export class PerformanceController {
  constructor(
    private readonly performance: PerformanceService,
    private readonly exporter: ExportService,
    private readonly optimizer: OptimizerService,
  ) {}

  @Get('performance/summary')
  @ApiOperation({
    summary: 'Performance over the last N hours: success rates, execution time percentiles, queue wait, agents, tokens, cost, health',
    description: 'Computed from the tasks created in the window, across every tenant. Needs a service key when CREW_API_KEYS is set.',
  })
  @ApiOkResponse({ type: PerformanceSummaryDto })
  @ApiProblems(401, 403, 422, 503)
  summary(@Query() query: HoursQuery): Promise<PerformanceSummaryDto> {
    return this.performance.summary(query.hours ?? DEFAULT_HOURS);
  }

  @Get('performance/metrics')
  @ApiOperation({
    summary: 'One metric as a time series (5-minute to hourly buckets), optionally for one strategy or domain',
    description: 'An unknown metric_type is a 422 whose error lists the allowed ones.',
  })
  @ApiOkResponse({ type: MetricSeriesDto })
  @ApiProblems(401, 403, 422, 503)
  metrics(@Query() query: MetricsQuery): Promise<MetricSeriesDto> {
    return this.performance.metricSeries(query);
  }

  @Post('performance/export')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Export the executions of the last N hours as JSON or CSV (one row per task)',
    description: 'At most `limit` rows, oldest first. Needs a service key when CREW_API_KEYS is set.',
  })
  @ApiOkResponse({
    description: 'JSON (format=json) or CSV with a header row (format=csv).',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ExportResponseDto) } },
      'text/csv': { schema: { type: 'string' }, example: `${EXPORT_COLUMNS.join(',')}\r\n` },
    },
  })
  @ApiProblems(401, 403, 422, 503)
  async export(@Query() query: ExportQuery, @Res({ passthrough: true }) response: Response): Promise<ExportResponseDto | string> {
    const file = await this.exporter.export(query.format ?? 'json', query.hours ?? DEFAULT_HOURS, query.limit ?? 10_000);
    if (file.format === 'json') return file.body;
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    return file.body;
  }

  @Post('optimize')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Optimization recommendations from measured history; ?apply=true applies the safe ones (strategy downgrades)',
    description: 'Applied recommendations become routing overrides that the delegation engine honours; later calls list them as applied.',
  })
  @ApiOkResponse({ type: OptimizeResponseDto })
  @ApiProblems(401, 403, 422, 503)
  optimize(@Query() query: OptimizeQuery): Promise<OptimizeResponseDto> {
    return this.optimizer.optimize(query.hours ?? DEFAULT_HOURS, query.apply ?? false);
  }
}
