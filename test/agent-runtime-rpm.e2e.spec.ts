import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { EMBEDDED_POSTGRES } from '../src/database/database.module.js';
import type { EmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { LlmClient, llmClientOptions } from '../src/llm/llm-client.js';
import { loadLlmRuntimeConfig } from '../src/llm/llm-runtime.config.js';
import { LlmAbortedError } from '../src/llm/llm.errors.js';
import { LlmRateLimiter } from '../src/llm/rate-limiter.service.js';
import { eventually } from './support/loopback-server.js';
import { reply, type ScriptedOpenAiServer, startScriptedOpenAiServer } from './support/scripted-openai-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** A window long enough that the checks below happen inside it on a slow machine, short enough for a test. */
const WINDOW_S = '5';

describe('MAX_RPM across instances (shared limiter in PostgreSQL)', () => {
  let server: ScriptedOpenAiServer;
  let testApp: TestApp;
  /** The second instance: its own pool on the same database, its own limiter and client. */
  let otherDataSource: DataSource;
  let other: { limiter: LlmRateLimiter; client: LlmClient };
  let app: { limiter: LlmRateLimiter; client: LlmClient };

  beforeAll(async () => {
    server = await startScriptedOpenAiServer((_body, index) => reply.message(`answer ${index}`));
    // RPM_WINDOW_SECONDS: a test-only knob; production keeps the one-minute window.
    testApp = await createTestApp({ MAX_RPM: '5', OPENAI_BASE_URL: server.url, LLM_MAX_RETRIES: '0', RPM_WINDOW_SECONDS: WINDOW_S });
    app = { limiter: testApp.app.get(LlmRateLimiter), client: testApp.app.get(LlmClient) };

    const embedded = testApp.app.get<EmbeddedPostgres | null>(EMBEDDED_POSTGRES);
    const target = testApp.database.url ? { url: testApp.database.url } : { socketDir: embedded?.socketDir };
    otherDataSource = await new DataSource({ ...dataSourceOptions({ ...target, poolSize: 4 }) }).initialize();
    const config = loadConfig(testApp.env);
    other = {
      limiter: new LlmRateLimiter(otherDataSource, config, loadLlmRuntimeConfig({ RPM_WINDOW_SECONDS: WINDOW_S })),
      client: new LlmClient(llmClientOptions(config.llm)),
    };
  });
  afterAll(async () => {
    await otherDataSource?.destroy();
    await testApp?.dispose();
    await server?.close();
  });

  const call = async (instance: { limiter: LlmRateLimiter; client: LlmClient }, signal = new AbortController().signal) => {
    await instance.limiter.acquire(signal);
    return instance.client.chat({ messages: [{ role: 'user', content: 'hi' }], signal });
  };

  it('lets 5 of 8 concurrent calls from two instances through in one window; the rest wait for the next', async () => {
    await testApp.app.get<DataSource>(getDataSourceToken()).query(`DELETE FROM llm_rate_limits`);
    const calls = [app, other, app, other, app, other, app, other].map((instance) => call(instance));

    await eventually(() => server.chatRequests.length >= 5 && app.limiter.waiting + other.limiter.waiting === 3);
    // Three callers are parked in the limiter and the provider has seen exactly five requests.
    expect(server.chatRequests).toHaveLength(5);
    expect(app.limiter.waiting + other.limiter.waiting).toBe(3);

    const answers = await Promise.all(calls);
    expect(answers).toHaveLength(8);
    expect(server.chatRequests).toHaveLength(8);
    expect(app.limiter.waiting + other.limiter.waiting).toBe(0);
  });

  it('stops waiting for a slot when the task is cancelled', async () => {
    await testApp.app.get<DataSource>(getDataSourceToken()).query(`DELETE FROM llm_rate_limits`);
    const before = server.chatRequests.length;
    await Promise.all([1, 2, 3, 4, 5].map(() => call(app)));
    const controller = new AbortController();
    const waiting = call(other, controller.signal).then(
      () => undefined,
      (error: unknown) => error,
    );
    await eventually(() => other.limiter.waiting === 1);
    const reason = new Error('task cancelled');
    controller.abort(reason);
    const error = await waiting;
    expect(error).toBeInstanceOf(LlmAbortedError);
    expect((error as LlmAbortedError).reason).toBe(reason);
    expect(other.limiter.waiting).toBe(0);
    expect(server.chatRequests.length - before).toBe(5);
  });
});
