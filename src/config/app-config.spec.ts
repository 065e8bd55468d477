import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AppConfig, DEFAULT_PRICES, loadConfig } from './app-config.js';
import { ConfigError, type Env } from './env-parsers.js';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function configError(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('an empty environment gives every documented default (embedded database, deterministic mode)', () => {
    const expected: DeepPartial<AppConfig> = {
      server: {
        port: 8002,
        host: '0.0.0.0',
        environment: 'development',
        debug: false,
        logLevel: 'info',
        corsOrigins: [],
        bodyLimitBytes: 1024 * 1024,
        bulkBodyLimitBytes: 16 * 1024 * 1024,
        publicUrl: 'http://localhost:8002',
      },
      database: { kind: 'embedded', dataDir: resolve(process.cwd(), '.data'), preparedStatements: true },
      llm: {
        apiKey: undefined,
        baseUrl: undefined,
        model: 'gpt-4o-mini',
        requestTimeoutMs: 60_000,
        maxRetries: 3,
        prices: DEFAULT_PRICES,
        enabled: false,
      },
      crew: {
        maxConcurrentWorkflows: 10,
        defaultTimeoutS: 300,
        agentExecutionTimeoutS: 120,
        agentMaxIterations: 10,
        cachingEnabled: true,
        cacheTtlS: 3600,
        maxRpm: 100,
        memoryEnabled: true,
        memoryLimit: 1000,
        tenantDailyBudgetUsd: undefined,
        workerEnabled: true,
      },
      brain: { url: 'http://localhost:8001', token: undefined, autoRegister: false },
      security: { apiKeys: [], metricsToken: undefined, outboundAllowPrivate: false },
      monitoring: { enabled: true, retentionDays: 7, alertWebhookUrl: undefined },
    };
    expect(loadConfig({})).toMatchObject(expected);
    // Execution-queue settings (not in DESIGN.md §13 but validated the same way).
    expect(loadConfig({}).crew).toMatchObject({
      shutdownGraceS: 25,
      maxAttempts: 3,
      queueMaintenanceS: 15,
      expiryMarginS: 15,
      callbackRetryDelayS: 2,
    });
  });

  it('empty values count as unset (FOO= in a .env file keeps the default)', () => {
    const config = loadConfig({ PORT: '', MAX_RPM: '  ', ENVIRONMENT: '', OPENAI_API_KEY: '' });
    expect(config.server.port).toBe(8002);
    expect(config.crew.maxRpm).toBe(100);
    expect(config.server.environment).toBe('development');
    expect(config.llm.enabled).toBe(false);
  });

  it('BULK_BODY_LIMIT is never below BODY_LIMIT', () => {
    const config = loadConfig({ BODY_LIMIT: '20mb', BULK_BODY_LIMIT: '2mb' });
    expect(config.server).toMatchObject({ bodyLimitBytes: 20 * 1024 * 1024, bulkBodyLimitBytes: 20 * 1024 * 1024 });
  });

  it('reads the documented variables', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '127.0.0.1',
      ENVIRONMENT: 'Production',
      DEBUG: 'yes',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      BODY_LIMIT: '2mb',
      BULK_BODY_LIMIT: '32mb',
      CREW_PUBLIC_URL: 'https://crew.example/',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1/',
      OPENAI_MODEL: 'gpt-4.1-mini',
      LLM_REQUEST_TIMEOUT: '30',
      LLM_MAX_RETRIES: '0',
      MAX_CONCURRENT_WORKFLOWS: '25',
      DEFAULT_CREW_TIMEOUT: '600',
      ENABLE_CREW_CACHING: 'off',
      TENANT_DAILY_BUDGET_USD: '12.5',
      WORKER_ENABLED: 'false',
      BRAIN_API_URL: 'https://brain.example',
      BRAIN_AUTO_REGISTER: '1',
      CREW_API_KEYS: '0123456789abcdef-acme:acme, service-key-0123456789:*',
      OUTBOUND_ALLOW_PRIVATE: 'true',
      METRICS_RETENTION_DAYS: '30',
    });
    expect(config.server).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      environment: 'production',
      debug: true,
      corsOrigins: ['https://a.example', 'https://b.example'],
      bodyLimitBytes: 2 * 1024 * 1024,
      bulkBodyLimitBytes: 32 * 1024 * 1024,
      publicUrl: 'https://crew.example',
    });
    expect(config.llm).toMatchObject({
      apiKey: 'sk-test',
      baseUrl: 'http://127.0.0.1:9999/v1',
      model: 'gpt-4.1-mini',
      requestTimeoutMs: 30_000,
      maxRetries: 0,
      enabled: true,
    });
    expect(config.crew).toMatchObject({
      maxConcurrentWorkflows: 25,
      defaultTimeoutS: 600,
      cachingEnabled: false,
      tenantDailyBudgetUsd: 12.5,
      workerEnabled: false,
    });
    expect(config.brain).toMatchObject({ url: 'https://brain.example', autoRegister: true });
    expect(config.security).toMatchObject({
      apiKeys: [
        { key: '0123456789abcdef-acme', tenant: 'acme' },
        { key: 'service-key-0123456789', tenant: '*' },
      ],
      outboundAllowPrivate: true,
    });
    expect(config.monitoring.retentionDays).toBe(30);
  });

  it('a base URL alone (a local OpenAI-compatible server) enables the LLM', () => {
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1' }).llm.enabled).toBe(true);
    expect(loadConfig({ OPENAI_API_KEY: 'sk-x' }).llm.enabled).toBe(true);
  });

  it.each([
    ['DEBUG', 'debug'],
    ['INFO', 'info'],
    ['WARNING', 'warning'],
    ['ERROR', 'error'],
    ['warn', 'warning'],
    ['debug', 'debug'],
  ])('LOG_LEVEL=%s → %s', (value, level) => {
    expect(loadConfig({ LOG_LEVEL: value }).server.logLevel).toBe(level);
  });

  describe('database', () => {
    it('POSTGRES_* builds a URL, escaping user, password and database', () => {
      const config = loadConfig({
        POSTGRES_HOST: 'db.internal',
        POSTGRES_PORT: '5433',
        POSTGRES_USER: 'crew',
        POSTGRES_PASSWORD: 'p@ss word/:',
        POSTGRES_DB: 'ai_crew',
      });
      expect(config.database).toEqual({
        kind: 'postgres',
        url: 'postgres://crew:p%40ss%20word%2F%3A@db.internal:5433/ai_crew',
        preparedStatements: true,
      });
      expect(new URL(config.database.kind === 'postgres' ? config.database.url : '').password).toBe('p%40ss%20word%2F%3A');
    });

    it('POSTGRES_HOST alone uses the defaults for the rest', () => {
      expect(loadConfig({ POSTGRES_HOST: 'localhost' }).database).toEqual({
        kind: 'postgres',
        url: 'postgres://postgres@localhost:5432/ai_crew',
        preparedStatements: true,
      });
    });

    it('DATABASE_URL wins over POSTGRES_* and over CREW_DATA_DIR', () => {
      const url = 'postgresql://app:secret@127.0.0.1:5432/crew';
      expect(loadConfig({ DATABASE_URL: url, POSTGRES_HOST: 'ignored', CREW_DATA_DIR: '/tmp/x' }).database).toEqual({
        kind: 'postgres',
        url,
        preparedStatements: true,
      });
    });

    it('DATABASE_PREPARED_STATEMENTS turns prepared hot-path statements off, and refuses what is not a boolean', () => {
      expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).database.preparedStatements).toBe(false);
      expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'sometimes' })).toThrow(/DATABASE_PREPARED_STATEMENTS/);
    });

    it('CREW_DATA_DIR: absolute kept, relative resolved against the working directory', () => {
      expect(loadConfig({ CREW_DATA_DIR: '/var/lib/crew' }).database).toEqual({
        kind: 'embedded',
        dataDir: '/var/lib/crew',
        preparedStatements: true,
      });
      expect(loadConfig({ CREW_DATA_DIR: 'state/db' }).database).toEqual({
        kind: 'embedded',
        dataDir: resolve(process.cwd(), 'state/db'),
        preparedStatements: true,
      });
    });
  });

  it('LLM_PRICES extends the defaults; cached_input defaults to input', () => {
    const prices = loadConfig({ LLM_PRICES: '{"local-model":{"input":1,"output":2},"gpt-4o":{"input":3,"cached_input":1,"output":9}}' }).llm
      .prices;
    expect(prices['local-model']).toEqual({ input: 1, cachedInput: 1, output: 2 });
    expect(prices['gpt-4o']).toEqual({ input: 3, cachedInput: 1, output: 9 });
    expect(prices['gpt-4o-mini']).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
  });

  describe('a bad value stops the boot with one line naming the variable and what is allowed', () => {
    it.each([
      ['PORT', 'abc', 'expected an integer from 0 to 65535'],
      ['PORT', '70000', 'expected an integer from 0 to 65535'],
      ['PORT', '80.5', 'expected an integer from 0 to 65535'],
      ['MAX_CONCURRENT_WORKFLOWS', '0', 'expected an integer from 1 to 500'],
      ['DEFAULT_CREW_TIMEOUT', '3601', 'expected an integer from 1 to 3600'],
      ['METRICS_RETENTION_DAYS', '-1', 'expected an integer from 1 to 3650'],
      ['LLM_MAX_RETRIES', '11', 'expected an integer from 0 to 10'],
      ['TENANT_DAILY_BUDGET_USD', 'lots', 'expected a number from 0 to 1000000'],
      ['ENVIRONMENT', 'staging', 'expected one of development, production, test'],
      ['LOG_LEVEL', 'LOUD', 'expected one of DEBUG, INFO, WARNING, ERROR'],
      ['DATABASE_URL', 'mysql://x', 'expected a postgres:// or postgresql:// URL'],
      ['OPENAI_BASE_URL', 'not a url', 'expected an absolute http(s) URL'],
      ['BRAIN_API_URL', 'ftp://brain', 'expected an absolute http(s) URL'],
      ['ALERT_WEBHOOK_URL', 'hooks', 'expected an absolute http(s) URL'],
      ['LLM_PRICES', 'not json', 'expected JSON like'],
      ['LLM_PRICES', '{"m":{"input":-1,"output":1}}', 'expected JSON like'],
      ['LLM_PRICES', '[1,2]', 'expected JSON like'],
      ['BODY_LIMIT', 'huge', 'expected a size such as 1048576, 512kb or 1mb'],
      ['BODY_LIMIT', '500gb', 'expected a size from 1kb to 100mb'],
      ['BULK_BODY_LIMIT', '1tb', 'expected a size such as 1048576, 512kb or 1mb'],
      ['BULK_BODY_LIMIT', '200mb', 'expected a size from 1kb to 100mb'],
      ['WORKER_ENABLED', 'maybe', 'expected true or false (also 1/0, yes/no, on/off)'],
      ['DEBUG', 'sometimes', 'expected true or false'],
      ['POSTGRES_PORT', 'five', 'expected an integer from 1 to 65535'],
    ])('%s=%s', (variable, value, allowed) => {
      const env: Record<string, string> = { [variable]: value };
      if (variable === 'POSTGRES_PORT') env.POSTGRES_HOST = 'db';
      const error = configError(env);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.name).toBe('ConfigError');
      expect(error.variable).toBe(variable);
      expect(error.message).toContain(`Invalid configuration: ${variable}=`);
      expect(error.message).toContain(allowed);
      expect(error.message).not.toContain('\n');
    });

    it.each([
      ['short:t', 'short'],
      ['nocolonatallbutlongenough', 'nocolonatallbutlongenough'],
      ['0123456789abcdef-very-secret:', '0123456789abcdef-very-secret'],
      ['0123456789abcdef-good:acme,tiny-secret:beta', 'tiny-secret'],
    ])('CREW_API_KEYS=%s is refused without echoing the key', (value, secret) => {
      const error = configError({ CREW_API_KEYS: value });
      expect(error.variable).toBe('CREW_API_KEYS');
      expect(error.message).toContain('expected a comma list of key:tenant or key:* with keys of at least 16 characters');
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain('\n');
    });

    it('DATABASE_URL with a bad scheme does not echo its password', () => {
      const error = configError({ DATABASE_URL: 'mysql://crew:hunter2-secret@db:3306/crew' });
      expect(error.variable).toBe('DATABASE_URL');
      expect(error.message).not.toContain('hunter2-secret');
      expect(error.message).toContain('mysql://crew:***@db:3306/crew');
    });

    it('the first bad variable is the one reported', () => {
      expect(configError({ PORT: 'abc' }).message).toBe('Invalid configuration: PORT="abc" — expected an integer from 0 to 65535');
    });
  });
});
