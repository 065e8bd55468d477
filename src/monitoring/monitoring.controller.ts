import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ServiceKeyOnly } from '../auth/public.decorator.js';
import { ApiProblems } from '../common/api-problem-responses.js';
import { AlertService } from './alerts/alert.service.js';
import { AlertListDto, MonitoringConfigDto } from './dto/alert-response.dto.js';
import { AlertsQuery, MonitoringToggleQuery } from './dto/monitoring-query.dto.js';
import { BreakdownDto, StatisticsResponseDto, StatusResponseDto } from './dto/status-response.dto.js';
import { StatusService } from './status.service.js';

@ApiTags('monitoring')
@ApiExtraModels(BreakdownDto)
@ServiceKeyOnly()
@Controller()
export class MonitoringController {
  constructor(
    private readonly status: StatusService,
    private readonly alerts: AlertService,
  ) {}

  @Get('status')
  @ApiOperation({
    summary: 'Service status: version, uptime, AI mode, database, workers, queue depth, monitoring switch and recent decisions',
    description: 'An operator view of this instance and the shared queue. Needs a service key when CREW_API_KEYS is set.',
  })
  @ApiOkResponse({ type: StatusResponseDto })
  @ApiProblems(401, 403, 503)
  getStatus(): Promise<StatusResponseDto> {
    return this.status.status();
  }

  @Get('statistics')
  @ApiOperation({
    summary: 'All-time task totals by status, strategy, domain and type, with success rates, tokens and cost',
    description: 'Across every tenant, from the task table. Needs a service key when CREW_API_KEYS is set.',
  })
  @ApiOkResponse({ type: StatisticsResponseDto })
  @ApiProblems(401, 403, 503)
  getStatistics(): Promise<StatisticsResponseDto> {
    return this.status.statistics();
  }

  @Get('alerts')
  @ApiOperation({
    summary: 'Stored alerts, newest first (execution time, success rate, cost per hour, queue wait)',
    description: 'Alerts raised in the last `hours`, optionally of one level or metric. Needs a service key when CREW_API_KEYS is set.',
  })
  @ApiOkResponse({ type: AlertListDto })
  @ApiProblems(401, 403, 422, 503)
  listAlerts(@Query() query: AlertsQuery): Promise<AlertListDto> {
    return this.alerts.list(query);
  }

  @Post('config/monitoring')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Switch alert evaluation on or off for every instance (?active=true|false)',
    description: 'Overrides MONITORING_ENABLED until switched again; /status shows the state. Reports and /metrics stay available.',
  })
  @ApiOkResponse({ type: MonitoringConfigDto })
  @ApiProblems(401, 403, 422, 503)
  setMonitoring(@Query() query: MonitoringToggleQuery): Promise<MonitoringConfigDto> {
    return this.status.setMonitoring(query.active);
  }
}
