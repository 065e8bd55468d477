import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/public.decorator.js';
import { ApiProblems } from '../../common/api-problem-responses.js';
import { ProblemException } from '../../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { CrewMetrics } from './crew-metrics.service.js';

function sameSecret(given: string, expected: string): boolean {
  // Hash first so lengths match and the comparison time says nothing about the token.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Prometheus scrape endpoint at `/metrics` (outside the /api/crew prefix). */
@ApiTags('monitoring')
@Public()
@Controller()
export class MetricsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: CrewMetrics,
  ) {}

  @Get('metrics')
  @ApiOperation({
    summary: 'Prometheus metrics of this instance (text exposition format)',
    description: 'Public unless METRICS_TOKEN is set; then send `Authorization: Bearer <METRICS_TOKEN>`.',
  })
  @ApiHeader({ name: 'Authorization', required: false, description: 'Bearer <METRICS_TOKEN>, when one is configured.' })
  @ApiOkResponse({
    description: 'Prometheus text format 0.0.4.',
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example:
          '# HELP crew_tasks_total Tasks that reached a final status in this instance.\n# TYPE crew_tasks_total counter\ncrew_tasks_total{strategy="direct_db",domain="none",status="completed"} 42\n',
      },
    },
  })
  @ApiProblems(401)
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const token = this.config.security.metricsToken;
    if (token !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!match || !sameSecret(match[1], token)) {
        throw new ProblemException(
          401,
          'unauthorized',
          'Unauthorized',
          'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".',
          {
            headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
          },
        );
      }
    }
    response.setHeader('Content-Type', this.metrics.contentType);
    response.setHeader('Cache-Control', 'no-store');
    return this.metrics.metrics();
  }
}
