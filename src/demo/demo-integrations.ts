import type { Faker } from '@faker-js/faker';
import type { IntegrationConnectionEntity, TargetDomain } from '../domains/integrations/entities/integration-connection.entity.js';
import type { ErrorClass, SyncRunEntity } from '../domains/integrations/entities/sync-run.entity.js';
import { DEMO_TENANT } from './demo.constants.js';
import { type DemoClock, demoUuid } from './demo-ids.js';

/** Days of sync history. */
const SYNC_DAYS = 30;

interface ConnectionPlan {
  name: string;
  baseUrl: string;
  path: string;
  targetDomain: TargetDomain;
  schedule: string;
  everyHours: number;
  timeoutMs: number;
  /** Typical duration of a successful run. */
  medianMs: number;
  records: readonly [number, number];
  /** How its runs fail, and how often. */
  failures: readonly { errorClass: ErrorClass; httpStatus: number | null; error: string; weight: number }[];
  failureRate: number;
}

/**
 * Four upstreams with different health: a CRM that sometimes times out and gets rate limited, a shop that rarely
 * fails, a payment processor whose token expired for three days last week, a CMS that sends malformed pages. The
 * URLs are placeholders (nothing is fetched while loading the demo); the sync history is what the sync analyses read.
 */
const CONNECTIONS: readonly ConnectionPlan[] = [
  {
    name: 'hubspot-contacts',
    baseUrl: 'https://api.hubapi.example/crm/v3',
    path: '/objects/contacts',
    targetDomain: 'crm',
    schedule: 'every 12h',
    everyHours: 12,
    timeoutMs: 10_000,
    medianMs: 900,
    records: [20, 120],
    failures: [
      { errorClass: 'timeout', httpStatus: null, error: 'The upstream did not answer within 10000 ms', weight: 3 },
      { errorClass: 'rate_limited', httpStatus: 429, error: 'The upstream answered 429 Too Many Requests', weight: 2 },
    ],
    failureRate: 0.12,
  },
  {
    name: 'shopify-products',
    baseUrl: 'https://demo-store.myshopify.example/admin/api/2025-01',
    path: '/products.json',
    targetDomain: 'ecommerce',
    schedule: '0 3 * * *',
    everyHours: 24,
    timeoutMs: 15_000,
    medianMs: 2500,
    records: [38, 42],
    failures: [{ errorClass: 'http_5xx', httpStatus: 502, error: 'The upstream answered 502 Bad Gateway', weight: 1 }],
    failureRate: 0.04,
  },
  {
    name: 'stripe-invoices',
    baseUrl: 'https://api.stripe.example/v1',
    path: '/invoices',
    targetDomain: 'billing',
    schedule: 'every 12h',
    everyHours: 12,
    timeoutMs: 10_000,
    medianMs: 600,
    records: [5, 40],
    failures: [{ errorClass: 'http_5xx', httpStatus: 503, error: 'The upstream answered 503 Service Unavailable', weight: 1 }],
    failureRate: 0.03,
  },
  {
    name: 'wordpress-posts',
    baseUrl: 'https://blog.demo-store.example/wp-json/wp/v2',
    path: '/posts',
    targetDomain: 'cms',
    schedule: '1d',
    everyHours: 24,
    timeoutMs: 10_000,
    medianMs: 1500,
    records: [28, 32],
    failures: [
      { errorClass: 'malformed', httpStatus: 200, error: 'The upstream answered records without an id', weight: 2 },
      { errorClass: 'network', httpStatus: null, error: 'Could not connect to the upstream (ECONNRESET)', weight: 1 },
    ],
    failureRate: 0.15,
  },
];

/** The payment processor's token had expired on these days back: every run then failed with 401. */
const EXPIRED_TOKEN_DAYS = new Set([8, 9, 10]);

export interface DemoIntegrations {
  connections: IntegrationConnectionEntity[];
  syncRuns: SyncRunEntity[];
}

/** The four connections and 30 days of their sync runs on schedule, with durations, record counts and failures. */
export function demoIntegrations(faker: Faker, clock: DemoClock): DemoIntegrations {
  const connections: IntegrationConnectionEntity[] = [];
  const syncRuns: SyncRunEntity[] = [];
  CONNECTIONS.forEach((plan, index) => {
    const id = demoUuid('connection', index + 1);
    const createdAt = clock.ago(SYNC_DAYS + 5);
    connections.push({
      id,
      tenantId: DEMO_TENANT,
      name: plan.name,
      baseUrl: plan.baseUrl,
      authHeaderRef: `INTEGRATION_DEMO__${plan.name.split('-')[0].toUpperCase()}`,
      authHeaderName: 'Authorization',
      schedule: plan.schedule,
      targetDomain: plan.targetDomain,
      timeoutMs: plan.timeoutMs,
      enabled: true,
      createdAt,
      updatedAt: createdAt,
    });
    for (let hoursAgo = SYNC_DAYS * 24; hoursAgo > 0; hoursAgo -= plan.everyHours) {
      const startedAt = new Date(clock.end.getTime() - hoursAgo * 3_600_000 + faker.number.int({ min: 0, max: 90 }) * 1000);
      syncRuns.push(syncRun(faker, plan, id, startedAt, EXPIRED_TOKEN_DAYS.has(clock.daysBefore(startedAt)), syncRuns.length + 1));
    }
  });
  return { connections, syncRuns };
}

function syncRun(
  faker: Faker,
  plan: ConnectionPlan,
  connectionId: string,
  startedAt: Date,
  tokenExpired: boolean,
  n: number,
): SyncRunEntity {
  const base = {
    id: demoUuid('sync-run', n),
    tenantId: DEMO_TENANT,
    connectionId,
    taskId: null,
    url: `${plan.baseUrl}${plan.path}`,
    startedAt,
  };
  const expired = tokenExpired && plan.targetDomain === 'billing';
  if (expired || faker.datatype.boolean({ probability: plan.failureRate })) {
    const failure = expired
      ? { errorClass: 'http_4xx' as const, httpStatus: 401, error: 'The upstream answered 401 Unauthorized' }
      : faker.helpers.weightedArrayElement(plan.failures.map((f) => ({ value: f, weight: f.weight })));
    // Timeouts, rate limits, 5xx and network errors are retried (three attempts); the others fail at once.
    const retried = failure.errorClass !== 'http_4xx' && failure.errorClass !== 'malformed';
    const attempts = retried ? 3 : 1;
    const durationMs =
      failure.errorClass === 'timeout'
        ? plan.timeoutMs * attempts + 1500
        : Math.round(plan.medianMs * faker.number.float({ min: 0.2, max: 0.8 })) * attempts;
    return {
      ...base,
      finishedAt: new Date(startedAt.getTime() + durationMs),
      durationMs,
      status: 'failed',
      attempts,
      httpStatus: failure.httpStatus,
      records: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      errorClass: failure.errorClass,
      error: failure.error,
    };
  }
  const durationMs = Math.round(plan.medianMs * faker.number.float({ min: 0.6, max: 1.8 }));
  const records = faker.number.int({ min: plan.records[0], max: plan.records[1] });
  const inserted = faker.number.int({ min: 0, max: Math.ceil(records * 0.15) });
  const updated = faker.number.int({ min: 0, max: records - inserted });
  return {
    ...base,
    finishedAt: new Date(startedAt.getTime() + durationMs),
    durationMs,
    status: 'succeeded',
    attempts: 1,
    httpStatus: 200,
    records,
    inserted,
    updated,
    unchanged: records - inserted - updated,
    errorClass: null,
    error: null,
  };
}
