import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ENTRY = join(import.meta.dirname, '..', '..', 'dist', 'src', 'main.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The service as a real process (from the compiled build, as operators run it). */
export class ServiceProcess {
  readonly output: string[] = [];
  private child?: ChildProcess;
  private exited?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  static async start(env: Record<string, string>): Promise<ServiceProcess> {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first (npm test does it in pretest)`);
    const service = new ServiceProcess(await freePort(), env);
    await service.spawn();
    return service;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  private async spawn(): Promise<void> {
    const child = spawn(process.execPath, [ENTRY], {
      env: {
        PATH: process.env.PATH ?? '',
        ENVIRONMENT: 'test',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        ...this.env,
        PORT: String(this.port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`service exited during start:\n${this.output.join('')}`);
      try {
        const response = await fetch(`${this.url}/api/crew/health/ready`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`service did not become ready:\n${this.output.join('')}`);
  }

  kill(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  async waitForExit(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`service did not exit within ${ms} ms:\n${this.output.join('')}`)), ms);
    });
    try {
      return await Promise.race([this.exited as Promise<{ code: number | null; signal: NodeJS.Signals | null }>, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** DATABASE_URL for another process to reach the test app's database (embedded socket or server). */
export function sharedDatabaseUrl(env: Record<string, string>): string {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  return `postgres://postgres@localhost/postgres?host=${encodeURIComponent(env.CREW_DATA_DIR)}`;
}
