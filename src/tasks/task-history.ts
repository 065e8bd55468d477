import type { EntityManager } from 'typeorm';
import { fastQuery } from '../database/fast-query.js';
import { AGENT_STATS, DAILY_ACTIVITY, recentTasks, SPENT_TODAY, TASK_KPIS, TASK_KPIS_BY_DOMAIN, TYPE_HISTORY } from './task.statements.js';
import type { Strategy } from './task.types.js';

export interface RecentTaskRow {
  id: string;
  type: string;
  status: string;
  strategy: string | null;
  created_at: Date | string;
  duration_ms: number | null;
}

export interface TypeHistoryRow {
  strategy: Strategy;
  duration_ms: number;
  cost_usd: string;
}

export interface AgentStatsRow {
  agent_id: string;
  executions: number;
  finished: number;
  succeeded: number;
  avg_ms: number | null;
  tokens: number;
  cost: string;
  running: number;
}

export interface TaskCounts {
  total: number;
  completed: number;
  failed: number;
  timed_out: number;
  cancelled: number;
  in_progress: number;
  cost_usd: number;
  avg_duration_ms: number | null;
  llm_calls: number;
  tokens: number;
}

export interface DomainTaskCounts {
  domain: string;
  total: number;
  completed: number;
}

export interface DailyActivity {
  day: string;
  tasks: number;
  failed: number;
  cost_usd: number;
}

/**
 * Read-only questions about the task history (tasks and task_steps), asked on the handle the caller holds: a
 * task's own manager (so the read sees its transaction), or the pool's. Part of the task core, the only code
 * that reads or writes those tables.
 */
export class TaskHistory {
  constructor(private readonly handle: EntityManager) {}

  /** The tenant's newest tasks, without `exceptId` (the task asking). */
  recent(tenantId: string, exceptId: string, filter: { status?: string; type?: string }, limit: number): Promise<RecentTaskRow[]> {
    const values: unknown[] = [tenantId, exceptId, limit];
    if (filter.status) values.push(filter.status);
    if (filter.type) values.push(filter.type);
    // Tenants differ in size by orders of magnitude: each call is planned for its own tenant and limit.
    return fastQuery<RecentTaskRow>(this.handle, recentTasks({ status: Boolean(filter.status), type: Boolean(filter.type) }), values, {
      planPerCall: true,
    });
  }

  /** The type's recently completed tasks, newest first (at most 100). */
  ofType(type: string, days: number): Promise<TypeHistoryRow[]> {
    return this.handle.query<TypeHistoryRow[]>(TYPE_HISTORY, [type, days]);
  }

  /** USD the tenant's tasks have cost since 00:00 UTC (as numeric text). */
  async spentToday(tenantId: string): Promise<string> {
    const rows = await this.handle.query<{ spent: string }[]>(SPENT_TODAY, [tenantId]);
    return rows[0]?.spent ?? '0';
  }

  /** Per-agent statistics over every step an agent ran. */
  agentStats(): Promise<AgentStatsRow[]> {
    return this.handle.query<AgentStatsRow[]>(AGENT_STATS);
  }

  /** The tenant's task counts since `since`, overall and by domain, without `exceptId`. */
  async counts(tenantId: string, exceptId: string, since: Date): Promise<{ totals: TaskCounts; domains: DomainTaskCounts[] }> {
    const [totals] = await this.handle.query<[TaskCounts]>(TASK_KPIS, [tenantId, exceptId, since]);
    const domains = await this.handle.query<DomainTaskCounts[]>(TASK_KPIS_BY_DOMAIN, [tenantId, exceptId, since]);
    return { totals, domains };
  }

  /** The tenant's tasks, failures and cost per UTC day with activity since `since`, without `exceptId`. */
  daily(tenantId: string, exceptId: string, since: Date): Promise<DailyActivity[]> {
    return this.handle.query<DailyActivity[]>(DAILY_ACTIVITY, [tenantId, exceptId, since]);
  }
}
