import { configSection } from '../config/config-section.js';
import { ConfigError, type Env, int, raw } from '../config/env-parsers.js';

export const ALERT_LEVELS = ['warning', 'error', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** Thresholds per level; `direction` says which side is bad. */
export interface LevelThresholds {
  warning: number;
  error: number;
  critical: number;
  /** 'above': the value alerts when it reaches the threshold or more; 'below': when it falls to it or less. */
  direction: 'above' | 'below';
}

export interface MonitoringSettings {
  executionTimeS: LevelThresholds;
  successRate: LevelThresholds;
  costPerHourUsd: LevelThresholds;
  queueWaitS: LevelThresholds;
  /** The window alerts are measured over. */
  windowMinutes: number;
  /** Fewer finished tasks than this in the window: no latency or success-rate alert (one failure is not a trend). */
  minSamples: number;
  /** The same metric and level do not fire again within this long. */
  cooldownMinutes: number;
  evaluationIntervalS: number;
  /** Webhook retries after the first attempt. */
  webhookRetries: number;
}

/** Every variable this parser reads, for docs and config listings. */
export const MONITORING_ENV_VARIABLES = [
  'ALERT_EXECUTION_TIME_SECONDS',
  'ALERT_SUCCESS_RATE',
  'ALERT_COST_PER_HOUR_USD',
  'ALERT_QUEUE_WAIT_SECONDS',
  'ALERT_WINDOW_MINUTES',
  'ALERT_MIN_SAMPLES',
  'ALERT_COOLDOWN_MINUTES',
  'ALERT_EVALUATION_INTERVAL_SECONDS',
  'ALERT_WEBHOOK_RETRIES',
] as const;

/** Parses `warning,error,critical`, e.g. `60,120,300`; the three must get worse in the bad direction. */
function levels(env: Env, name: string, fallback: [number, number, number], direction: 'above' | 'below', max: number): LevelThresholds {
  const value = raw(env, name);
  const order = direction === 'above' ? 'increasing' : 'decreasing';
  const allowed = `expected three ${order} numbers from 0 to ${max} for warning,error,critical (e.g. ${fallback.join(',')})`;
  if (value === undefined) return { warning: fallback[0], error: fallback[1], critical: fallback[2], direction };
  const parts = value.split(',').map((part) => part.trim());
  const numbers = parts.map(Number);
  const valid =
    parts.length === 3 &&
    parts.every((part) => part !== '') &&
    numbers.every((n) => Number.isFinite(n) && n >= 0 && n <= max) &&
    (direction === 'above' ? numbers[0] < numbers[1] && numbers[1] < numbers[2] : numbers[0] > numbers[1] && numbers[1] > numbers[2]);
  if (!valid) throw new ConfigError(name, allowed, value);
  return { warning: numbers[0], error: numbers[1], critical: numbers[2], direction };
}

/** The ALERT_* variables (all optional); defaults are DESIGN.md §10's. Throws ConfigError naming a bad one. */
export function loadMonitoringSettings(env: Env): MonitoringSettings {
  return {
    executionTimeS: levels(env, 'ALERT_EXECUTION_TIME_SECONDS', [60, 120, 300], 'above', 86_400),
    successRate: levels(env, 'ALERT_SUCCESS_RATE', [0.9, 0.8, 0.7], 'below', 1),
    costPerHourUsd: levels(env, 'ALERT_COST_PER_HOUR_USD', [5, 20, 50], 'above', 1_000_000),
    queueWaitS: levels(env, 'ALERT_QUEUE_WAIT_SECONDS', [30, 120, 300], 'above', 86_400),
    windowMinutes: int(env, 'ALERT_WINDOW_MINUTES', 60, 1, 7 * 24 * 60),
    minSamples: int(env, 'ALERT_MIN_SAMPLES', 5, 1, 100_000),
    cooldownMinutes: int(env, 'ALERT_COOLDOWN_MINUTES', 30, 0, 7 * 24 * 60),
    evaluationIntervalS: int(env, 'ALERT_EVALUATION_INTERVAL_SECONDS', 60, 5, 86_400),
    webhookRetries: int(env, 'ALERT_WEBHOOK_RETRIES', 3, 0, 10),
  };
}

export const MONITORING_SETTINGS = Symbol('MONITORING_SETTINGS');

/** The monitoring module's section of the configuration tree: the ALERT_* variables. */
export const monitoringConfigSection = configSection(MONITORING_SETTINGS, loadMonitoringSettings);
