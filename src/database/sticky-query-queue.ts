import type { PGlite } from '@electric-sql/pglite';

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/**
 * Replacement for pglite-socket's QueryQueueManager. PGlite is one session; the socket server multiplexes
 * many client connections onto it one protocol message at a time. The original queue only keeps a
 * connection's messages together inside a transaction, so two connections' extended-protocol sequences
 * (Parse/Bind/Execute/Sync, which pg sends for every parameterised query) interleave and corrupt each
 * other ("bind message supplies 1 parameters, but prepared statement requires 2"). This queue also keeps
 * a connection's messages together until its Sync (or simple Query) completes.
 */
export class StickyQueryQueue {
  private queue: QueuedMessage[] = [];
  private processing = false;
  /** The connection whose sequence (or transaction) is in progress. */
  private owner: number | null = null;
  private lastHandlerId: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.processQueue();
    });
  }

  private next(): QueuedMessage | undefined {
    const owner = this.db.isInTransaction() && this.lastHandlerId !== null ? this.lastHandlerId : this.owner;
    if (owner === null) return this.queue.shift();
    const index = this.queue.findIndex((item) => item.handlerId === owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async processQueue(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        const current = item;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          this.owner = null;
          current.reject(error);
          continue;
        }
        const type = current.message[0];
        this.lastHandlerId = current.handlerId;
        // Startup messages begin with a length byte 0: never part of a sequence.
        this.owner = type === SYNC || type === QUERY || type === TERMINATE || type === 0 ? null : current.handlerId;
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error('Handler disconnected'));
      return false;
    });
    if (this.owner === handlerId) this.owner = null;
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner === handlerId) this.owner = null;
    if (this.db.isInTransaction() && this.lastHandlerId === handlerId) {
      await this.db.exec('ROLLBACK');
      this.lastHandlerId = null;
    }
    await this.processQueue();
  }
}
