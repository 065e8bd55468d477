import { performance } from 'node:perf_hooks';
import { segmentCustomers } from '../src/domains/crm/algorithms/index.js';
import { randomCustomers } from '../test/support/crm/crm-fixtures.js';
import type { Benchmark, BenchResult } from './lib/benchmark.js';
import { forEachDatabase, startService } from './lib/service.js';

const CUSTOMERS = 100_000;
const DATA_SEED = 42;
const RUNS = 3;
const TIME_TARGET_MS = 5_000;
const TENANT = 'bench-segmentation-http';

interface SegmentationAnswer {
  status: string;
  execution_time: number | null;
  result: { assignments?: unknown[]; quality?: { k_used: number } } | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One POST of the prepared body; the time runs until the whole answer is read and parsed. */
async function post(url: string, body: string): Promise<{ ms: number; bytes: number; answer: SegmentationAnswer }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tenant-id': TENANT },
    body,
    signal: AbortSignal.timeout(120_000),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`customer-segmentation answered ${response.status}: ${text.slice(0, 500)}`);
  return { ms, bytes: text.length, answer: JSON.parse(text) as SegmentationAnswer };
}

export const benchmark: Benchmark = {
  name: 'segmentation-http',
  description: `POST /api/crew/crm/customer-segmentation with ${CUSTOMERS.toLocaleString('en')} customers at default settings (BODY_LIMIT 1 MB, BULK_BODY_LIMIT 16 MB): request to answer, next to the segmentation alone in-process`,
  async run(context) {
    const customers = randomCustomers(CUSTOMERS, DATA_SEED);
    const body = JSON.stringify({ customer_data: customers, segmentation_type: 'behavioral' });
    const warmUp = JSON.stringify({ customer_data: randomCustomers(1_000, DATA_SEED + 1), segmentation_type: 'behavioral' });
    // The baseline: the same computation in this process, without HTTP, validation, queue or persistence.
    segmentCustomers({ customer_data: randomCustomers(1_000, DATA_SEED + 1) });
    const computeStarted = performance.now();
    segmentCustomers({ customer_data: customers });
    const computeMs = performance.now() - computeStarted;
    context.log(`  in-process: ${Math.round(computeMs)} ms`);

    return forEachDatabase(context, ['embedded', 'postgres'], async (phase, scope): Promise<BenchResult> => {
      // Default settings: nothing about body limits is set.
      const service = await startService(context, scope, phase);
      const url = `${service.baseUrl}/api/crew/crm/customer-segmentation`;
      await post(url, warmUp);
      const times: number[] = [];
      const serverTimes: number[] = [];
      let answerBytes = 0;
      for (let run = 0; run < RUNS; run += 1) {
        const { ms, bytes, answer } = await post(url, body);
        if (answer.status !== 'completed' || answer.result?.assignments?.length !== CUSTOMERS) {
          throw new Error(`run ${run + 1}: status ${answer.status}, ${answer.result?.assignments?.length ?? 0} assignments`);
        }
        times.push(ms);
        serverTimes.push((answer.execution_time ?? Number.NaN) * 1000);
        answerBytes = bytes;
        context.log(`  ${phase.label} run ${run + 1}: ${Math.round(ms)} ms (execution_time ${answer.execution_time ?? '?'} s)`);
      }
      await service.stop();
      return {
        figures: [
          {
            figure: `${phase.label}: 100K customers through HTTP, request to answer (median of ${RUNS})`,
            unit: 'ms',
            value: median(times),
            baseline: computeMs,
            target: { on: 'value', atMost: TIME_TARGET_MS },
          },
        ],
        notes: [
          `${phase.label}: request ${(body.length / 1024 / 1024).toFixed(1)} MB, answer ${(answerBytes / 1024 / 1024).toFixed(1)} MB; runs ${times.map((ms) => Math.round(ms)).join(', ')} ms; the task's execution_time ${serverTimes.map((ms) => Math.round(ms)).join(', ')} ms; baseline = segmentCustomers in-process on the same data.`,
        ],
      };
    });
  },
};
