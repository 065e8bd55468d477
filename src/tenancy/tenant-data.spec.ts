import { describe, expect, it } from 'vitest';
import { parseTenantData, TenantDataError } from './tenant-data.js';

function failure(body: unknown): { field: string; message: string } {
  try {
    parseTenantData(body);
  } catch (error) {
    if (error instanceof TenantDataError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a TenantDataError');
}

describe('parseTenantData', () => {
  it('reads the documented fields', () => {
    expect(
      parseTenantData({
        tenant_id: 'acme',
        subscription_tier: 'professional',
        enabled_features: ['crm', 'analytics', 'crm'],
        api_limits: { requests_per_minute: 120, max_tasks_per_day: 5000 },
        daily_budget_usd: 25.5,
        over_budget_action: 'downgrade',
      }),
    ).toEqual({
      subscriptionTier: 'professional',
      enabledFeatures: ['analytics', 'crm'],
      apiLimits: { requests_per_minute: 120, max_tasks_per_day: 5000 },
      requestsPerMinute: 120,
      dailyBudgetUsd: 25.5,
      overBudgetAction: 'downgrade',
    });
  });

  it('accepts the usual alternative shapes and envelopes', () => {
    expect(
      parseTenantData({
        data: { tier: 'starter', features: { crm: true, billing: false }, limits: { requests_per_hour: 90 }, budgets: { daily_usd: 3 } },
      }),
    ).toEqual({
      subscriptionTier: 'starter',
      enabledFeatures: ['crm'],
      apiLimits: { requests_per_hour: 90 },
      requestsPerMinute: 2,
      dailyBudgetUsd: 3,
      overBudgetAction: null,
    });
    expect(parseTenantData({ tenant: { plan: 'free', api_limits: { rpm: 'unlimited' } } })).toMatchObject({
      subscriptionTier: 'free',
      requestsPerMinute: 0,
    });
  });

  it('leaves what the Brain does not say to the service defaults', () => {
    expect(parseTenantData({})).toEqual({
      subscriptionTier: null,
      enabledFeatures: [],
      apiLimits: {},
      requestsPerMinute: null,
      dailyBudgetUsd: null,
      overBudgetAction: null,
    });
  });

  it('names the field of unusable data', () => {
    expect(failure([])).toEqual({ field: 'body', message: 'body: must be a JSON object' });
    expect(failure({ api_limits: { requests_per_minute: 'lots' } })).toEqual({
      field: 'api_limits.requests_per_minute',
      message: 'api_limits.requests_per_minute: must be an integer from 1 to 1000000, -1 or "unlimited"',
    });
    expect(failure({ api_limits: { requests_per_minute: 0 } }).field).toBe('api_limits.requests_per_minute');
    expect(failure({ api_limits: 'fast' })).toEqual({ field: 'api_limits', message: 'api_limits: must be an object' });
    expect(failure({ enabled_features: 'crm' }).field).toBe('enabled_features');
    expect(failure({ daily_budget_usd: -1 }).field).toBe('daily_budget_usd');
    expect(failure({ over_budget_action: 'panic' })).toEqual({
      field: 'over_budget_action',
      message: 'over_budget_action: must be "refuse" or "downgrade"',
    });
    expect(failure({ subscription_tier: 42 }).field).toBe('subscription_tier');
  });
});
