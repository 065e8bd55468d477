import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { LIVE_BODY, LIVE_PATH } from './baseline/bare-health.js';
import type { Benchmark, BenchResult, Figure } from './lib/benchmark.js';
import { compareInterleaved, type HttpAnswer, type LoadTarget } from './lib/load.js';
import { freePort, startApp } from './lib/process.js';
import { forEachDatabase, startService } from './lib/service.js';
import type { Summary } from './lib/stats.js';

const BASELINE_SCRIPT = fileURLToPath(new URL('./baseline/bare-health.js', import.meta.url));
const RPS_TARGET = 0.8;
const BENCH_KEY = 'bench-service-key-0123456789abcdef';

function live(answer: HttpAnswer): boolean {
  if (answer.status !== 200) return false;
  try {
    return isDeepStrictEqual(JSON.parse(answer.body), LIVE_BODY);
  } catch {
    return false;
  }
}

export const benchmark: Benchmark = {
  name: 'health-rps',
  description: `GET ${LIVE_PATH} requests per second: the service (production settings) vs a bare NestJS endpoint answering the same JSON`,
  run(context) {
    return forEachDatabase(context, ['embedded', 'postgres'], async (phase, scope): Promise<BenchResult> => {
      context.log(`${phase.label}: starting the service and the bare NestJS endpoint`);
      // Production settings, as deployed: API keys on (the probe is public, but the guard still runs).
      const service = await startService(context, scope, phase, {
        ENVIRONMENT: 'production',
        CREW_API_KEYS: `${BENCH_KEY}:*`,
      });
      const baseline = await startApp(scope, {
        name: 'bare NestJS endpoint',
        script: BASELINE_SCRIPT,
        cwd: phase.cwd,
        port: await freePort(),
        env: {},
        readyPath: LIVE_PATH,
      });
      const targets: LoadTarget[] = [
        { name: 'service', url: `${service.baseUrl}${LIVE_PATH}`, method: 'GET', check: live },
        { name: 'baseline', url: `${baseline.baseUrl}${LIVE_PATH}`, method: 'GET', check: live },
      ];
      const { summaries } = await compareInterleaved(targets, context.settings, context.log);
      const serviceSummary = summaries.get('service') as Summary;
      const baselineSummary = summaries.get('baseline') as Summary;
      const label = phase.label;
      const figures: Figure[] = [
        {
          figure: `${label}: /health/live throughput`,
          unit: 'req/s',
          value: serviceSummary.throughput,
          baseline: baselineSummary.throughput,
          target: { on: 'ratio', atLeast: RPS_TARGET },
        },
        { figure: `${label}: /health/live p50 latency`, unit: 'ms', value: serviceSummary.p50, baseline: baselineSummary.p50 },
        { figure: `${label}: /health/live p99 latency`, unit: 'ms', value: serviceSummary.p99, baseline: baselineSummary.p99 },
      ];
      const rounds = (summary: Summary): string => summary.perRound.map((value) => Math.round(value)).join(', ');
      return {
        figures,
        notes: [
          `${label}: req/s per round — service ${rounds(serviceSummary)}; baseline ${rounds(baselineSummary)}; ` +
            `failed requests: service ${serviceSummary.failed}, baseline ${baselineSummary.failed}.`,
        ],
      };
    });
  },
};
