import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';

/** Who a session acts for, as its request handlers see it. */
export interface McpCaller {
  readonly tenantId: string;
  /** True once the session is ending (DELETE, idle expiry, shutdown): running calls stop waiting, tasks go on. */
  readonly closing: boolean;
}

/** One MCP session: its SDK transport and server, bound to the tenant that opened it. */
export interface McpSession extends McpCaller {
  readonly id: string;
  closing: boolean;
  /** HTTP requests of this session being answered now (a tool call's stream, the GET notification stream). */
  inFlight: number;
  /** When its last request ended (epoch ms). */
  lastSeen: number;
  /** Whether the client's initialize was accepted (the transport then knows its session id). */
  readonly initialized: boolean;
  /** Connects the server to the transport (once, before the first request). */
  connect(): Promise<void>;
  /** Answers one HTTP request of the session (`body` as the JSON parser read it, or undefined). */
  handle(request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void>;
  /** Closes its transport (open streams end) and server (running calls are aborted). */
  close(): Promise<void>;
}

export interface McpSessionLimits {
  /** Sessions this instance keeps at most. */
  maxSessions: number;
  /** Sessions one tenant may hold at most (so one tenant cannot take every slot). */
  maxPerTenant: number;
  /** A session without a request for this long is closed. */
  idleMs: number;
  /** How often idle sessions are looked for. */
  sweepMs: number;
}

export const MCP_SESSION_LIMITS = Symbol('MCP_SESSION_LIMITS');

export const DEFAULT_MCP_SESSION_LIMITS: McpSessionLimits = {
  maxSessions: 1000,
  maxPerTenant: 100,
  idleMs: 30 * 60_000,
  sweepMs: 60_000,
};

/** Why a new session was refused: this instance is full, or the tenant holds its share. */
export type SessionRefusal = 'instance_full' | 'tenant_full';

/**
 * The MCP sessions of this instance, in memory (a session lives where it was opened: several instances need
 * session affinity on the MCP route). Bounded in count, overall and per tenant; a session idle for `idleMs`
 * (no request in flight, none for that long) is closed. A session answers only its own tenant.
 */
@Injectable()
export class McpSessions implements OnModuleDestroy {
  private readonly sessions = new Map<string, McpSession>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(@Inject(MCP_SESSION_LIMITS) private readonly limits: McpSessionLimits) {
    this.sweeper = setInterval(() => void this.sweep(), limits.sweepMs).unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /**
   * Registers the session `create` makes for `tenantId`, or answers why there is no room (idle sessions are
   * closed first to make some). Synchronous from the check to the registration, so concurrent openings cannot
   * overshoot the limits.
   */
  open(tenantId: string, create: () => McpSession): McpSession | SessionRefusal {
    if (this.sessions.size >= this.limits.maxSessions || this.countOf(tenantId) >= this.limits.maxPerTenant) void this.sweep();
    if (this.countOf(tenantId) >= this.limits.maxPerTenant) return 'tenant_full';
    if (this.sessions.size >= this.limits.maxSessions) return 'instance_full';
    const session = create();
    this.sessions.set(session.id, session);
    return session;
  }

  /** The session, only for the tenant it belongs to: another tenant's session id is as unknown as a made-up one. */
  find(id: string, tenantId: string): McpSession | undefined {
    const session = this.sessions.get(id);
    return session && session.tenantId === tenantId && !session.closing ? session : undefined;
  }

  /** Counts a request of the session as in flight until the returned function is called (its response closed). */
  begin(session: McpSession): () => void {
    session.inFlight += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      session.inFlight -= 1;
      session.lastSeen = Date.now();
    };
  }

  /** Forgets a session that is ending (the client's DELETE; a failed initialization); later requests find nothing. */
  remove(id: string): McpSession | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    session.closing = true;
    this.sessions.delete(id);
    return session;
  }

  /** Forgets the session at once, then closes its transport and server. */
  async close(id: string): Promise<void> {
    await this.remove(id)
      ?.close()
      .catch(() => undefined);
  }

  /** Closes every session idle past the limit (they are forgotten before this returns its promise). */
  sweep(now = Date.now()): Promise<void> {
    const idle = [...this.sessions.values()].filter((s) => s.inFlight === 0 && now - s.lastSeen >= this.limits.idleMs);
    return Promise.all(idle.map((session) => this.close(session.id))).then(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }

  private countOf(tenantId: string): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session.tenantId === tenantId) count += 1;
    return count;
  }
}
