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
const PARSE = 0x50; // 'P'
const CLOSE = 0x43; // 'C'
const STATEMENT = 0x53; // 'S' (Close of a statement, not a portal)
const PARSE_COMPLETE = 0x31; // '1'
/** The server's answer to a Parse: ParseComplete, length 4. */
const PARSE_COMPLETE_MESSAGE = Uint8Array.of(PARSE_COMPLETE, 0, 0, 0, 4);
const DROPS_STATEMENTS = /\b(deallocate|discard)\b/i;

/** The statement name a Parse message (Byte1 'P', Int32 length, name\0, query\0, types) prepares; '' is unnamed. */
function statementName(message: Uint8Array): string {
  const end = message.indexOf(0, 5);
  return end === -1 ? '' : Buffer.from(message.buffer, message.byteOffset + 5, end - 5).toString('utf8');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/**
 * The named prepared statements of PGlite's one session, which every connection shares. Without this a
 * second connection preparing a name the first already prepared fails ("prepared statement already exists");
 * with it, a Parse identical to the one that prepared the name (same name, text and parameter types) is
 * answered ParseComplete without reaching the database — the connections share the statement as they share
 * the session.
 */
export class SharedStatements {
  private readonly parses = new Map<string, Uint8Array>();

  /** The session already holds exactly what this message would prepare. */
  holds(message: Uint8Array): boolean {
    if (message[0] !== PARSE) return false;
    const held = this.parses.get(statementName(message));
    return held !== undefined && sameBytes(held, message);
  }

  /** After the database ran `message`; `parseCompleted`: its answer began with ParseComplete. */
  ran(message: Uint8Array, parseCompleted: boolean): void {
    if (message[0] !== PARSE || !parseCompleted) return;
    const name = statementName(message);
    if (name !== '') this.parses.set(name, Uint8Array.from(message));
  }

  /** After the database ran a message that may have dropped statements (Close, DEALLOCATE, DISCARD). */
  async afterDrop(message: Uint8Array, db: PGlite): Promise<void> {
    if (message[0] === CLOSE && message[5] === STATEMENT) {
      const end = message.indexOf(0, 6);
      this.parses.delete(Buffer.from(message.buffer, message.byteOffset + 6, Math.max(end - 6, 0)).toString('utf8'));
    } else if (
      message[0] === QUERY &&
      DROPS_STATEMENTS.test(Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString('utf8'))
    ) {
      // A simple query has completed its sequence: the session can be asked what it still holds.
      const held = await db.query<{ name: string }>('SELECT name FROM pg_prepared_statements').then(
        ({ rows }) => new Set(rows.map((row) => row.name)),
        () => new Set<string>(),
      );
      for (const name of this.parses.keys()) if (!held.has(name)) this.parses.delete(name);
    }
  }
}

/**
 * Replacement for pglite-socket's QueryQueueManager. PGlite is one session; the socket server multiplexes
 * many client connections onto it one protocol message at a time. The original queue only keeps a
 * connection's messages together inside a transaction, so two connections' extended-protocol sequences
 * (Parse/Bind/Execute/Sync, which pg sends for every parameterised query) interleave and corrupt each
 * other ("bind message supplies 1 parameters, but prepared statement requires 2"). This queue also keeps
 * a connection's messages together until its Sync (or simple Query) completes.
 * Named prepared statements are shared by the connections (SharedStatements).
 */
export class StickyQueryQueue {
  private queue: QueuedMessage[] = [];
  private processing = false;
  /** The connection whose sequence (or transaction) is in progress. */
  private owner: number | null = null;
  private lastHandlerId: number | null = null;
  private readonly statements = new SharedStatements();

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
          if (this.statements.holds(current.message)) {
            current.onData(PARSE_COMPLETE_MESSAGE);
            bytes = PARSE_COMPLETE_MESSAGE.length;
          } else {
            let parseCompleted = false;
            await this.db.runExclusive(() =>
              this.db.execProtocolRawStream(current.message, {
                onRawData: (data: Uint8Array) => {
                  if (bytes === 0) parseCompleted = data[0] === PARSE_COMPLETE;
                  bytes += data.length;
                  current.onData(data);
                },
              }),
            );
            this.statements.ran(current.message, parseCompleted);
            await this.statements.afterDrop(current.message, this.db);
          }
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
