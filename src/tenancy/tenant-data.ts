import type { OverBudgetAction } from './tenant-settings.entity.js';

/** What a tenant's Brain data says about its plan, normalised. */
export interface TenantPlan {
  subscriptionTier: string | null;
  enabledFeatures: string[];
  apiLimits: Record<string, unknown>;
  /** null: the service default (TENANT_RATE_LIMIT_PER_MINUTE); 0: no limit. */
  requestsPerMinute: number | null;
  /** null: the service default (TENANT_DAILY_BUDGET_USD). */
  dailyBudgetUsd: number | null;
  overBudgetAction: OverBudgetAction | null;
}

/** The Brain answered tenant data this service cannot use; `field` names the offending field. */
export class TenantDataError extends Error {
  /** Its message is written for the caller: a task that fails with it shows it as its error (isExposed). */
  readonly expose = true;

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'TenantDataError';
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstDefined(...values: unknown[]): unknown {
  return values.find((value) => value !== undefined);
}

function tier(data: Json): string | null {
  const subscription = isObject(data.subscription) ? data.subscription : {};
  const value = firstDefined(data.subscription_tier, data.tier, data.plan, subscription.tier);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > 100) {
    throw new TenantDataError('subscription_tier', 'must be a string of 1–100 characters');
  }
  return value;
}

function features(data: Json): string[] {
  const value = firstDefined(data.enabled_features, data.features);
  if (value === undefined || value === null) return [];
  // Either a list of names or a map of name → enabled.
  const names = isObject(value) ? Object.keys(value).filter((name) => value[name] === true) : value;
  if (!Array.isArray(names) || names.length > 500 || !names.every((n) => typeof n === 'string' && n.length > 0 && n.length <= 100)) {
    throw new TenantDataError('enabled_features', 'must be a list of up to 500 feature names (or a map of name → true/false)');
  }
  return [...new Set(names as string[])].sort();
}

function limits(data: Json): Json {
  const value = firstDefined(data.api_limits, data.limits);
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new TenantDataError('api_limits', 'must be an object');
  return value;
}

function requestsPerMinute(apiLimits: Json): number | null {
  const perMinute = firstDefined(apiLimits.requests_per_minute, apiLimits.rpm);
  if (perMinute === 'unlimited' || perMinute === -1) return 0;
  if (perMinute !== undefined && perMinute !== null) {
    if (!Number.isInteger(perMinute) || (perMinute as number) < 1 || (perMinute as number) > 1_000_000) {
      throw new TenantDataError('api_limits.requests_per_minute', 'must be an integer from 1 to 1000000, -1 or "unlimited"');
    }
    return perMinute as number;
  }
  const perHour = apiLimits.requests_per_hour;
  if (perHour === undefined || perHour === null) return null;
  if (!Number.isInteger(perHour) || (perHour as number) < 1) {
    throw new TenantDataError('api_limits.requests_per_hour', 'must be a positive integer');
  }
  return Math.max(1, Math.ceil((perHour as number) / 60));
}

function budget(data: Json, apiLimits: Json): { dailyBudgetUsd: number | null; overBudgetAction: OverBudgetAction | null } {
  const budgets = isObject(data.budgets) ? data.budgets : isObject(data.budget) ? data.budget : {};
  const daily = firstDefined(data.daily_budget_usd, budgets.daily_usd, budgets.daily_budget_usd, apiLimits.daily_budget_usd);
  if (daily !== undefined && daily !== null && (typeof daily !== 'number' || !Number.isFinite(daily) || daily < 0 || daily > 1_000_000)) {
    throw new TenantDataError('daily_budget_usd', 'must be a number from 0 to 1000000 (USD per day)');
  }
  const action = firstDefined(data.over_budget_action, budgets.over_budget_action);
  if (action !== undefined && action !== null && action !== 'refuse' && action !== 'downgrade') {
    throw new TenantDataError('over_budget_action', 'must be "refuse" or "downgrade"');
  }
  return {
    dailyBudgetUsd: daily ?? null,
    overBudgetAction: action ?? null,
  };
}

/** The tenant record inside a Brain answer: the object itself, or under `data` / `tenant`. */
export function unwrapTenantData(body: unknown): Json {
  if (!isObject(body)) throw new TenantDataError('body', 'must be a JSON object');
  if (isObject(body.data)) return body.data;
  if (isObject(body.tenant)) return body.tenant;
  return body;
}

/**
 * Normalises `GET {BRAIN}/api/brain/tenants/{id}/data`. Accepted fields (snake_case): `subscription_tier`
 * (or `tier`, `plan`, `subscription.tier`), `enabled_features` (or `features`; a list or a name → bool map),
 * `api_limits` (or `limits`) with `requests_per_minute` (or `rpm`; -1/"unlimited" = none) or
 * `requests_per_hour`, `daily_budget_usd` (or `budgets.daily_usd`), `over_budget_action` (refuse|downgrade).
 */
export function parseTenantData(body: unknown): TenantPlan {
  const data = unwrapTenantData(body);
  const apiLimits = limits(data);
  return {
    subscriptionTier: tier(data),
    enabledFeatures: features(data),
    apiLimits,
    requestsPerMinute: requestsPerMinute(apiLimits),
    ...budget(data, apiLimits),
  };
}
