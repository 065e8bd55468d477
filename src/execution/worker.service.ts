import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { isDatabaseUnavailable } from '../common/problem.filter.js';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { TaskEntity } from '../tasks/entities/task.entity.js';
import { TaskStore } from '../tasks/task.store.js';
import { WORKER_ID } from './worker-id.js';
import { QueueService, type TaskJob } from './queue.service.js';
import { TaskRunner } from './task-runner.service.js';
import { logFor } from '../common/request-context.js';

const POLL_MS = 500;
const ERROR_BACKOFF_MS = 1000;
/** How often a paused worker checks whether the database answers again. */
const PROBE_MS = 1000;
/** Clock skew and call time allowed for when handing a job back before it expires. */
const HAND_BACK_SAFETY_MS = 5000;
/** The longest a finished task's final writes wait for the fetch loop to refill the freed slots. */
const REFILL_WAIT_MS = 100;

/** When pg-boss will consider the job's worker dead (started_on + expire_in, database clock). */
function expiresAt(job: TaskJob): number {
  return new Date(job.startedOn).getTime() + Number(job.expireInSeconds) * 1000;
}

/**
 * Pulls queued tasks into this instance's MAX_CONCURRENT_WORKFLOWS slots. Fetches as many jobs as there
 * are free slots, and fetches again the moment a slot frees or a task is enqueued here — so a task never
 * sits out a polling interval while a slot is free.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap {
  private readonly logger = new Logger(WorkerService.name);
  private running = 0;
  private stopping = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  /** Finished tasks whose final writes wait until the freed slots have been refilled. */
  private readonly refillWaiters: (() => void)[] = [];
  /** The fetch loop is filling free slots (from a wake until it waits again). */
  private filling = true;
  private lastError = 0;
  /** Set while the database is unreachable: resolves when it answers again (fetching waits for it). */
  private outage?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queue: QueueService,
    private readonly runner: TaskRunner,
    private readonly store: TaskStore,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  get enabled(): boolean {
    return this.config.crew.workerEnabled;
  }

  get slots(): number {
    return this.config.crew.maxConcurrentWorkflows;
  }

  get busy(): number {
    return this.running;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.logger.log('WORKER_ENABLED=false: this instance accepts and answers but runs no queued work');
      return;
    }
    this.loop = this.fetchLoop();
  }

  /** Fetch now (a task was just enqueued here or a slot freed). */
  wake(): void {
    this.filling = true;
    this.wakeUp?.();
  }

  /**
   * Resolves at once unless the fetch loop is refilling slots, else when it is done (at most REFILL_WAIT_MS):
   * running tasks' trace writes wait on it, so a refill's fetch and claim do not queue behind them.
   */
  readonly quiet = (): Promise<void> => (this.filling ? this.refilled() : Promise.resolve());

  /** Resolves once the fetch loop has filled what it could and waits again (or after REFILL_WAIT_MS). */
  private refilled(): Promise<void> {
    if (this.stopping || !this.loop) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, REFILL_WAIT_MS);
      const waiters = this.refillWaiters;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      waiters.push(done);
    });
  }

  private sleep(ms: number): Promise<void> {
    this.filling = false;
    for (const done of this.refillWaiters.splice(0)) done();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async fetchLoop(): Promise<void> {
    while (!this.stopping) {
      if (this.outage) {
        await this.outage;
        continue;
      }
      // Slots that free in the same turn (tasks whose timers fire together) are filled by one fetch.
      await new Promise((resolve) => setImmediate(resolve));
      const free = this.slots - this.running;
      if (free <= 0) {
        await this.sleep(POLL_MS);
        continue;
      }
      let jobs: TaskJob[];
      try {
        jobs = await this.queue.fetchTasks(free);
      } catch (error) {
        this.reportError(error);
        await this.sleep(ERROR_BACKOFF_MS);
        continue;
      }
      if (jobs.length > 0) await this.claimAndStart(jobs);
      // A full batch means more may be waiting: loop straight back once a slot frees (wake()).
      if (jobs.length < free || this.running >= this.slots) await this.sleep(POLL_MS);
    }
  }

  private reportError(error: unknown): void {
    const now = Date.now();
    if (now - this.lastError < 10_000) return;
    this.lastError = now;
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      isDatabaseUnavailable(error) ? `Database unreachable; workers paused until it returns (${message})` : `Fetch failed: ${message}`,
    );
  }

  /**
   * Claims the fetched jobs' tasks in one statement and starts the claimed ones. A job whose task was
   * cancelled or has already finished (an earlier delivery ran it) is completed without running: never twice.
   */
  private async claimAndStart(jobs: TaskJob[]): Promise<void> {
    let tasks: TaskEntity[];
    try {
      tasks = await this.store.claim(
        jobs.map((job) => job.data.taskId),
        WORKER_ID,
        this.queue.sql,
      );
    } catch (error) {
      // Fetched but not claimed: hand the jobs back (once the database answers) for a prompt re-delivery.
      this.reportError(error);
      if (isDatabaseUnavailable(error) && !(await this.databaseBack(error))) return;
      for (const job of jobs) {
        await this.queue
          .fail(job.id, { reason: 'the claim failed', worker: WORKER_ID })
          .catch((failure: unknown) => this.reportError(failure));
      }
      return;
    }
    const claimed = new Map(tasks.map((task) => [task.id, task]));
    for (const job of jobs) {
      const task = claimed.get(job.data.taskId);
      if (task) this.start(job, task);
      else this.queue.completeSoon(job.id, { skipped: true });
    }
  }

  private start(job: TaskJob, task: TaskEntity): void {
    this.running += 1;
    let released = false;
    // The slot frees when the work ends. The task's final writes then wait for the fetch loop to fill the
    // freed slots, so a queued task starts before the paperwork of the one that ended.
    const release = (): Promise<void> => {
      if (released) return Promise.resolve();
      released = true;
      this.running -= 1;
      this.wake();
      return this.refilled();
    };
    void this.handle(job, task, release)
      .catch((error: unknown) =>
        this.logger.error(`Job ${job.id} failed in the worker: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => void release());
  }

  private async handle(job: TaskJob, task: TaskEntity, release: () => Promise<void>): Promise<void> {
    try {
      await this.execute(job, task, release);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      // The run lost the database (its final state is not written). Without this the job would stay active
      // until it expires (task timeout + TASK_EXPIRY_MARGIN_SECONDS); hand it back as soon as the database
      // answers, so the task is re-delivered (next attempt) within seconds of the database's return.
      // Shutting down before the database returned: the job expires and is re-delivered the usual way.
      if (!(await this.databaseBack(error))) return;
      // Near or past its expiry the job may already be re-delivered to another worker (pg-boss keeps the
      // id), and failing it then would deliver it a third time: leave it to expiry.
      if (Date.now() > expiresAt(job) - HAND_BACK_SAFETY_MS) return;
      await this.queue.fail(job.id, { reason: 'database unavailable during the run', worker: WORKER_ID });
      this.logger.warn(`Task ${job.data.taskId} lost the database mid-run; handed back to the queue for another attempt`);
    }
  }

  /**
   * Pauses fetching until the database answers again (one probe per second, shared by every slot that
   * hit the outage). pg-boss's fetch returns no jobs instead of failing, so this is where an outage shows.
   */
  private async databaseBack(cause: unknown): Promise<boolean> {
    this.outage ??= (async () => {
      this.logger.warn(`Database unreachable; workers paused until it returns (${cause instanceof Error ? cause.message : String(cause)})`);
      while (!this.stopping) {
        try {
          await this.dataSource.query('SELECT 1');
          break;
        } catch {
          await this.pause(PROBE_MS);
        }
      }
      this.outage = undefined;
      if (!this.stopping) this.logger.warn('Database reachable again; workers resumed');
    })();
    await this.outage;
    return !this.stopping;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  private async execute(job: TaskJob, task: TaskEntity, release: () => Promise<void>): Promise<void> {
    if (task.attempts > 1) await this.abandonEarlierAttempts(task);
    const { task: finished, interrupted } = await this.runner.run(task, task.attempts, { onWorkDone: release, writeGate: this.quiet });
    if (interrupted) await this.queue.fail(job.id, { reason: 'instance shutting down', worker: WORKER_ID });
    // The task's final state is written; the job's completion goes out batched.
    else this.queue.completeSoon(job.id, { status: finished.status });
  }

  private async abandonEarlierAttempts(task: TaskEntity): Promise<void> {
    logFor(task.requestId, () => this.logger.warn(`Task ${task.id} redelivered (attempt ${task.attempts}): its earlier worker stopped`));
    await this.store.abandonEarlierAttempts(task.id, task.attempts, 'The worker running this attempt stopped; the task was redelivered.');
  }

  /** Stops fetching and answers once the fetch loop has exited. */
  async stopFetching(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    for (const done of this.refillWaiters.splice(0)) done();
  }
}
