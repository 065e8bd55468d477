import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ServiceProcess } from '../../support/service-process.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { ReliabilityLlm, type LlmBehaviour } from './reliability-llm.js';

export const FINAL_STATUSES = ['completed', 'failed', 'cancelled', 'timed_out'];
export const TENANT = 'reliability';

/** Every process of every cluster, so a crashing test file still leaves none behind. */
const spawned = new Set<ServiceProcess>();
process.once('exit', () => {
  for (const service of spawned) service.kill('SIGKILL');
});

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: any;
  /** Wall-clock time of the request (reported, never asserted as a performance figure). */
  ms: number;
}

/** One service process of the cluster. */
export class Instance {
  constructor(
    readonly name: string,
    readonly service: ServiceProcess,
  ) {}

  get url(): string {
    return this.service.url;
  }

  get pid(): number {
    return this.service.pid;
  }

  get log(): string {
    return this.service.output.join('');
  }

  /** A request with a hard client-side deadline: a hang shows up as a failed test, not a stuck run. */
  async request(method: string, path: string, body?: unknown, timeoutMs = 15_000): Promise<HttpAnswer> {
    const started = Date.now();
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-tenant-id': TENANT },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: parsed, ms: Date.now() - started };
  }
}

export interface TaskRow {
  id: string;
  status: string;
  attempts: number;
  worker_id: string | null;
  description: string;
  result: any;
  error: string | null;
  cancel_requested_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface StepRow {
  task_id: string;
  attempt: number;
  status: string;
  kind: string;
  name: string;
}

/**
 * A fresh PostgreSQL database (TEST_DATABASE_URL), the scripted model and any number of service processes
 * on them, plus a direct connection for the assertions. `dispose()` stops everything, also after a failure.
 */
export class Cluster {
  readonly instances: Instance[] = [];
  private disposed = false;

  private constructor(
    readonly database: TestDatabase,
    readonly db: pg.Pool,
    readonly llm: ReliabilityLlm,
  ) {}

  static async create(llm: Partial<LlmBehaviour> = {}): Promise<Cluster> {
    const database = await createTestDatabase();
    if (!database.url) throw new Error('The reliability suite runs on PostgreSQL: set TEST_DATABASE_URL');
    const db = new pg.Pool({ connectionString: database.url, max: 4 });
    // An idle client cut by a PostgreSQL restart must not crash the test process.
    db.on('error', () => undefined);
    return new Cluster(database, db, await ReliabilityLlm.start(llm));
  }

  /** The environment every instance shares; `databaseUrl` lets a test route an instance through a proxy. */
  env(databaseUrl = this.database.url as string): Record<string, string> {
    return {
      DATABASE_URL: databaseUrl,
      OPENAI_BASE_URL: this.llm.url,
      MAX_RPM: '100000',
      // Each task must reach the model exactly once: no cache hits, no recalled memories in the prompt.
      ENABLE_CREW_CACHING: 'false',
      ENABLE_AGENT_MEMORY: 'false',
      LLM_MAX_RETRIES: '0',
      // Warnings and errors only: what the tests read (pauses, hand-backs, redeliveries) is logged as a warning.
      LOG_LEVEL: 'warning',
    };
  }

  /**
   * Starts one instance and waits until it is ready. Tests start their instances one after another: two
   * first boots on a fresh database at the same moment can deadlock in pg-boss's createQueue (reported).
   */
  async start(name: string, env: Record<string, string> = {}, databaseUrl?: string): Promise<Instance> {
    const service = await ServiceProcess.start({ ...this.env(databaseUrl), ...env });
    spawned.add(service);
    if (this.disposed) {
      // Became ready after a failed beforeAll already cleaned up: it must not outlive the test.
      await service.stop();
      throw new Error(`instance ${name} started after the cluster was disposed`);
    }
    const instance = new Instance(name, service);
    this.instances.push(instance);
    return instance;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all(
      this.instances.map(async (instance) => {
        await instance.service.stop();
        spawned.delete(instance.service);
      }),
    );
    await this.llm.close().catch(() => undefined);
    await this.db.end().catch(() => undefined);
    await this.database.cleanup();
  }

  /** `tasks.worker_id` of an instance: `<host>:<pid>:<nonce>`. */
  workerMatches(instance: Instance, workerId: string | null): boolean {
    return workerId?.split(':')[1] === String(instance.pid);
  }

  /** Submits a crm_lead_scoring task (single_agent: code computes the score, the model writes the narrative). */
  submitLead(instance: Instance, key: string, options: { timeout?: number; priority?: number } = {}): Promise<HttpAnswer> {
    return instance.request('POST', '/api/crew/execute', this.leadBody(key, options));
  }

  leadBody(key: string, options: { timeout?: number; priority?: number } = {}): Record<string, unknown> {
    return {
      type: 'crm_lead_scoring',
      description: `Score this lead ${ReliabilityLlm.marker(key)}`,
      parameters: {
        lead_data: { email: `${key}@example.com`, company: 'Reliability Inc', role: 'CTO', engagement_score: 70, website_visits: 5 },
      },
      async_execution: true,
      timeout: options.timeout ?? 60,
      priority: options.priority ?? 5,
    };
  }

  /**
   * Submits one task per key, alternating between the instances, `parallel` requests at a time.
   * Answers key → task id; every submission must be accepted (202).
   */
  async submitLeads(
    instances: Instance[],
    keys: string[],
    options: { timeout?: number; parallel?: number } = {},
  ): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < keys.length) {
        const index = next++;
        const answer = await this.submitLead(instances[index % instances.length], keys[index], options);
        if (answer.status !== 202) throw new Error(`submit ${keys[index]} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        ids.set(keys[index], answer.body.task_id as string);
      }
    };
    await Promise.all(Array.from({ length: options.parallel ?? 8 }, lane));
    return ids;
  }

  async tasks(ids: string[]): Promise<TaskRow[]> {
    const { rows } = await this.db.query<TaskRow>(
      `SELECT id, status, attempts, worker_id, description, result, error, cancel_requested_at, started_at, finished_at
         FROM tasks WHERE id = ANY($1::uuid[]) ORDER BY created_at`,
      [ids],
    );
    return rows;
  }

  /** Every task of the test tenant, oldest first. */
  async taskIds(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(`SELECT id FROM tasks WHERE tenant_id = $1 ORDER BY created_at`, [TENANT]);
    return rows.map((row) => row.id);
  }

  async task(id: string): Promise<TaskRow> {
    const [row] = await this.tasks([id]);
    if (!row) throw new Error(`task ${id} not found`);
    return row;
  }

  async steps(ids: string[]): Promise<StepRow[]> {
    const { rows } = await this.db.query<StepRow>(
      `SELECT task_id, attempt, status, kind, name FROM task_steps WHERE task_id = ANY($1::uuid[]) ORDER BY started_at, id`,
      [ids],
    );
    return rows;
  }

  /** Waits (bounded) until every task is in a final state; answers the rows. */
  async waitFinal(ids: string[], ms: number): Promise<TaskRow[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const tasks = await this.tasks(ids);
      const open = tasks.filter((task) => !FINAL_STATUSES.includes(task.status));
      if (open.length === 0 && tasks.length === ids.length) return tasks;
      if (Date.now() > deadline) {
        const jobs = await this.db.query<{ id: string; state: string; retry_count: number }>(
          `SELECT id, state, retry_count FROM pgboss.job WHERE id = ANY($1::uuid[])`,
          [open.map((task) => task.id)],
        );
        const state = new Map(jobs.rows.map((job) => [job.id, `${job.state}/retries ${job.retry_count}`]));
        const described = open.map(
          (t) => `${t.id} ${t.status} attempts ${t.attempts} on ${t.worker_id} (job ${state.get(t.id) ?? 'none'})`,
        );
        throw new Error(`${open.length + ids.length - tasks.length} task(s) not final within ${ms} ms:\n${described.join('\n')}`);
      }
      await sleep(250);
    }
  }

  /** Tasks running on an instance right now, per the database. */
  async runningOn(instance: Instance, ids: string[]): Promise<TaskRow[]> {
    return (await this.tasks(ids)).filter((task) => task.status === 'running' && this.workerMatches(instance, task.worker_id));
  }
}

export function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
