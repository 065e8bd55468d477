import type { RouteFacts } from './route-facts.js';

/** The parts of an RFC 9457 answer that depend on the status; instance and request_id are added per route. */
interface ProblemSample {
  summary: string;
  type: string;
  title: string;
  detail: string;
  [extension: string]: unknown;
}

const TENANT = 'client_123';

/** What the server answers for each status, as its problem classes word it (src/common/problem.filter.ts and the *Problem classes). */
function sample(status: number, route: RouteFacts): ProblemSample {
  switch (status) {
    case 400:
      return {
        summary: 'The body is not valid JSON',
        type: 'urn:ai-crew:problem:malformed-json',
        title: 'Bad Request',
        detail: 'The request body is not valid JSON: Expected double-quoted property name in JSON at position 12 (line 1 column 13)',
      };
    case 401:
      return {
        summary: 'No API key (CREW_API_KEYS is set)',
        type: 'urn:ai-crew:problem:unauthorized',
        title: 'Unauthorized',
        detail: 'An API key is required: send Authorization: Bearer <key> or X-API-Key: <key>.',
      };
    case 402:
      return {
        summary: "The tenant's daily LLM budget is spent",
        type: 'urn:ai-crew:problem:budget-exceeded',
        title: 'Payment Required',
        detail: `Tenant ${TENANT} has spent $5.000000 of its daily LLM budget of $5.000000 today (UTC) and this task is estimated at $0.002000. The budget resets at 2026-03-04T00:00:00.000Z; raise the tenant's daily budget (tenant_settings or TENANT_DAILY_BUDGET_USD) or submit the task without requires_ai.`,
        tenant_id: TENANT,
        daily_budget_usd: 5,
        spent_today_usd: 5,
        remaining_usd: 0,
        estimated_cost_usd: 0.002,
        resets_at: '2026-03-04T00:00:00.000Z',
      };
    case 403:
      return route.serviceKeyOnly
        ? {
            summary: 'A tenant key on a service-key route',
            type: 'urn:ai-crew:problem:forbidden',
            title: 'Forbidden',
            detail: 'This route needs a service key (key:* in CREW_API_KEYS); a tenant key cannot call it.',
          }
        : {
            summary: 'A tenant key acting for another tenant',
            type: 'urn:ai-crew:problem:forbidden',
            title: 'Forbidden',
            detail: `This API key acts for tenant ${TENANT}; it cannot act for tenant client_999.`,
            tenant_id: 'client_999',
          };
    case 404:
      return {
        summary: 'Unknown id, or one of another tenant',
        type: 'urn:ai-crew:problem:not-found',
        title: 'Not Found',
        detail: `No task 7d0f6a8e-2f9c-4a49-9d8e-3f0f7e0c1b2a for tenant ${TENANT}.`,
      };
    case 409:
      return {
        summary: 'The task has already finished',
        type: 'urn:ai-crew:problem:conflict',
        title: 'Conflict',
        detail:
          'Task 7d0f6a8e-2f9c-4a49-9d8e-3f0f7e0c1b2a already finished with status completed; only pending or running tasks can be cancelled.',
        task_status: 'completed',
      };
    case 413:
      return {
        summary: 'The body exceeds BODY_LIMIT',
        type: 'urn:ai-crew:problem:payload-too-large',
        title: 'Content Too Large',
        detail: 'The request body exceeds the limit of 1048576 bytes.',
      };
    case 422:
      return validationSample(route);
    case 429:
      return {
        summary: 'The tenant exceeded its request rate',
        type: 'urn:ai-crew:problem:rate-limited',
        title: 'Too Many Requests',
        detail: `Tenant ${TENANT} exceeded its limit of 100 requests per minute; retry after 12 s.`,
        limit_per_minute: 100,
        retry_after: 12,
      };
    case 502:
      return {
        summary: 'The Brain API is unreachable',
        type: 'urn:ai-crew:problem:brain-unavailable',
        title: 'Bad Gateway',
        detail:
          'Brain API at http://localhost:8001/api/brain/tenants/client_123/data is unreachable: connection refused. Check BRAIN_API_URL and that the Brain API is running.',
      };
    case 503:
      return {
        summary: 'The database is unreachable',
        type: 'urn:ai-crew:problem:database-unavailable',
        title: 'Service Unavailable',
        detail: 'The database is unreachable. The request was not processed; retry shortly.',
      };
    default:
      return {
        summary: 'An unexpected error',
        type: 'urn:ai-crew:problem:internal-error',
        title: 'Internal Server Error',
        detail: 'An unexpected error occurred. Quote the request id when reporting it.',
      };
  }
}

function validationSample(route: RouteFacts): ProblemSample {
  const base = { summary: 'Validation failed', type: 'urn:ai-crew:problem:validation-error', title: 'Unprocessable Content' };
  if (route.tenantScoped) {
    const message = 'is required (in the body as tenant_id or in the X-Tenant-ID header)';
    return { ...base, summary: 'No tenant named', detail: `tenant_id: ${message}`, errors: [{ field: 'tenant_id', message }] };
  }
  if (route.query) {
    const message = 'hours must not be greater than 720';
    return { ...base, summary: 'A query parameter out of range', detail: `hours: ${message}`, errors: [{ field: 'hours', message }] };
  }
  const message = 'must be 1–100 characters: letters, digits, _ . : - (starting with a letter or digit)';
  return { ...base, summary: 'An invalid path parameter', detail: `tenant_id: ${message}`, errors: [{ field: 'tenant_id', message }] };
}

/** The example of a problem answer of one route: its status, its path, a request id. */
export function problemExample(status: number, route: RouteFacts, instance: string): { summary: string; value: Record<string, unknown> } {
  const { summary, type, title, detail, ...extensions } = sample(status, route);
  return {
    summary,
    value: { type, title, status, detail, instance, request_id: '5b0c3a8e-93e5-4d1c-9a0a-0c9f3b1f6e21', ...extensions },
  };
}
