import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/env-parsers.js';
import { loadMonitoringSettings, MONITORING_ENV_VARIABLES } from './monitoring-settings.js';

describe('loadMonitoringSettings', () => {
  it('defaults to DESIGN.md §10 thresholds', () => {
    expect(loadMonitoringSettings({})).toEqual({
      executionTimeS: { warning: 60, error: 120, critical: 300, direction: 'above' },
      successRate: { warning: 0.9, error: 0.8, critical: 0.7, direction: 'below' },
      costPerHourUsd: { warning: 5, error: 20, critical: 50, direction: 'above' },
      queueWaitS: { warning: 30, error: 120, critical: 300, direction: 'above' },
      windowMinutes: 60,
      minSamples: 5,
      cooldownMinutes: 30,
      evaluationIntervalS: 60,
      webhookRetries: 3,
    });
  });

  it('reads every ALERT_* variable', () => {
    const settings = loadMonitoringSettings({
      ALERT_EXECUTION_TIME_SECONDS: '10, 20,30',
      ALERT_SUCCESS_RATE: '0.99,0.95,0.5',
      ALERT_COST_PER_HOUR_USD: '0.5,1,2.5',
      ALERT_QUEUE_WAIT_SECONDS: '1,2,3',
      ALERT_WINDOW_MINUTES: '15',
      ALERT_MIN_SAMPLES: '20',
      ALERT_COOLDOWN_MINUTES: '0',
      ALERT_EVALUATION_INTERVAL_SECONDS: '5',
      ALERT_WEBHOOK_RETRIES: '0',
    });
    expect(settings).toMatchObject({
      executionTimeS: { warning: 10, error: 20, critical: 30 },
      successRate: { warning: 0.99, error: 0.95, critical: 0.5 },
      costPerHourUsd: { warning: 0.5, error: 1, critical: 2.5 },
      queueWaitS: { warning: 1, error: 2, critical: 3 },
      windowMinutes: 15,
      minSamples: 20,
      cooldownMinutes: 0,
      evaluationIntervalS: 5,
      webhookRetries: 0,
    });
    expect(MONITORING_ENV_VARIABLES).toHaveLength(9);
  });

  it.each([
    [
      'ALERT_EXECUTION_TIME_SECONDS',
      '60,120',
      'expected three increasing numbers from 0 to 86400 for warning,error,critical (e.g. 60,120,300)',
    ],
    ['ALERT_EXECUTION_TIME_SECONDS', '120,60,300', 'expected three increasing numbers'],
    ['ALERT_EXECUTION_TIME_SECONDS', '60,,300', 'expected three increasing numbers'],
    ['ALERT_SUCCESS_RATE', '0.7,0.8,0.9', 'expected three decreasing numbers from 0 to 1'],
    ['ALERT_SUCCESS_RATE', '1.5,0.8,0.7', 'expected three decreasing numbers from 0 to 1'],
    ['ALERT_COST_PER_HOUR_USD', 'a,b,c', 'expected three increasing numbers'],
    ['ALERT_QUEUE_WAIT_SECONDS', '-1,2,3', 'expected three increasing numbers'],
    ['ALERT_WINDOW_MINUTES', '0', 'expected an integer from 1 to 10080'],
    ['ALERT_EVALUATION_INTERVAL_SECONDS', '1', 'expected an integer from 5 to 86400'],
    ['ALERT_WEBHOOK_RETRIES', '11', 'expected an integer from 0 to 10'],
  ])('%s=%s stops the boot naming the variable', (name, value, message) => {
    let error: unknown;
    try {
      loadMonitoringSettings({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as ConfigError).message).toContain(`${name}=${JSON.stringify(value)}`);
    expect((error as ConfigError).message).toContain(message);
  });
});
