import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { TaskStore } from '../tasks/task.store.js';
import { ActiveTasks } from './active-tasks.js';

const WATCH_MS = 250;

/**
 * Cancellation across instances: DELETE on any instance sets `cancel_requested_at`; the instance
 * running the task sees it here within a quarter second and fires the task's AbortController.
 */
@Injectable()
export class CancelWatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CancelWatcher.name);
  private timer?: NodeJS.Timeout;
  private checking = false;

  constructor(
    private readonly active: ActiveTasks,
    private readonly store: TaskStore,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.check(), WATCH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    const ids = this.active.ids();
    if (ids.length === 0 || this.checking) return;
    this.checking = true;
    try {
      for (const id of await this.store.cancelRequested(ids))
        if (this.active.abort(id, 'cancelled')) this.logger.log(`Task ${id} cancelled`);
    } catch {
      // The database is unreachable; the next tick tries again.
    } finally {
      this.checking = false;
    }
  }
}
