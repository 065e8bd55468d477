import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** The unit of work whose transaction a manager belongs to (bookkeeping done in it is replayed after a rollback). */
const units = new WeakMap<EntityManager, UnitOfWork>();

export interface UnitOfWorkOptions {
  /**
   * Runs before BEGIN: what the task has in flight on the pool must finish first (on the embedded database it
   * would otherwise wait behind the transaction it is needed to end).
   */
  beforeOpen?: () => Promise<void>;
  /** The database serialises an open transaction against every other connection (the embedded one). */
  exclusive?: boolean;
  /**
   * The task reads on a connection of its own from its first read, and its transaction opens on it: for work
   * that reads concurrently (plan steps) on an exclusive database, where a read on the pool still in flight
   * when the transaction opens would wait for the transaction's end, and the task for the read.
   */
  ownConnection?: boolean;
}

/**
 * One task run's business writes and its final state, in one transaction. The transaction opens lazily, on
 * the first write(): a task that writes nothing keeps its single-statement final write on the pool (no
 * BEGIN/COMMIT). Once open, every write of the task runs in it, and the runner writes the task's final state
 * in it before committing — so a failure or a crash leaves both or neither. The embedded database serialises
 * an open transaction against every other connection, so it must never stay open across network I/O: handlers
 * fetch first, then write.
 */
export class UnitOfWork {
  private opening?: Promise<QueryRunner>;
  private runner?: QueryRunner;
  private inTransaction = false;
  private closed = false;
  private rollingBack?: Promise<void>;
  private failure?: { error: unknown };
  /** Writes in progress: the transaction ends only once they settle (none may run after it, on a pooled connection). */
  private readonly pending = new Set<Promise<unknown>>();
  /** Bookkeeping done in the transaction that must survive a rollback, replayed on the pool after it. */
  private readonly replays: ((manager: EntityManager) => Promise<unknown>)[] = [];
  readonly exclusive: boolean;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: UnitOfWorkOptions = {},
  ) {
    this.exclusive = options.exclusive ?? false;
  }

  /** The unit of work whose open transaction `manager` runs in, if any. */
  static of(manager: EntityManager): UnitOfWork | undefined {
    return units.get(manager);
  }

  /** A transaction is open (a write began; not yet committed or rolled back). */
  get open(): boolean {
    return this.inTransaction && !this.closed;
  }

  /** The error of a write that failed (its transaction is rolled back; the task must fail). */
  get failed(): { error: unknown } | undefined {
    return this.failure;
  }

  /**
   * Where the task reads: the transaction once open (it sees its own writes, and on the embedded database a
   * read on another connection would wait for the transaction to end); the task's own connection when it has
   * one; else the pool.
   */
  get manager(): EntityManager {
    if (this.closed) return this.dataSource.manager;
    if (this.open || this.options.ownConnection) return this.connection().manager;
    return this.dataSource.manager;
  }

  /**
   * Runs `work` in the task's transaction (opened on the first call). A write that fails rolls the whole unit
   * back at once; every later write refuses, and the task fails.
   */
  async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.failure) throw this.failure.error;
    if (this.closed) throw new Error("The task's unit of work is finished: a write after the task's final state is refused");
    const done = (async () => work((await (this.opening ??= this.begin())).manager))();
    this.pending.add(done);
    try {
      return await done;
    } catch (error) {
      this.failure ??= { error };
      this.pending.delete(done);
      await this.rollback();
      throw error;
    } finally {
      this.pending.delete(done);
    }
  }

  /**
   * Runs `operation` in the open transaction and replays `replay` on the pool if the transaction is rolled
   * back (usage counters: spent even when the task's writes are undone); on the pool when none is open.
   */
  static async keep<T>(
    manager: EntityManager | undefined,
    operation: (manager: EntityManager | undefined) => Promise<T>,
    replay: (manager: EntityManager, value: T) => Promise<unknown>,
  ): Promise<T> {
    const value = await operation(manager);
    if (manager) units.get(manager)?.replays.push((pool) => replay(pool, value));
    return value;
  }

  /**
   * Writes the task's final state and commits: in the transaction with the task's writes when one is open,
   * else straight on the pool (no BEGIN/COMMIT). If the final statements or the commit fail, the writes are
   * rolled back and the error is thrown (the caller then writes the failed state on its own).
   */
  async commit<T>(final: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.failure) throw this.failure.error;
    if (this.rollingBack) throw new Error("The task's unit of work was rolled back; it cannot commit");
    if (!this.opening) {
      await this.release();
      return final(this.dataSource.manager);
    }
    try {
      const runner = await this.opening;
      await this.settle();
      const value = await final(runner.manager);
      await runner.commitTransaction();
      this.replays.length = 0;
      return value;
    } catch (error) {
      this.failure ??= { error };
      await this.rollback();
      throw error;
    } finally {
      await this.release();
    }
  }

  /** Undoes the task's writes, then replays its bookkeeping on the pool; every caller waits for the one rollback. */
  rollback(): Promise<void> {
    return (this.rollingBack ??= this.undo());
  }

  private async undo(): Promise<void> {
    this.closed = true;
    if (!this.opening) return this.release();
    const runner = await this.opening.catch(() => undefined);
    await this.settle();
    try {
      if (runner?.isTransactionActive) await runner.rollbackTransaction();
    } catch {
      // A connection that failed mid-transaction is rolled back by the server when it closes.
    } finally {
      await this.release();
    }
    for (const replay of this.replays.splice(0)) await replay(this.dataSource.manager).catch(() => undefined);
  }

  /** The task's own connection (connected on its first statement). */
  private connection(): QueryRunner {
    this.runner ??= this.dataSource.createQueryRunner();
    return this.runner;
  }

  private async begin(): Promise<QueryRunner> {
    await this.options.beforeOpen?.();
    // On its own connection, reads still in flight go before BEGIN in the connection's queue.
    const runner = this.options.ownConnection ? this.connection() : this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
    } catch (error) {
      await runner.release().catch(() => undefined);
      throw error;
    }
    this.runner = runner;
    this.inTransaction = true;
    units.set(runner.manager, this);
    return runner;
  }

  private async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async release(): Promise<void> {
    this.closed = true;
    const runner = this.runner;
    if (!runner || runner.isReleased) return;
    units.delete(runner.manager);
    await runner.release();
  }
}
