import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Instance } from './cluster.js';

export interface Submission {
  key: string;
  instance: string;
  /** Test-clock time the request was sent. */
  at: number;
  status?: number;
  contentType?: string;
  body?: any;
  ms: number;
  /** Set when no HTTP answer came back (connection error, or the client deadline passed: a hang). */
  error?: string;
}

/**
 * Keeps submitting AI tasks to the instances in turn (`lanes` requests in flight, a pause after each) until
 * stopped, recording every answer — including the ones refused during an outage.
 */
export class SubmitLoad {
  readonly submissions: Submission[] = [];
  private stopped = false;
  private lanes: Promise<void>[] = [];
  private counter = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly instances: Instance[],
    private readonly prefix: string,
    private readonly options: { lanes: number; pauseMs: number; timeout: number; deadlineMs: number },
  ) {}

  start(): this {
    this.lanes = Array.from({ length: this.options.lanes }, () => this.lane());
    return this;
  }

  async stop(): Promise<Submission[]> {
    this.stopped = true;
    await Promise.all(this.lanes);
    return this.submissions;
  }

  /** key → task id of every submission answered 202. */
  get accepted(): Map<string, string> {
    return new Map(this.submissions.filter((s) => s.status === 202).map((s) => [s.key, s.body.task_id as string]));
  }

  since(at: number): Submission[] {
    return this.submissions.filter((s) => s.at >= at);
  }

  private async lane(): Promise<void> {
    while (!this.stopped) {
      const index = this.counter++;
      const instance = this.instances[index % this.instances.length];
      const key = `${this.prefix}-${index}`;
      const at = Date.now();
      try {
        const answer = await instance.request(
          'POST',
          '/api/crew/execute',
          this.cluster.leadBody(key, { timeout: this.options.timeout }),
          this.options.deadlineMs,
        );
        this.submissions.push({ key, instance: instance.name, at, ...answer });
      } catch (error) {
        this.submissions.push({ key, instance: instance.name, at, ms: Date.now() - at, error: String(error) });
      }
      await sleep(this.options.pauseMs);
    }
  }
}
