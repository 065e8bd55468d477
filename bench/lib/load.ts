import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadSettings } from './benchmark.js';
import { type LoadSample, type Summary, summarize } from './stats.js';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One kind of request driven at a target; `check` decides whether an answer counts as a success. */
export interface LoadTarget {
  name: string;
  url: string;
  /** POST (the default) sends `body` as JSON; GET sends no body. */
  method?: 'GET' | 'POST';
  body?: unknown;
  /** Extra request headers (e.g. an API key). */
  headers?: Record<string, string>;
  check(answer: HttpAnswer): boolean;
}

// A dead or broken target fails every request at once: stop instead of spinning for the whole round.
const MAX_FAILURES = 50;
// A request that hangs (a stuck server) becomes a failure instead of stalling the run forever.
const REQUEST_TIMEOUT_MS = 30_000;

/** A POST of `payload` as JSON, or a GET when there is no payload. */
function send(agent: Agent, url: URL, payload: Buffer | undefined, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        agent,
        method: payload ? 'POST' : 'GET',
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': payload.length, accept: 'application/json', ...headers }
          : { accept: 'application/json', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.setTimeout(REQUEST_TIMEOUT_MS, () => outgoing.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    outgoing.on('error', reject);
    if (payload) outgoing.end(payload);
    else outgoing.end();
  });
}

/**
 * Closed-loop load: `connections` keep-alive connections each send the next request as soon as the previous
 * answer arrives, until `durationMs` has passed; requests in flight at the deadline are awaited and counted.
 */
export async function runLoad(target: LoadTarget, connections: number, durationMs: number): Promise<LoadSample> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(target.url);
  const payload = target.method === 'GET' ? undefined : Buffer.from(JSON.stringify(target.body ?? null));
  const sample: LoadSample = { ok: 0, failed: 0, elapsedMs: 0, latenciesMs: [] };
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && sample.failed < MAX_FAILURES) {
      const sent = performance.now();
      let failure: string | undefined;
      try {
        const answer = await send(agent, url, payload, target.headers);
        if (target.check(answer)) sample.latenciesMs.push(performance.now() - sent);
        else failure = `HTTP ${answer.status}: ${answer.body.slice(0, 300)}`;
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      if (failure === undefined) sample.ok += 1;
      else {
        sample.failed += 1;
        sample.firstFailure ??= failure;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, worker));
  } finally {
    agent.destroy();
  }
  sample.elapsedMs = performance.now() - started;
  if (sample.failed >= MAX_FAILURES) {
    throw new Error(`${target.name}: ${sample.failed} failed requests, first: ${sample.firstFailure ?? 'unknown'}`);
  }
  return sample;
}

export interface Comparison {
  summaries: Map<string, Summary>;
  /** Successful requests per target including the warm-up (what must have been persisted). */
  totalOk: Map<string, number>;
}

/**
 * Warms every target up, then measures them in `rounds` alternating rounds (the order flips each round) so
 * that drift on a shared machine — other processes, GC, a growing table — falls on all targets alike.
 */
export async function compareInterleaved(
  targets: readonly LoadTarget[],
  settings: LoadSettings,
  log: (message: string) => void,
): Promise<Comparison> {
  const samples = new Map<string, LoadSample[]>(targets.map((target) => [target.name, []]));
  const totalOk = new Map<string, number>(targets.map((target) => [target.name, 0]));
  const add = (target: LoadTarget, sample: LoadSample): void => {
    totalOk.set(target.name, (totalOk.get(target.name) ?? 0) + sample.ok);
  };
  for (const target of targets) {
    const warmup = await runLoad(target, settings.connections, settings.warmupMs);
    add(target, warmup);
    log(`  warm-up ${target.name}: ${Math.round((warmup.ok * 1000) / warmup.elapsedMs)} req/s`);
  }
  for (let round = 0; round < settings.rounds; round += 1) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) {
      const sample = await runLoad(target, settings.connections, settings.roundMs);
      add(target, sample);
      samples.get(target.name)?.push(sample);
      log(`  round ${round + 1}/${settings.rounds} ${target.name}: ${Math.round((sample.ok * 1000) / sample.elapsedMs)} req/s`);
    }
  }
  return {
    summaries: new Map(targets.map((target) => [target.name, summarize(samples.get(target.name) ?? [])])),
    totalOk,
  };
}
