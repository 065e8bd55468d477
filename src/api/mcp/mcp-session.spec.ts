import { afterEach, describe, expect, it } from 'vitest';
import { type McpSession, type McpSessionLimits, McpSessions } from './mcp-session.js';

const LIMITS: McpSessionLimits = { maxSessions: 3, maxPerTenant: 2, idleMs: 1000, sweepMs: 60_000 };

function session(id: string, tenantId: string, closed: string[]): McpSession {
  return {
    id,
    tenantId,
    closing: false,
    inFlight: 0,
    lastSeen: Date.now(),
    initialized: true,
    connect: () => Promise.resolve(),
    handle: () => Promise.resolve(),
    close: () => {
      closed.push(id);
      return Promise.resolve();
    },
  };
}

describe('MCP sessions', () => {
  let sessions: McpSessions;
  afterEach(async () => {
    await sessions?.onModuleDestroy();
  });

  it('answers a session only to the tenant that opened it', () => {
    sessions = new McpSessions(LIMITS);
    const opened = sessions.open('a', () => session('s1', 'a', []));
    expect(opened).toMatchObject({ id: 's1' });
    expect(sessions.find('s1', 'a')).toBe(opened);
    expect(sessions.find('s1', 'b')).toBeUndefined();
    expect(sessions.find('s2', 'a')).toBeUndefined();
  });

  it('bounds the sessions per tenant and per instance', () => {
    sessions = new McpSessions(LIMITS);
    expect(sessions.open('a', () => session('a1', 'a', []))).toMatchObject({ id: 'a1' });
    expect(sessions.open('a', () => session('a2', 'a', []))).toMatchObject({ id: 'a2' });
    expect(sessions.open('a', () => session('a3', 'a', []))).toBe('tenant_full');
    expect(sessions.open('b', () => session('b1', 'b', []))).toMatchObject({ id: 'b1' });
    expect(sessions.open('c', () => session('c1', 'c', []))).toBe('instance_full');
    expect(sessions.size).toBe(3);
  });

  it('closes idle sessions, never one with a request in flight, and makes room with them when full', async () => {
    sessions = new McpSessions(LIMITS);
    const closed: string[] = [];
    const idle = sessions.open('a', () => session('idle', 'a', closed)) as McpSession;
    const busy = sessions.open('b', () => session('busy', 'b', closed)) as McpSession;
    const fresh = sessions.open('c', () => session('fresh', 'c', closed)) as McpSession;
    idle.lastSeen = busy.lastSeen = Date.now() - 5000;
    const end = sessions.begin(busy);
    expect(fresh.lastSeen).toBeGreaterThan(Date.now() - 1000);
    // Full: opening a fourth session sweeps first; the idle one goes, the busy and the fresh one stay.
    expect(sessions.open('d', () => session('d1', 'd', closed))).toMatchObject({ id: 'd1' });
    await sessions.sweep();
    expect(closed).toEqual(['idle']);
    expect(idle.closing).toBe(true);
    expect(sessions.find('idle', 'a')).toBeUndefined();
    expect(sessions.find('busy', 'b')).toBe(busy);
    // Once its request ends, the busy session counts as seen now, and is idle only after the limit.
    end();
    end();
    expect(busy.inFlight).toBe(0);
    await sessions.sweep();
    expect(closed).toEqual(['idle']);
    await sessions.sweep(Date.now() + 2000);
    expect(closed.sort()).toEqual(['busy', 'd1', 'fresh', 'idle']);
    expect(sessions.size).toBe(0);
  });

  it('forgets a session the client ended and closes the rest at shutdown', async () => {
    sessions = new McpSessions(LIMITS);
    const closed: string[] = [];
    const ended = sessions.open('a', () => session('ended', 'a', closed)) as McpSession;
    sessions.open('b', () => session('open', 'b', closed));
    sessions.remove('ended');
    expect(ended.closing).toBe(true);
    expect(sessions.find('ended', 'a')).toBeUndefined();
    await sessions.onModuleDestroy();
    expect(closed).toEqual(['open']);
  });
});
