import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService, MemoryHealthIndicator, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator.js';
import { HealthCheckFilter } from './health-check.filter.js';

const HEAP_LIMIT_BYTES = 1536 * 1024 * 1024;
const DB_TIMEOUT_MS = 1500;

const UNAVAILABLE = {
  description: 'A dependency is down; the Terminus body says which.',
  schema: {
    example: {
      status: 'error',
      info: {},
      error: { database: { status: 'down', message: 'timeout of 1500ms exceeded' } },
      details: { database: { status: 'down', message: 'timeout of 1500ms exceeded' } },
    },
  },
};

@ApiTags('health')
@Public()
@UseFilters(HealthCheckFilter)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly memory: MemoryHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({
    summary: 'Overall health: database and heap',
    description:
      'Terminus body: 200 when the database answers a ping within 1.5 s and the heap is under 1.5 GiB, 503 naming what is down otherwise. Public.',
  })
  @ApiServiceUnavailableResponse(UNAVAILABLE)
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: DB_TIMEOUT_MS }),
      () => this.memory.checkHeap('memory_heap', HEAP_LIMIT_BYTES),
    ]);
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({
    summary: 'Liveness: the process answers (no dependencies)',
    description:
      'For a liveness probe: checks nothing beyond the process answering, so a database outage never restarts the service. Public.',
  })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: the database answers',
    description:
      'For a readiness probe: 200 while the database answers a ping within 1.5 s, 503 while it does not (200 again when it returns, without a restart). Public.',
  })
  @ApiServiceUnavailableResponse(UNAVAILABLE)
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.db.pingCheck('database', { timeout: DB_TIMEOUT_MS })]);
  }
}
