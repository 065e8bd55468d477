import { isAbsolute, resolve } from 'node:path';
import { configSection } from './config-section.js';
import { bool, byteSize, ConfigError, type Env, httpUrl, int, list, num, oneOf, optionalStr, raw, str } from './env-parsers.js';

export const APP_CONFIG = Symbol('APP_CONFIG');

export type Environment = 'development' | 'production' | 'test';
export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

export interface ModelPrice {
  /** USD per 1M input tokens. */
  input: number;
  /** USD per 1M cached input tokens. */
  cachedInput: number;
  /** USD per 1M output tokens. */
  output: number;
}

export interface ApiKey {
  key: string;
  /** A tenant id, or `*` for a service key that names the tenant in `X-Tenant-ID`. */
  tenant: string;
}

export type DatabaseConfig = ({ kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string }) & {
  /** Hot-path statements are prepared once per connection (off behind a statement-unaware transaction pooler). */
  preparedStatements: boolean;
};

export interface AppConfig {
  server: {
    port: number;
    host: string;
    environment: Environment;
    debug: boolean;
    logLevel: LogLevel;
    corsOrigins: string[];
    bodyLimitBytes: number;
    /** Largest JSON body of the bulk CRM routes (never below bodyLimitBytes). */
    bulkBodyLimitBytes: number;
    publicUrl: string;
  };
  database: DatabaseConfig;
  llm: {
    apiKey?: string;
    baseUrl?: string;
    model: string;
    requestTimeoutMs: number;
    maxRetries: number;
    prices: Record<string, ModelPrice>;
    /** Deterministic mode: neither key nor base URL set. */
    enabled: boolean;
  };
  crew: {
    maxConcurrentWorkflows: number;
    defaultTimeoutS: number;
    agentExecutionTimeoutS: number;
    agentMaxIterations: number;
    cachingEnabled: boolean;
    cacheTtlS: number;
    maxRpm: number;
    memoryEnabled: boolean;
    memoryLimit: number;
    tenantDailyBudgetUsd?: number;
    workerEnabled: boolean;
    /** SIGTERM: how long running tasks may finish before they are handed back to the queue. */
    shutdownGraceS: number;
    /** Deliveries of a queued task before it fails (a delivery is retried only when its worker died). */
    maxAttempts: number;
    /** How often the queue looks for jobs whose worker died (pg-boss maintenance). */
    queueMaintenanceS: number;
    /** A queued job expires (worker presumed dead) this long after the task's own timeout. */
    expiryMarginS: number;
    /** Base delay of the callback retries (doubles each time). */
    callbackRetryDelayS: number;
  };
  brain: {
    url: string;
    token?: string;
    autoRegister: boolean;
  };
  security: {
    apiKeys: ApiKey[];
    metricsToken?: string;
    outboundAllowPrivate: boolean;
  };
  monitoring: {
    enabled: boolean;
    retentionDays: number;
    alertWebhookUrl?: string;
  };
}

const LOG_LEVEL_ALIASES: Record<string, LogLevel> = {
  debug: 'debug',
  verbose: 'debug',
  info: 'info',
  log: 'info',
  warning: 'warning',
  warn: 'warning',
  error: 'error',
  fatal: 'error',
  critical: 'error',
};

function logLevel(env: Env): LogLevel {
  const value = raw(env, 'LOG_LEVEL');
  if (value === undefined) return 'info';
  const level = LOG_LEVEL_ALIASES[value.toLowerCase()];
  if (!level) throw new ConfigError('LOG_LEVEL', 'expected one of DEBUG, INFO, WARNING, ERROR', value);
  return level;
}

function database(env: Env): DatabaseConfig {
  return { ...databaseTarget(env), preparedStatements: bool(env, 'DATABASE_PREPARED_STATEMENTS', true) };
}

function databaseTarget(env: Env): { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string } {
  const url = raw(env, 'DATABASE_URL');
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new ConfigError('DATABASE_URL', 'expected a postgres:// or postgresql:// URL', url.replace(/:[^:@/]*@/, ':***@'));
    }
    return { kind: 'postgres', url };
  }
  const host = raw(env, 'POSTGRES_HOST');
  if (host !== undefined) {
    const port = int(env, 'POSTGRES_PORT', 5432, 1, 65535);
    const user = encodeURIComponent(str(env, 'POSTGRES_USER', 'postgres'));
    const password = raw(env, 'POSTGRES_PASSWORD');
    const db = encodeURIComponent(str(env, 'POSTGRES_DB', 'ai_crew'));
    const auth = password === undefined ? user : `${user}:${encodeURIComponent(password)}`;
    return { kind: 'postgres', url: `postgres://${auth}@${host}:${port}/${db}` };
  }
  const dataDir = str(env, 'CREW_DATA_DIR', '.data');
  return { kind: 'embedded', dataDir: isAbsolute(dataDir) ? dataDir : resolve(process.cwd(), dataDir) };
}

/** USD per 1M tokens; the defaults are OpenAI's list prices. Override or extend with LLM_PRICES. */
export const DEFAULT_PRICES: Record<string, ModelPrice> = {
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
};

function prices(env: Env): Record<string, ModelPrice> {
  const value = raw(env, 'LLM_PRICES');
  if (value === undefined) return { ...DEFAULT_PRICES };
  const allowed = 'expected JSON like {"model":{"input":0.15,"cached_input":0.075,"output":0.6}} (USD per 1M tokens)';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigError('LLM_PRICES', allowed, value);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError('LLM_PRICES', allowed, value);
  const result = { ...DEFAULT_PRICES };
  for (const [model, entry] of Object.entries(parsed as Record<string, unknown>)) {
    const price = entry as Record<string, unknown> | null;
    const input = price?.input;
    const output = price?.output;
    const cached = price?.cached_input ?? input;
    if (![input, output, cached].every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) {
      throw new ConfigError('LLM_PRICES', allowed, value);
    }
    result[model] = { input: input as number, cachedInput: cached as number, output: output as number };
  }
  return result;
}

function apiKeys(env: Env): ApiKey[] {
  return list(env, 'CREW_API_KEYS').map((entry) => {
    const separator = entry.lastIndexOf(':');
    const key = entry.slice(0, separator);
    const tenant = entry.slice(separator + 1);
    if (separator <= 0 || tenant.length === 0 || key.length < 16) {
      // Never echo the key itself.
      throw new ConfigError(
        'CREW_API_KEYS',
        'expected a comma list of key:tenant or key:* with keys of at least 16 characters',
        '<redacted>',
      );
    }
    return { key, tenant };
  });
}

/** Parses and validates the whole environment once. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env): AppConfig {
  const port = int(env, 'PORT', 8002, 0, 65535);
  const host = str(env, 'HOST', '0.0.0.0');
  const apiKey = optionalStr(env, 'OPENAI_API_KEY');
  const baseUrl = httpUrl(env, 'OPENAI_BASE_URL');
  return {
    server: {
      port,
      host,
      environment: oneOf(env, 'ENVIRONMENT', ['development', 'production', 'test'] as const, 'development'),
      debug: bool(env, 'DEBUG', false),
      logLevel: logLevel(env),
      corsOrigins: list(env, 'CORS_ORIGINS'),
      bodyLimitBytes: byteSize(env, 'BODY_LIMIT', 1024 * 1024),
      bulkBodyLimitBytes: Math.max(byteSize(env, 'BULK_BODY_LIMIT', 16 * 1024 * 1024), byteSize(env, 'BODY_LIMIT', 1024 * 1024)),
      publicUrl: httpUrl(env, 'CREW_PUBLIC_URL', `http://localhost:${port}`) as string,
    },
    database: database(env),
    llm: {
      apiKey,
      baseUrl,
      model: str(env, 'OPENAI_MODEL', 'gpt-4o-mini'),
      requestTimeoutMs: int(env, 'LLM_REQUEST_TIMEOUT', 60, 1, 600) * 1000,
      maxRetries: int(env, 'LLM_MAX_RETRIES', 3, 0, 10),
      prices: prices(env),
      enabled: apiKey !== undefined || baseUrl !== undefined,
    },
    crew: {
      maxConcurrentWorkflows: int(env, 'MAX_CONCURRENT_WORKFLOWS', 10, 1, 500),
      defaultTimeoutS: int(env, 'DEFAULT_CREW_TIMEOUT', 300, 1, 3600),
      agentExecutionTimeoutS: int(env, 'AGENT_EXECUTION_TIMEOUT', 120, 1, 3600),
      agentMaxIterations: int(env, 'AGENT_MAX_ITERATIONS', 10, 1, 100),
      cachingEnabled: bool(env, 'ENABLE_CREW_CACHING', true),
      cacheTtlS: int(env, 'CREW_CACHE_TTL_SECONDS', 3600, 1, 30 * 24 * 3600),
      maxRpm: int(env, 'MAX_RPM', 100, 1, 100_000),
      memoryEnabled: bool(env, 'ENABLE_AGENT_MEMORY', true),
      memoryLimit: int(env, 'CREW_MEMORY_LIMIT', 1000, 1, 1_000_000),
      tenantDailyBudgetUsd: num(env, 'TENANT_DAILY_BUDGET_USD', undefined, 0, 1_000_000),
      workerEnabled: bool(env, 'WORKER_ENABLED', true),
      shutdownGraceS: int(env, 'SHUTDOWN_GRACE_SECONDS', 25, 0, 3600),
      maxAttempts: int(env, 'TASK_MAX_ATTEMPTS', 3, 1, 10),
      queueMaintenanceS: int(env, 'QUEUE_MAINTENANCE_SECONDS', 15, 1, 3600),
      expiryMarginS: int(env, 'TASK_EXPIRY_MARGIN_SECONDS', 15, 1, 3600),
      callbackRetryDelayS: int(env, 'CALLBACK_RETRY_DELAY_SECONDS', 2, 1, 3600),
    },
    brain: {
      url: httpUrl(env, 'BRAIN_API_URL', 'http://localhost:8001') as string,
      token: optionalStr(env, 'BRAIN_API_TOKEN'),
      autoRegister: bool(env, 'BRAIN_AUTO_REGISTER', false),
    },
    security: {
      apiKeys: apiKeys(env),
      metricsToken: optionalStr(env, 'METRICS_TOKEN'),
      outboundAllowPrivate: bool(env, 'OUTBOUND_ALLOW_PRIVATE', false),
    },
    monitoring: {
      enabled: bool(env, 'MONITORING_ENABLED', true),
      retentionDays: int(env, 'METRICS_RETENTION_DAYS', 7, 1, 3650),
      alertWebhookUrl: httpUrl(env, 'ALERT_WEBHOOK_URL'),
    },
  };
}

/** The core of the configuration tree (DESIGN.md §13's variables and the queue's), injected as APP_CONFIG. */
export const appConfigSection = configSection(APP_CONFIG, loadConfig);
