import { describe, expect, it } from 'vitest';
import { SECURITY_SETTINGS } from './auth/security-settings.js';
import { APP_CONFIG, loadConfig } from './config/app-config.js';
import { ConfigError, type Env } from './config/env-parsers.js';
import { CONFIG_SECTIONS, configProviders, loadConfigTree } from './config.tree.js';
import { BILLING_SYNC_CONFIG } from './domains/billing/billing.config.js';
import { CMS_CONFIG } from './domains/cms/cms.config.js';
import { CRM_SYNC_CONFIG } from './domains/crm/sync/crm-sync.task-type.js';
import { ECOMMERCE_SYNC_CONFIG } from './domains/ecommerce/ecommerce.config.js';
import { INTEGRATIONS_CONFIG } from './domains/integrations/integrations.config.js';
import { LLM_RUNTIME_CONFIG } from './llm/llm-runtime.config.js';
import { MONITORING_SETTINGS } from './monitoring/monitoring-settings.js';

function configError(env: Env): ConfigError {
  try {
    loadConfigTree(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfigTree accepted ${JSON.stringify(env)}`);
}

describe('loadConfigTree', () => {
  it('holds every section, each under the token its module injects', () => {
    const tree = loadConfigTree({});
    expect(Object.keys(tree)).toEqual(['app', 'auth', 'llm', 'monitoring', 'crm', 'ecommerce', 'billing', 'cms', 'integrations']);
    const provided = new Map(configProviders(tree).map((provider) => [provider.provide, provider.useValue]));
    expect(provided).toEqual(
      new Map<symbol, unknown>([
        [APP_CONFIG, tree.app],
        [SECURITY_SETTINGS, tree.auth],
        [LLM_RUNTIME_CONFIG, tree.llm],
        [MONITORING_SETTINGS, tree.monitoring],
        [CRM_SYNC_CONFIG, tree.crm],
        [ECOMMERCE_SYNC_CONFIG, tree.ecommerce],
        [BILLING_SYNC_CONFIG, tree.billing],
        [CMS_CONFIG, tree.cms],
        [INTEGRATIONS_CONFIG, tree.integrations],
      ]),
    );
    expect(Object.isFrozen(tree)).toBe(true);
  });

  it('an empty environment gives every section its defaults', () => {
    const tree = loadConfigTree({});
    expect(tree.app).toEqual(loadConfig({}));
    expect(tree.auth).toEqual({ tenantRateLimitPerMinute: 600 });
    expect(tree.llm).toEqual({ maxLlmCallsPerTask: 50, budgetExceededAction: 'refuse', rpmWindowS: 60, memoryRecallLimit: 5 });
    expect(tree.monitoring).toMatchObject({
      windowMinutes: 60,
      minSamples: 5,
      cooldownMinutes: 30,
      evaluationIntervalS: 60,
      webhookRetries: 3,
    });
    expect(tree.crm).toEqual({ url: undefined, timeoutMs: 10_000, retries: 3 });
    expect(tree.ecommerce).toEqual({ productsUrl: undefined, ordersUrl: undefined, token: undefined });
    expect(tree.billing).toEqual({ paymentsUrl: undefined, token: undefined });
    expect(tree.cms).toEqual({ syncUrl: undefined, syncToken: undefined, syncTimeoutMs: 10_000, syncMaxRetries: 2, syncBackoffMs: 500 });
    expect(tree.integrations).toEqual({ retryBackoffMs: 500, maxRetries: 2, authSecrets: {} });
  });

  it('each section reads its own variables from the one environment', () => {
    const tree = loadConfigTree({
      PORT: '9000',
      TENANT_RATE_LIMIT_PER_MINUTE: '3',
      RPM_WINDOW_SECONDS: '2',
      ALERT_WEBHOOK_RETRIES: '0',
      CRM_SYNC_URL: 'https://crm.example.com/export/',
      ECOMMERCE_SYNC_TOKEN: 'shop-token',
      BILLING_PAYMENTS_URL: 'https://pay.example.com/payments',
      CMS_SYNC_RETRY_BACKOFF_MS: '10',
      INTEGRATIONS_MAX_RETRIES: '5',
    });
    expect(tree.app.server.port).toBe(9000);
    expect(tree.auth.tenantRateLimitPerMinute).toBe(3);
    expect(tree.llm.rpmWindowS).toBe(2);
    expect(tree.monitoring.webhookRetries).toBe(0);
    expect(tree.crm.url).toBe('https://crm.example.com/export');
    expect(tree.ecommerce.token).toBe('shop-token');
    expect(tree.billing.paymentsUrl).toBe('https://pay.example.com/payments');
    expect(tree.cms.syncBackoffMs).toBe(10);
    expect(tree.integrations.maxRetries).toBe(5);
  });

  // One variable per section: the boot stops with that section's one line, naming the variable.
  it.each([
    ['app', 'MAX_RPM', '0', 'expected an integer from 1 to 100000'],
    ['auth', 'TENANT_RATE_LIMIT_PER_MINUTE', '-5', 'expected an integer from 0 to 1000000'],
    ['llm', 'BUDGET_EXCEEDED_ACTION', 'ignore', 'expected one of refuse, downgrade'],
    [
      'monitoring',
      'ALERT_SUCCESS_RATE',
      '0.7,0.8,0.9',
      'expected three decreasing numbers from 0 to 1 for warning,error,critical (e.g. 0.9,0.8,0.7)',
    ],
    ['crm', 'CRM_SYNC_RETRIES', '11', 'expected an integer from 0 to 10'],
    ['ecommerce', 'ECOMMERCE_ORDERS_URL', 'ftp://shop/orders', 'expected an absolute http(s) URL'],
    ['billing', 'BILLING_PAYMENTS_URL', 'payments', 'expected an absolute http(s) URL'],
    ['cms', 'CMS_SYNC_TIMEOUT_MS', '50', 'expected an integer from 100 to 120000'],
    ['integrations', 'INTEGRATIONS_RETRY_BACKOFF_MS', 'soon', 'expected an integer from 0 to 60000'],
  ] as const)('a bad value in the %s section: one line naming %s', (section, variable, value, allowed) => {
    expect(Object.keys(CONFIG_SECTIONS)).toContain(section);
    const error = configError({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toBe(`Invalid configuration: ${variable}=${JSON.stringify(value)} — ${allowed}`);
    expect(error.message).not.toContain('\n');
  });

  it('names the first bad variable in section order (the core before the modules)', () => {
    expect(configError({ CMS_SYNC_TIMEOUT_MS: '50', PORT: 'http' }).variable).toBe('PORT');
    expect(configError({ CMS_SYNC_TIMEOUT_MS: '50', ALERT_WINDOW_MINUTES: '0' }).variable).toBe('ALERT_WINDOW_MINUTES');
  });

  it('keeps only the INTEGRATION_* namespace as integration auth secrets', () => {
    const tree = loadConfigTree({
      INTEGRATION_ACME__HUBSPOT_TOKEN: 'hub-secret',
      INTEGRATION_ACME_EU__CRM_TOKEN: 'crm-secret',
      INTEGRATIONS_MAX_RETRIES: '1',
      OPENAI_API_KEY: 'sk-service-secret',
      BRAIN_API_TOKEN: 'brain-secret',
    });
    expect(tree.integrations.authSecrets).toEqual({
      INTEGRATION_ACME__HUBSPOT_TOKEN: 'hub-secret',
      INTEGRATION_ACME_EU__CRM_TOKEN: 'crm-secret',
    });
    expect(Object.isFrozen(tree.integrations.authSecrets)).toBe(true);
  });
});
