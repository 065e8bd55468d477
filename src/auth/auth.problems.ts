import { ProblemException } from '../common/problem.js';

export class UnauthorizedProblem extends ProblemException {
  constructor(detail: string) {
    super(401, 'unauthorized', 'Unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer realm="ai-crew"' } });
  }
}

export class ForbiddenProblem extends ProblemException {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(403, 'forbidden', 'Forbidden', detail, extra);
  }
}

export class RateLimitedProblem extends ProblemException {
  constructor(tenantId: string, limit: number, retryAfterS: number) {
    super(
      429,
      'rate-limited',
      'Too Many Requests',
      `Tenant ${tenantId} exceeded its limit of ${limit} requests per minute; retry after ${retryAfterS} s.`,
      { limit_per_minute: limit, retry_after: retryAfterS, headers: { 'Retry-After': String(retryAfterS) } },
    );
  }
}
