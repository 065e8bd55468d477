import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config.js';
import { AlertService } from '../src/monitoring/alerts/alert.service.js';
import { AlertWebhook } from '../src/monitoring/alerts/alert-webhook.js';
import { AlertEntity } from '../src/monitoring/alerts/alert.entity.js';
import { loadMonitoringSettings } from '../src/monitoring/monitoring-settings.js';
import { RetentionService } from '../src/monitoring/retention.service.js';
import { clearMonitoringTables, insertSteps, insertTasks, type TaskRow } from './support/task-row.factory.js';
import { eventually, LoopbackServer } from './support/loopback-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PROBLEM_JSON = /^application\/problem\+json/;

// The monitoring section: no scheduled evaluation during the tests, two webhook retries.
const ENV = { ALERT_EVALUATION_INTERVAL_SECONDS: '86400', ALERT_WEBHOOK_RETRIES: '2' };

describe('alerts: rules at their thresholds, cool-down, switch, webhook, retention', () => {
  let testApp: TestApp;
  let db: DataSource;
  let alerts: AlertService;
  const receiver = new LoopbackServer();
  const http = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    await receiver.start();
    testApp = await createTestApp({ ...ENV, ALERT_WEBHOOK_URL: `${receiver.url}/hooks/alerts`, OUTBOUND_ALLOW_PRIVATE: 'true' });
    db = testApp.app.get(DataSource);
    alerts = testApp.app.get(AlertService);
  });
  afterAll(async () => {
    await testApp?.dispose();
    await receiver.close();
  });
  beforeEach(async () => {
    await clearMonitoringTables(db);
    await http().post('/api/crew/config/monitoring?active=true').expect(200);
    receiver.respond((_request, response) => response.writeHead(204).end());
  });

  /** Evaluates once over a clean table with these rows; answers the alerts of one metric. */
  async function alertsFor(metric: string, rows: TaskRow[]): Promise<AlertEntity[]> {
    await clearMonitoringTables(db);
    await insertTasks(db, rows);
    return (await alerts.evaluate()).filter((alert) => alert.metricType === metric);
  }

  const times = (n: number, row: TaskRow): TaskRow[] => Array.from({ length: n }, () => ({ ...row }));
  const levelOf = (found: AlertEntity[]) => (found.length === 0 ? null : found.map((a) => `${a.level}@${a.threshold}`).join(','));

  it('execution_time: p95 at 60/120/300 s fires warning/error/critical; a millisecond less stays a level lower', async () => {
    const cases: [number, string | null][] = [
      [59_999, null],
      [60_000, 'warning@60'],
      [119_999, 'warning@60'],
      [120_000, 'error@120'],
      [299_999, 'error@120'],
      [300_000, 'critical@300'],
    ];
    for (const [durationMs, expected] of cases) {
      const found = await alertsFor('execution_time', times(5, { durationMs, strategy: 'crew_workflow' }));
      expect(levelOf(found), `${durationMs} ms`).toBe(expected);
    }
    const [alert] = await alertsFor('execution_time', times(5, { durationMs: 120_500, strategy: 'crew_workflow' }));
    expect(alert).toMatchObject({
      level: 'error',
      metricType: 'execution_time',
      currentValue: 120.5,
      threshold: 120,
      windowMinutes: 60,
      message: 'High execution time detected: p95 120.5 s over the last 60 min (error threshold 120 s)',
      affectedComponents: ['strategy:crew_workflow'],
    });
    expect(alert.suggestedActions.length).toBeGreaterThan(0);
    // Four slow tasks are below ALERT_MIN_SAMPLES (5): no trend yet.
    expect(await alertsFor('execution_time', times(4, { durationMs: 400_000 }))).toEqual([]);
    // Tasks older than the 60-minute window do not count.
    expect(await alertsFor('execution_time', times(5, { durationMs: 400_000, ageS: 61 * 60 }))).toEqual([]);
  });

  it('success_rate: 0.9/0.8/0.7 fire warning/error/critical at the threshold; just above it stays quiet', async () => {
    const mix = (completed: number, failed: number): TaskRow[] => [
      ...times(completed, { status: 'completed' }),
      ...times(failed, { status: 'failed', strategy: 'multi_agent' }),
    ];
    const cases: [number, number, string | null][] = [
      [10, 1, null], // 0.909
      [9, 1, 'warning@0.9'],
      [17, 3, 'warning@0.9'], // 0.85
      [8, 2, 'error@0.8'],
      [7, 3, 'critical@0.7'],
      [1, 3, null], // 4 tasks: below ALERT_MIN_SAMPLES
    ];
    for (const [completed, failed, expected] of cases) {
      expect(levelOf(await alertsFor('success_rate', mix(completed, failed))), `${completed}/${completed + failed}`).toBe(expected);
    }
    const [alert] = await alertsFor('success_rate', mix(8, 2));
    expect(alert).toMatchObject({ currentValue: 0.8, threshold: 0.8, affectedComponents: ['strategy:multi_agent'] });
    expect(alert.message).toBe('Low success rate detected: 80% of 10 tasks over the last 60 min (error threshold 80%)');
    // Timed-out tasks count as unsuccessful; cancelled ones are left out.
    expect(levelOf(await alertsFor('success_rate', [...times(9, {}), { status: 'timed_out' }, ...times(5, { status: 'cancelled' })]))).toBe(
      'warning@0.9',
    );
  });

  it('cost_per_hour: $5/$20/$50 in the hour fire warning/error/critical; a micro-dollar less stays a level lower', async () => {
    const cases: [number, string | null][] = [
      [4.999999, null],
      [5, 'warning@5'],
      [19.999999, 'warning@5'],
      [20, 'error@20'],
      [50, 'critical@50'],
    ];
    for (const [costUsd, expected] of cases) {
      // Split over two task types (in whole micro-dollars, as the column stores them).
      const rows: TaskRow[] = [
        { costUsd: costUsd - 1, type: 'crm_lead_scoring' },
        { costUsd: 1, type: 'analytics_insights' },
      ];
      expect(levelOf(await alertsFor('cost_per_hour', rows)), `$${costUsd}`).toBe(expected);
    }
    const [alert] = await alertsFor('cost_per_hour', [
      { costUsd: 15, type: 'crm_lead_scoring' },
      { costUsd: 6, type: 'analytics_insights' },
    ]);
    expect(alert).toMatchObject({
      level: 'error',
      currentValue: 21,
      affectedComponents: ['task_type:crm_lead_scoring', 'task_type:analytics_insights'],
    });
    // Spending outside the window is not this hour's.
    expect(await alertsFor('cost_per_hour', [{ costUsd: 500, ageS: 2 * 3600 }])).toEqual([]);
  });

  it('queue_wait: p95 wait at 30/120/300 s fires warning/error/critical; a backlog fires on the oldest waiting task', async () => {
    const cases: [number, string | null][] = [
      [29_999, null],
      [30_000, 'warning@30'],
      [120_000, 'error@120'],
      [299_999, 'error@120'],
      [300_000, 'critical@300'],
    ];
    for (const [queueWaitMs, expected] of cases) {
      expect(levelOf(await alertsFor('queue_wait', times(5, { queueWaitMs }))), `${queueWaitMs} ms`).toBe(expected);
    }
    // Direct tasks (never queued) do not dilute or raise the queue wait.
    expect(await alertsFor('queue_wait', times(5, { queueWaitMs: null }))).toEqual([]);
    // Workers stuck: nothing is picked up, so only the oldest pending task's age shows it.
    expect(await alertsFor('queue_wait', [{ status: 'pending', queued: true, ageS: 20 }])).toEqual([]);
    const [backlog] = await alertsFor('queue_wait', [{ status: 'pending', queued: true, ageS: 150 }]);
    expect(backlog).toMatchObject({ level: 'error', threshold: 120, affectedComponents: ['queue', 'workers'] });
    expect(backlog.message).toMatch(/^Queue backlog detected: the oldest queued task has waited 15\d(\.\d+)? s \(error threshold 120 s\)$/);
  });

  it('does not fire the same metric and level again within the cool-down, but does fire a higher level', async () => {
    await insertTasks(db, times(5, { durationMs: 61_000 }));
    expect(levelOf(await alerts.evaluate())).toBe('warning@60');
    expect(await alerts.evaluate()).toEqual([]);
    await insertTasks(db, times(20, { durationMs: 130_000 }));
    expect(levelOf(await alerts.evaluate())).toBe('error@120');
    expect(await alerts.evaluate()).toEqual([]);

    const listed = await http().get('/api/crew/alerts').expect(200);
    expect(listed.body.count).toBe(2);
    expect(listed.body.alerts.map((a: { level: string }) => a.level)).toEqual(['error', 'warning']);
    expect(Object.keys(listed.body.alerts[0]).sort()).toEqual(
      [
        'affected_components',
        'current_value',
        'id',
        'level',
        'message',
        'metric_type',
        'suggested_actions',
        'threshold',
        'timestamp',
        'webhook_status',
        'window_minutes',
      ].sort(),
    );
    const warnings = await http().get('/api/crew/alerts?level=warning&metric_type=execution_time').expect(200);
    expect(warnings.body.alerts.map((a: { level: string }) => a.level)).toEqual(['warning']);
    const bad = await http().get('/api/crew/alerts?level=fatal').expect(422);
    expect(bad.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(bad.body.errors).toEqual([{ field: 'level', message: 'level must be one of: warning, error, critical' }]);
  });

  it('evaluates when a task finishes in this instance, and not while monitoring is switched off', async () => {
    await insertTasks(db, times(5, { durationMs: 310_000 }));
    await http().post('/api/crew/execute').send({ type: 'get_task_list', description: 'trigger', tenant_id: 'acme' }).expect(200);
    const stored = await eventually(async () => {
      const rows = await db.query<{ level: string; metric_type: string }[]>(`SELECT level, metric_type FROM alerts`);
      return rows.length > 0 ? rows : null;
    });
    expect(stored).toEqual([{ level: 'critical', metric_type: 'execution_time' }]);

    const off = await http().post('/api/crew/config/monitoring?active=false').expect(200);
    expect(off.body).toMatchObject({
      active: false,
      source: 'runtime',
      window_minutes: 60,
      min_samples: 5,
      cooldown_minutes: 30,
      evaluation_interval_seconds: 86400,
      webhook_configured: true,
      thresholds: {
        execution_time_seconds: { warning: 60, error: 120, critical: 300 },
        success_rate: { warning: 0.9, error: 0.8, critical: 0.7 },
        cost_per_hour_usd: { warning: 5, error: 20, critical: 50 },
        queue_wait_seconds: { warning: 30, error: 120, critical: 300 },
      },
    });
    expect(new Date(off.body.changed_at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const status = await http().get('/api/crew/status').expect(200);
    expect(status.body.monitoring).toEqual({ active: false, source: 'runtime', changed_at: off.body.changed_at });
    await db.query('DELETE FROM alerts');
    expect(await alerts.evaluateIfActive()).toEqual([]);

    await http().post('/api/crew/config/monitoring?active=1').expect(200);
    expect(levelOf(await alerts.evaluateIfActive())).toBe('critical@300');
  });

  it('refuses a missing or malformed switch with 422', async () => {
    const missing = await http().post('/api/crew/config/monitoring').expect(422);
    expect(missing.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(missing.body.errors).toEqual([{ field: 'active', message: 'active must be true or false' }]);
    const wrong = await http().post('/api/crew/config/monitoring?active=maybe').expect(422);
    expect(wrong.body.errors).toEqual([{ field: 'active', message: 'active must be true or false' }]);
  });

  it('POSTs each new alert to ALERT_WEBHOOK_URL, retrying a 503, and records the delivery', async () => {
    receiver.requests.length = 0;
    let calls = 0;
    receiver.respond((_request, response) => {
      calls += 1;
      response.writeHead(calls === 1 ? 503 : 200, { 'content-type': 'application/json' }).end('{}');
    });
    await insertTasks(db, times(5, { durationMs: 65_000 }));
    const [alert] = await alerts.evaluate();
    const delivered = await eventually(async () => {
      const rows = await db.query<{ webhook_status: string; webhook_attempts: number }[]>(
        `SELECT webhook_status, webhook_attempts FROM alerts WHERE id = $1`,
        [alert.id],
      );
      return rows[0].webhook_status === 'delivered' ? rows[0] : null;
    });
    expect(delivered.webhook_attempts).toBe(2);
    const sent = receiver.requests.filter((r) => r.headers['x-crew-alert-id'] === alert.id);
    expect(sent).toHaveLength(2);
    const last = sent[1];
    expect(last.method).toBe('POST');
    expect(last.url).toBe('/hooks/alerts');
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers['x-crew-alert-id']).toBe(alert.id);
    expect(JSON.parse(last.body)).toEqual({
      id: alert.id,
      level: 'warning',
      message: 'High execution time detected: p95 65 s over the last 60 min (warning threshold 60 s)',
      metric_type: 'execution_time',
      current_value: 65,
      threshold: 60,
      affected_components: ['strategy:single_agent'],
      suggested_actions: alert.suggestedActions,
      timestamp: alert.createdAt.toISOString(),
      window_minutes: 60,
      service: 'ai-crew-system',
    });
    expect(sent[0].body).toBe(last.body);
    const listed = await http().get('/api/crew/alerts').expect(200);
    expect(listed.body.alerts[0]).toMatchObject({ id: alert.id, webhook_status: 'delivered' });
  });

  it('gives up after ALERT_WEBHOOK_RETRIES retries of a failing receiver, and does not retry a 4xx', async () => {
    receiver.requests.length = 0;
    receiver.respond((_request, response) => response.writeHead(500).end());
    await insertTasks(db, times(5, { durationMs: 65_000 }));
    const [failing] = await alerts.evaluate();
    const failed = await eventually(async () => {
      const rows = await db.query<{ webhook_status: string; webhook_attempts: number }[]>(
        `SELECT webhook_status, webhook_attempts FROM alerts WHERE id = $1`,
        [failing.id],
      );
      return rows[0].webhook_status === 'failed' ? rows[0] : null;
    });
    expect(failed.webhook_attempts).toBe(3);
    expect(receiver.requests.filter((r) => r.headers['x-crew-alert-id'] === failing.id)).toHaveLength(3);

    receiver.requests.length = 0;
    receiver.respond((_request, response) => response.writeHead(400).end());
    await insertTasks(db, times(5, { durationMs: 130_000 }));
    const [refused] = await alerts.evaluate();
    const rejected = await eventually(async () => {
      const rows = await db.query<{ webhook_status: string; webhook_attempts: number }[]>(
        `SELECT webhook_status, webhook_attempts FROM alerts WHERE id = $1`,
        [refused.id],
      );
      return rows[0].webhook_status === 'failed' ? rows[0] : null;
    });
    expect(rejected.webhook_attempts).toBe(1);
    expect(receiver.requests.filter((r) => r.headers['x-crew-alert-id'] === refused.id)).toHaveLength(1);
  });

  it('refuses a loopback webhook unless OUTBOUND_ALLOW_PRIVATE=true', async () => {
    receiver.requests.length = 0;
    const config = loadConfig({ ENVIRONMENT: 'test', ALERT_WEBHOOK_URL: receiver.url });
    expect(config.security.outboundAllowPrivate).toBe(false);
    const webhook = new AlertWebhook(config, loadMonitoringSettings({}));
    await insertTasks(db, times(5, { durationMs: 65_000 }));
    await alerts.evaluate();
    const [row] = await db.getRepository(AlertEntity).find();
    const result = await webhook.deliver(row, new AbortController().signal);
    expect(result).toEqual({ delivered: false, attempts: 1 });
    // The receiver only saw the app's own delivery (which allows private addresses), never this one.
    await eventually(() => receiver.requests.some((r) => r.headers['x-crew-alert-id'] === row.id));
    expect(receiver.requests.filter((r) => r.headers['x-crew-alert-id'] === row.id)).toHaveLength(1);
  });

  it('retention purges steps and alerts older than METRICS_RETENTION_DAYS and keeps task rows', async () => {
    const [oldTask, newTask] = await insertTasks(db, [{ ageS: 30 * 24 * 3600 }, {}]);
    await insertSteps(db, [
      { taskId: oldTask, ageS: 8 * 24 * 3600 },
      { taskId: oldTask, ageS: 8 * 24 * 3600 },
      { taskId: newTask, ageS: 6 * 24 * 3600 },
      { taskId: newTask },
    ]);
    await db.query(
      `INSERT INTO alerts (level, metric_type, message, current_value, threshold, window_minutes, created_at)
       VALUES ('warning', 'execution_time', 'old', 61, 60, 60, now() - interval '8 days'),
              ('warning', 'execution_time', 'recent', 61, 60, 60, now() - interval '6 days')`,
    );
    const result = await testApp.app.get(RetentionService).purge();
    expect(result).toEqual({ steps: 2, alerts: 1 });
    expect(await db.query(`SELECT count(*)::int AS n FROM task_steps`)).toEqual([{ n: 2 }]);
    expect(await db.query(`SELECT message FROM alerts`)).toEqual([{ message: 'recent' }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM tasks`)).toEqual([{ n: 2 }]);
    expect(await testApp.app.get(RetentionService).purge()).toEqual({ steps: 0, alerts: 0 });
  });
});
