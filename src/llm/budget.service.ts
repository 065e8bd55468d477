import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ProblemException } from '../common/problem.js';
import { type BudgetExceededAction, LLM_RUNTIME_CONFIG, type LlmRuntimeConfig } from './llm-runtime.config.js';
import { addUsd, roundUsd } from './prices.js';
import { logFor } from '../common/request-context.js';
import { TaskStore } from '../tasks/task.store.js';

/** A tenant's own budget settings; null/undefined fields fall back to the service defaults. */
export interface TenantBudget {
  dailyBudgetUsd?: number | null;
  action?: BudgetExceededAction | null;
}

export type TenantBudgetResolver = (tenantId: string, requestId?: string | null) => Promise<TenantBudget | null | undefined>;

export interface BudgetCheck {
  allowed: boolean;
  /** USD left today; null when the tenant has no limit. */
  remaining: number | null;
  /** The tenant's daily limit in USD; null = unlimited. */
  limit: number | null;
  spentToday: number;
  estimatedCostUsd: number;
  /** What admission should do when `allowed` is false. */
  action: BudgetExceededAction;
  /** When today's spend resets (start of the next UTC day). */
  resetsAt: Date;
}

// Undefined table / column: tenant_settings is optional for this service.
const MISSING_RELATION = new Set(['42P01', '42703']);

/** 402 problem+json: the tenant's daily LLM budget would be exceeded by this task. */
export class BudgetExceededProblem extends ProblemException {
  constructor(
    readonly tenantId: string,
    readonly check: BudgetCheck,
  ) {
    super(
      402,
      'budget-exceeded',
      'Payment Required',
      `Tenant ${tenantId} has spent $${check.spentToday.toFixed(6)} of its daily LLM budget of $${(check.limit ?? 0).toFixed(6)} ` +
        `today (UTC) and this task is estimated at $${check.estimatedCostUsd.toFixed(6)}. The budget resets at ${check.resetsAt.toISOString()}; ` +
        `raise the tenant's daily budget (tenant_settings or TENANT_DAILY_BUDGET_USD) or submit the task without requires_ai.`,
      {
        tenant_id: tenantId,
        daily_budget_usd: check.limit,
        spent_today_usd: check.spentToday,
        remaining_usd: check.remaining,
        estimated_cost_usd: check.estimatedCostUsd,
        resets_at: check.resetsAt.toISOString(),
      },
    );
  }
}

/**
 * Per-tenant daily USD budget (DESIGN.md §8): the tenant's own setting (a registered resolver, else
 * tenant_settings.daily_budget_usd), else TENANT_DAILY_BUDGET_USD, else unlimited. Today's spend is the
 * sum of the tenant's task costs since 00:00 UTC, so every instance sees the same number.
 */
@Injectable()
export class BudgetService {
  private readonly logger = new Logger(BudgetService.name);
  private resolver: TenantBudgetResolver;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LLM_RUNTIME_CONFIG) private readonly runtime: LlmRuntimeConfig,
    private readonly tasks: TaskStore,
  ) {
    this.resolver = (tenantId, requestId) => this.fromTenantSettings(tenantId, requestId);
  }

  /** Replaces where a tenant's own budget comes from (e.g. a tenant-settings service with its own cache). */
  setTenantBudgetResolver(resolver: TenantBudgetResolver): void {
    this.resolver = resolver;
  }

  async check(tenantId: string, estimatedCostUsd: number, requestId?: string | null): Promise<BudgetCheck> {
    const estimate = roundUsd(Math.max(0, estimatedCostUsd));
    const own = await this.resolver(tenantId, requestId);
    const limit = own?.dailyBudgetUsd ?? this.config.crew.tenantDailyBudgetUsd ?? null;
    const action = own?.action ?? this.runtime.budgetExceededAction;
    const resetsAt = nextUtcMidnight(new Date());
    if (limit === null) {
      return { allowed: true, remaining: null, limit: null, spentToday: 0, estimatedCostUsd: estimate, action, resetsAt };
    }
    const spentToday = await this.spentToday(tenantId);
    const remaining = Math.max(0, addUsd(limit, -spentToday));
    return { allowed: addUsd(spentToday, estimate) <= limit, remaining, limit, spentToday, estimatedCostUsd: estimate, action, resetsAt };
  }

  /**
   * Admission in one call: 'run' when within budget, 'downgrade' when over budget and the tenant's action
   * is downgrade (run deterministically); throws BudgetExceededProblem (402) when the action is refuse.
   */
  async enforce(tenantId: string, estimatedCostUsd: number, requestId?: string | null): Promise<'run' | 'downgrade'> {
    const check = await this.check(tenantId, estimatedCostUsd, requestId);
    if (check.allowed) return 'run';
    if (check.action === 'downgrade') return 'downgrade';
    throw new BudgetExceededProblem(tenantId, check);
  }

  /** USD the tenant's tasks have cost since 00:00 UTC. */
  async spentToday(tenantId: string): Promise<number> {
    return roundUsd(Number(await this.tasks.history().spentToday(tenantId)));
  }

  private async fromTenantSettings(tenantId: string, requestId?: string | null): Promise<TenantBudget | null> {
    try {
      const rows = await this.dataSource.query<{ daily_budget_usd: string | null; over_budget_action: string | null }[]>(
        `SELECT daily_budget_usd::text AS daily_budget_usd, over_budget_action FROM tenant_settings WHERE tenant_id = $1`,
        [tenantId],
      );
      const row = rows[0];
      if (!row) return null;
      const action = row.over_budget_action;
      return {
        dailyBudgetUsd: row.daily_budget_usd === null ? null : Number(row.daily_budget_usd),
        action: action === 'refuse' || action === 'downgrade' ? action : null,
      };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && MISSING_RELATION.has(code)) return null;
      logFor(requestId, () =>
        this.logger.warn(`Reading tenant_settings for ${tenantId} failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      return null;
    }
  }
}

function nextUtcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}
