import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_API_KEYS_WARNING } from '../src/auth/security-boot-check.js';
import { BrainGateway } from './support/brain-gateway.js';
import { eventually } from './support/loopback-server.js';
import { freePort, ServiceProcess, sharedDatabaseUrl } from './support/service-process.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const ENTRY = join(import.meta.dirname, '..', 'dist', 'src', 'main.js');
const TENANT_KEY = 'proc-tenant-key-7f3a9c1e5b2d8046';
const SERVICE_KEY = 'proc-service-key-4e8b2a6c0d9f1375';
const WRONG_KEY = 'proc-tenant-key-7f3a9c1e5b2d8047';
const BRAIN_TOKEN = 'proc-brain-token-a1b2c3d4e5f60718';

/** Runs main.js in an empty directory (no .env) until it exits; answers its exit code and output. */
async function runToExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; dataDir: string }> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first (npm test does it in pretest)`);
  const dataDir = await mkdtemp(join(tmpdir(), 'crew-refuse-'));
  const child = spawn(process.execPath, [ENTRY], {
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(await freePort()), CREW_DATA_DIR: join(dataDir, 'db'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`main.js did not exit within 20 s:\n${stdout}${stderr}`));
    }, 20_000);
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, stdout, stderr, dataDir };
}

describe('boot-time security checks (real process)', () => {
  it('production without CREW_API_KEYS exits non-zero with one clear line, before opening the database', async () => {
    const result = await runToExit({ ENVIRONMENT: 'production' });
    try {
      expect(result.code).toBe(78);
      expect(result.stderr).toBe(
        'Refusing to start: ENVIRONMENT=production requires CREW_API_KEYS (a comma list of key:tenant or key:* entries, keys of at least 16 characters).\n',
      );
      expect(result.stdout).toBe('');
      expect(await readdir(result.dataDir)).toEqual([]);
    } finally {
      await rm(result.dataDir, { recursive: true, force: true });
    }
  });

  it('a malformed key list is refused without echoing the key', async () => {
    const result = await runToExit({ ENVIRONMENT: 'production', CREW_API_KEYS: 'tooShortKey9:acme' });
    try {
      expect(result.code).toBe(78);
      expect(result.stderr).toBe(
        'Invalid configuration: CREW_API_KEYS="<redacted>" — expected a comma list of key:tenant or key:* with keys of at least 16 characters\n',
      );
      expect(result.stdout + result.stderr).not.toContain('tooShortKey9');
    } finally {
      await rm(result.dataDir, { recursive: true, force: true });
    }
  });

  it('a bad TENANT_RATE_LIMIT_PER_MINUTE stops the boot naming the variable', async () => {
    const result = await runToExit({ TENANT_RATE_LIMIT_PER_MINUTE: '-5' });
    try {
      expect(result.code).toBe(78);
      expect(result.stderr).toBe('Invalid configuration: TENANT_RATE_LIMIT_PER_MINUTE="-5" — expected an integer from 0 to 1000000\n');
    } finally {
      await rm(result.dataDir, { recursive: true, force: true });
    }
  });
});

describe('logs of a running service (real process)', () => {
  let database: TestApp;
  let gateway: BrainGateway;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    // The in-process app owns (and migrates) the database the processes share.
    database = await createTestApp();
    gateway = await new BrainGateway({ token: 'a-different-token-0000000000' }).start();
  });
  afterAll(async () => {
    await Promise.all(processes.map((service) => service.stop()));
    await gateway?.close();
    await database?.dispose();
  });

  it('never logs an API key or the Brain token, even at debug level in production', async () => {
    const service = await ServiceProcess.start({
      ENVIRONMENT: 'production',
      LOG_LEVEL: 'debug',
      DATABASE_URL: sharedDatabaseUrl(database.env),
      CREW_API_KEYS: `${TENANT_KEY}:acme,${SERVICE_KEY}:*`,
      BRAIN_API_URL: gateway.url,
      BRAIN_API_TOKEN: BRAIN_TOKEN,
      BRAIN_AUTO_REGISTER: 'true',
    });
    processes.push(service);
    const call = (path: string, init: RequestInit = {}) => fetch(`${service.url}${path}`, init);
    const json = { 'content-type': 'application/json' };
    const task = JSON.stringify({ type: 'get_task_list', description: 'x' });

    expect((await call('/api/crew/tasks')).status).toBe(401);
    expect((await call('/api/crew/tasks', { headers: { authorization: `Bearer ${WRONG_KEY}` } })).status).toBe(401);
    expect((await call('/api/crew/tasks', { headers: { 'x-api-key': WRONG_KEY } })).status).toBe(401);
    expect((await call('/api/crew/execute', { method: 'POST', headers: { ...json, 'x-api-key': TENANT_KEY }, body: task })).status).toBe(
      200,
    );
    expect(
      (
        await call('/api/crew/execute', {
          method: 'POST',
          headers: { ...json, 'x-api-key': TENANT_KEY, 'x-tenant-id': 'globex' },
          body: task,
        })
      ).status,
    ).toBe(403);
    expect((await call('/api/crew/tasks', { headers: { authorization: `Bearer ${SERVICE_KEY}` } })).status).toBe(422);
    expect(
      (await call('/api/crew/execute', { method: 'POST', headers: { ...json, authorization: `Bearer ${SERVICE_KEY}` }, body: '{bad json' }))
        .status,
    ).toBe(400);
    expect(
      (await call('/api/crew/brain/register-routes', { method: 'POST', headers: { authorization: `Bearer ${SERVICE_KEY}` } })).status,
    ).toBe(502);
    // The background registration was refused by the Brain (wrong token) and logged.
    await eventually(() => service.output.join('').includes('Brain registration attempt 1/8 failed'), 15_000);

    const output = service.output.join('');
    expect(output).toContain('AI Crew System listening on');
    for (const secret of [TENANT_KEY, SERVICE_KEY, WRONG_KEY, BRAIN_TOKEN]) {
      expect(output.includes(secret), `${secret.slice(0, 10)}… appears in the logs`).toBe(false);
    }
    expect(output).not.toContain(NO_API_KEYS_WARNING);
  });

  it('without keys outside production, boot warns loudly that everything is open', async () => {
    const service = await ServiceProcess.start({ ENVIRONMENT: 'development', DATABASE_URL: sharedDatabaseUrl(database.env) });
    processes.push(service);
    expect(service.output.join('')).toContain(NO_API_KEYS_WARNING);
    expect((await fetch(`${service.url}/api/crew/tasks?tenant_id=open`)).status).toBe(200);
  });
});
