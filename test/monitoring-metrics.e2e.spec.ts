import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { load } from 'js-yaml';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrewMetrics } from '../src/monitoring/metrics/crew-metrics.service.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Sample {
  value?: string;
  labels?: Record<string, string>;
}
interface Family {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: Sample[];
}

// The parser ships CommonJS without type declarations.
const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => Family[];

interface Series {
  name: string;
  labels: Record<string, string>;
  value: string;
}

/**
 * Every sample line through the same parser, one at a time: the parser folds a labelled histogram's series
 * into one object and drops their labels, so lines are read individually to see every label set.
 */
function seriesOf(text: string): Series[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [parsed] = parsePrometheus(`${line}\n`);
      return { name: parsed.name, labels: parsed.metrics[0].labels ?? {}, value: parsed.metrics[0].value as string };
    });
}

const TOKEN = 'scrape-token-0a1b2c3d4e5f';
const TENANT_KEY = 'tenant-key-0123456789abcdef';
const SERVICE_KEY = 'service-key-0123456789abcdef';
const NUMBER = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?|[+-]Inf|NaN)$/i;
const FORBIDDEN_LABELS = ['tenant', 'tenant_id', 'task', 'task_id', 'workflow_id', 'user', 'user_id', 'session_id', 'id'];

function root(path: string): string {
  return new URL(`../${path}`, import.meta.url).pathname;
}

/** Metric families a PromQL expression reads (histogram series map to their family). */
function metricNames(expr: string): string[] {
  const withoutGrouping = expr.replace(/\b(?:by|without|on|ignoring)\s*\([^)]*\)/g, '');
  const names = withoutGrouping.match(/\b(?:crew|gen_ai|http_server)_[a-z_]+\b/g) ?? [];
  return [...new Set(names.map((name) => name.replace(/_(bucket|sum|count)$/, '')))];
}

describe('Prometheus /metrics', () => {
  let secured: TestApp;
  let open: TestApp;
  let families: Family[];
  let series: Series[];
  let taskId: string;
  let workflowId: string;

  beforeAll(async () => {
    secured = await createTestApp({ METRICS_TOKEN: TOKEN });
    open = await createTestApp({ CREW_API_KEYS: `${TENANT_KEY}:acme,${SERVICE_KEY}:*` });
    const http = request(secured.app.getHttpServer());
    const executed = await http
      .post('/api/crew/execute')
      .send({
        type: 'get_task_list',
        description: 'metrics probe',
        tenant_id: 'tenant-Zq81',
        user_id: 'user-Kp55',
        session_id: 'session-Wx3',
      })
      .expect(200);
    taskId = executed.body.task_id;
    workflowId = executed.body.workflow_id;
    await http.get(`/api/crew/task/${taskId}`).set('X-Tenant-ID', 'tenant-Zq81').expect(200);
    await http.get(`/api/crew/task/${workflowId}?tenant_id=tenant-Zq81`).expect(200);
    await http.get('/api/crew/tasks?tenant_id=tenant-Zq81').expect(200);
    await http.get(`/api/crew/no-such-route/${taskId}`).expect(404);
    await http.get(`/elsewhere/${taskId}`).expect(404);
    await http.post('/api/crew/execute').send({ type: 'get_task_list', tenant_id: 'tenant-Zq81' }).expect(422);
    secured.app
      .get(CrewMetrics)
      .recordLlmCall({ model: 'gpt-4o-mini', inputTokens: 1200, outputTokens: 300, durationS: 0.8, costUsd: 0.00036 });
    const scrape = await http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(scrape.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    families = parsePrometheus(scrape.text);
    series = seriesOf(scrape.text);
  });
  afterAll(async () => {
    await secured?.dispose();
    await open?.dispose();
  });

  it('parses as Prometheus text format, every family with HELP and TYPE and every value a number', () => {
    expect(families.length).toBeGreaterThan(20);
    for (const f of families) {
      expect(f.help, f.name).not.toBe('');
      expect(f.type, f.name).not.toBe('UNTYPED');
    }
    expect(series.length).toBeGreaterThan(families.length);
    for (const sample of series) expect(sample.value, sample.name).toMatch(NUMBER);
    // The parser is not a rubber stamp.
    expect(() => parsePrometheus('crew_tasks_total{strategy="direct_db" 1\n')).toThrow(/invalid line/);
  });

  const values = (name: string) => series.filter((s) => s.name === name).map((s) => ({ labels: s.labels, value: s.value }));

  it('carries the service metrics with their types, and default process metrics', () => {
    const types = Object.fromEntries(families.map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      http_server_request_duration_seconds: 'HISTOGRAM',
      crew_tasks_total: 'COUNTER',
      crew_task_duration_seconds: 'HISTOGRAM',
      crew_queue_depth: 'GAUGE',
      crew_active_workflows: 'GAUGE',
      gen_ai_client_token_usage: 'HISTOGRAM',
      gen_ai_client_operation_duration_seconds: 'HISTOGRAM',
      crew_llm_cost_usd_total: 'COUNTER',
      process_cpu_user_seconds_total: 'COUNTER',
      process_resident_memory_bytes: 'GAUGE',
      nodejs_heap_size_used_bytes: 'GAUGE',
      nodejs_eventloop_lag_seconds: 'GAUGE',
    });
    expect(values('crew_tasks_total')).toEqual([{ labels: { strategy: 'direct_db', domain: 'none', status: 'completed' }, value: '1' }]);
    expect(values('crew_task_duration_seconds_count')).toEqual([{ labels: { strategy: 'direct_db' }, value: '1' }]);
    expect(values('crew_task_duration_seconds_bucket').find((s) => s.labels.le === '+Inf')).toEqual({
      labels: { le: '+Inf', strategy: 'direct_db' },
      value: '1',
    });
    expect(values('crew_queue_depth')).toEqual([{ labels: {}, value: '0' }]);
    expect(values('crew_active_workflows')).toEqual([{ labels: {}, value: '0' }]);

    expect(values('gen_ai_client_token_usage_sum')).toEqual([
      { labels: { gen_ai_token_type: 'input', gen_ai_request_model: 'gpt-4o-mini' }, value: '1200' },
      { labels: { gen_ai_token_type: 'output', gen_ai_request_model: 'gpt-4o-mini' }, value: '300' },
    ]);
    expect(values('gen_ai_client_token_usage_count').map((s) => s.value)).toEqual(['1', '1']);
    expect(values('gen_ai_client_operation_duration_seconds_sum')).toEqual([
      { labels: { gen_ai_request_model: 'gpt-4o-mini', gen_ai_operation_name: 'chat' }, value: '0.8' },
    ]);
    expect(values('crew_llm_cost_usd_total')).toEqual([{ labels: { gen_ai_request_model: 'gpt-4o-mini' }, value: '0.00036' }]);
  });

  it('labels HTTP durations with the route pattern, never the raw URL', () => {
    const counts = values('http_server_request_duration_seconds_count');
    expect(counts.map(({ labels, value }) => `${labels.method} ${labels.route} ${labels.status_code} ×${value}`).sort()).toEqual(
      [
        'GET /api/crew/task/:id 200 ×2',
        'GET /api/crew/tasks 200 ×1',
        // The unknown path under /api/crew; paths outside the API (/elsewhere, /metrics itself) are not measured.
        'GET unmatched 404 ×1',
        'POST /api/crew/execute 200 ×1',
        'POST /api/crew/execute 422 ×1',
      ].sort(),
    );
  });

  it('has no task, workflow, tenant, user or session id anywhere in its labels', () => {
    const ids = [taskId, workflowId, 'tenant-Zq81', 'user-Kp55', 'session-Wx3'];
    const labelled = series.filter((s) => Object.keys(s.labels).length > 0);
    expect(labelled.length).toBeGreaterThan(50);
    for (const sample of labelled) {
      for (const [name, value] of Object.entries(sample.labels)) {
        expect(FORBIDDEN_LABELS, `${sample.name} label ${name}`).not.toContain(name);
        for (const id of ids) expect(value, `${sample.name}{${name}}`).not.toContain(id);
        expect(value, `${sample.name}{${name}}`).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      }
    }
  });

  it('with METRICS_TOKEN set, answers 401 problem+json without the right bearer token', async () => {
    const http = request(secured.app.getHttpServer());
    const missing = await http.get('/metrics').expect(401);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(missing.body).toMatchObject({
      status: 401,
      title: 'Unauthorized',
      type: 'urn:ai-crew:problem:unauthorized',
      detail: 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".',
      instance: '/metrics',
    });
    expect(missing.text).not.toContain(TOKEN);
    await http.get('/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(401);
    await http.get('/metrics').set('Authorization', TOKEN).expect(401);
    await http.get('/metrics').set('X-API-Key', TOKEN).expect(401);
    await http.get('/metrics').set('Authorization', `bearer ${TOKEN}`).expect(200);
  });

  it('without METRICS_TOKEN, is public even when API keys are configured', async () => {
    const response = await request(open.app.getHttpServer()).get('/metrics').expect(200);
    expect(parsePrometheus(response.text).some((f) => f.name === 'crew_queue_depth')).toBe(true);
    // Outside the /api/crew prefix only.
    await request(open.app.getHttpServer()).get('/api/crew/metrics').expect(404);
  });

  it('the monitoring API reports on every tenant, so it takes a service key: none is 401, a tenant key 403', async () => {
    const http = () => request(open.app.getHttpServer());
    const routes = [
      () => http().get('/api/crew/status'),
      () => http().get('/api/crew/statistics'),
      () => http().get('/api/crew/alerts'),
      () => http().get('/api/crew/performance/summary'),
      () => http().get('/api/crew/performance/metrics'),
      () => http().post('/api/crew/performance/export'),
      () => http().post('/api/crew/optimize'),
      () => http().post('/api/crew/config/monitoring?active=true'),
    ];
    for (const route of routes) {
      const anonymous = await route().expect(401);
      expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
      const tenant = await route().set('Authorization', `Bearer ${TENANT_KEY}`).expect(403);
      expect(tenant.body.detail).toBe('This route needs a service key (key:* in CREW_API_KEYS); a tenant key cannot call it.');
      await route().set('X-API-Key', SERVICE_KEY).expect(200);
    }
  });

  describe('monitoring/ configuration', () => {
    it('alerts.yml is valid YAML with the expected rules, each reading metrics this service exports', () => {
      const document = load(readFileSync(root('monitoring/alerts.yml'), 'utf8')) as {
        groups: {
          name: string;
          rules: { alert: string; expr: string; for: string; labels: { severity: string }; annotations: Record<string, string> }[];
        }[];
      };
      const rules = document.groups.flatMap((group) => group.rules);
      expect([...new Set(rules.map((rule) => rule.alert))]).toEqual(
        expect.arrayContaining(['CrewHighLatency', 'CrewLowSuccessRate', 'CrewCostSpike', 'CrewQueueBacklog', 'CrewInstanceDown']),
      );
      const exported = new Set(families.map((f) => f.name));
      for (const rule of rules) {
        expect(['warning', 'critical'], rule.alert).toContain(rule.labels.severity);
        expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
        expect(rule.annotations.summary, rule.alert).toBeTruthy();
        for (const name of metricNames(rule.expr)) expect(exported.has(name), `${rule.alert} reads ${name}`).toBe(true);
      }
      expect(rules.find((rule) => rule.alert === 'CrewInstanceDown')?.expr).toBe('up{job="crew"} == 0');
    });

    it('prometheus.yml scrapes crew:8002/metrics and loads the alert rules', () => {
      const config = load(readFileSync(root('monitoring/prometheus.yml'), 'utf8')) as {
        rule_files: string[];
        scrape_configs: { job_name: string; metrics_path: string; dns_sd_configs?: { names: string[]; port: number }[] }[];
      };
      expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
      const crew = config.scrape_configs.find((job) => job.job_name === 'crew');
      expect(crew).toMatchObject({ metrics_path: '/metrics', dns_sd_configs: [{ names: ['crew'], port: 8002 }] });
      const compose = load(readFileSync(root('docker-compose.monitoring.yml'), 'utf8')) as {
        services: Record<string, { ports?: string[]; volumes?: string[] }>;
      };
      expect(compose.services.grafana.ports).toEqual(['3001:3000']);
      expect(compose.services.prometheus.volumes).toEqual(
        expect.arrayContaining([
          './monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
          './monitoring/alerts.yml:/etc/prometheus/alerts.yml:ro',
        ]),
      );
    });

    it('the provisioned Grafana dashboard has the panels, each querying exported metrics', () => {
      const dashboard = JSON.parse(readFileSync(root('monitoring/grafana/dashboards/ai-crew-system.json'), 'utf8')) as {
        uid: string;
        panels: { title: string; targets: { expr: string; datasource: { uid: string } }[] }[];
      };
      expect(dashboard.uid).toBe('ai-crew-system');
      expect(dashboard.panels.map((panel) => panel.title)).toEqual(
        expect.arrayContaining([
          'Task rate',
          'Task latency percentiles',
          'Success rate by strategy',
          'Tokens and cost',
          'Queue depth',
          'Active workflows',
        ]),
      );
      const exported = new Set(families.map((f) => f.name));
      for (const panel of dashboard.panels) {
        expect(panel.targets.length, panel.title).toBeGreaterThan(0);
        for (const target of panel.targets) {
          expect(target.datasource.uid).toBe('prometheus');
          const names = metricNames(target.expr);
          expect(names.length, panel.title).toBeGreaterThan(0);
          for (const name of names) expect(exported.has(name), `${panel.title} reads ${name}`).toBe(true);
        }
      }
      const datasource = load(readFileSync(root('monitoring/grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as {
        datasources: { uid: string; type: string; url: string }[];
      };
      expect(datasource.datasources).toEqual([
        expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' }),
      ]);
    });
  });
});
