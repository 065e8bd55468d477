import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { BenchContext, Benchmark, BenchResult } from './lib/benchmark.js';
import { type DbTarget, withClient } from './lib/postgres.js';
import type { Scope } from './lib/process.js';
import { answerRequest, type ChatRequestBody, type ScriptedLlm, startScriptedLlm, toolResultsIn } from './lib/scripted-llm.js';
import { type DatabasePhase, type ExecuteAnswer, forEachDatabase, runTask, startService } from './lib/service.js';
import { percentile } from './lib/stats.js';

/** LLM calls of the long task: TURNS − 1 tool-call turns, then the answer. The short task makes one call. */
const TURNS = 5;
const ROUNDS = Number(process.env.BENCH_ORCHESTRATION_ROUNDS ?? 6);
const TASKS_PER_ROUND = 2;
const RAW_CALLS_PER_ROUND = 30;
const WARMUP_TASKS = 4;
const WARMUP_RAW_CALLS = 50;
const LEAD = { email: 'prospect@company.com', company: 'TechCorp Inc', role: 'CTO', engagement_score: 85, website_visits: 12 };
const MARKER = /\[bench-turns=(\d+)\]/;

/**
 * The model: as many tool-call turns as the task's description asks for (a marker only the user message
 * carries — recalled memories in the system prompt may quote older descriptions), each calling the agent's
 * own crm_lead_scoring tool on one lead, then a schema-valid answer.
 */
function script(body: ChatRequestBody): ReturnType<typeof answerRequest> {
  const user = (body.messages ?? [])
    .filter((message) => message.role === 'user')
    .map((message) => (typeof message.content === 'string' ? message.content : ''))
    .join('\n');
  const turns = Number(MARKER.exec(user)?.[1] ?? 1);
  const offersTool = (body.tools ?? []).some((tool) => tool.function?.name === 'crm_lead_scoring');
  if (offersTool && toolResultsIn(body) < turns - 1) return { toolCall: { name: 'crm_lead_scoring', arguments: { lead_data: LEAD } } };
  return answerRequest(body);
}

function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

async function task(baseUrl: string, tenant: string, turns: number): Promise<number> {
  const answer: ExecuteAnswer = await runTask(baseUrl, {
    type: 'crm_lead_scoring',
    description: `Benchmark: score this lead and explain the grade [bench-turns=${turns}]`,
    tenant_id: tenant,
    parameters: { lead_data: LEAD },
  });
  if (answer.status !== 'completed' || answer.metrics?.llm_calls !== turns || answer.strategy_used !== 'single_agent') {
    throw new Error(
      `a ${turns}-call task ended ${answer.status} via ${answer.strategy_used} with ${answer.metrics?.llm_calls} LLM calls: ${answer.error ?? ''}`,
    );
  }
  return (answer.execution_time ?? Number.NaN) * 1000;
}

async function rawCalls(client: OpenAI, body: ChatCompletionCreateParamsNonStreaming, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    const completion = await client.chat.completions.create(body);
    times.push(performance.now() - started);
    if (completion.choices.length !== 1) throw new Error('the raw SDK call got no choice back');
  }
  return times;
}

/** Durations of the tenant's llm steps, and of the tool steps the model asked for (children of an agent step). */
async function stepDurations(db: DbTarget, tenant: string): Promise<{ llm: number[]; tool: number[] }> {
  return withClient(db, async (client) => {
    const result = await client.query<{ kind: string; duration_ms: number }>(
      `SELECT s.kind, s.duration_ms FROM task_steps s
         JOIN tasks t ON t.id = s.task_id
         JOIN task_steps p ON p.id = s.parent_step_id
        WHERE t.tenant_id = $1 AND s.status = 'completed' AND p.kind = 'delegate' AND s.kind IN ('llm', 'tool')`,
      [tenant],
    );
    const of = (kind: string): number[] => result.rows.filter((row) => row.kind === kind).map((row) => row.duration_ms);
    return { llm: of('llm'), tool: of('tool') };
  });
}

async function measure(context: BenchContext, scope: Scope, phase: DatabasePhase, llm: ScriptedLlm): Promise<BenchResult> {
  const label = phase.label;
  context.log(`${label}: starting the service against the scripted model`);
  const service = await startService(context, scope, phase, {
    OPENAI_BASE_URL: llm.url,
    ENABLE_CREW_CACHING: 'false',
    // The limiter still takes its slot in PostgreSQL on every call; the limit just never makes a call wait.
    MAX_RPM: '100000',
    TENANT_RATE_LIMIT_PER_MINUTE: '0',
  });
  const raw = new OpenAI({ baseURL: llm.url, apiKey: 'not-needed', maxRetries: 0 });

  context.log(`${label}: warm-up (${WARMUP_TASKS} tasks, ${WARMUP_RAW_CALLS} raw calls)`);
  for (let i = 0; i < WARMUP_TASKS; i += 1) await task(service.baseUrl, `orch-warmup-${label}`, i % 2 === 0 ? TURNS : 1);
  // The raw calls replay what the service sent last (the answer turn of a long task): same model, messages, tools, schema.
  const replayed = llm.lastBody as unknown as ChatCompletionCreateParamsNonStreaming;
  await rawCalls(raw, replayed, WARMUP_RAW_CALLS);

  const tenant = `orch-${label}`;
  const short: number[] = [];
  const long: number[] = [];
  const rawTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    rawTimes.push(...(await rawCalls(raw, replayed, RAW_CALLS_PER_ROUND)));
    for (let i = 0; i < TASKS_PER_ROUND; i += 1) {
      // The order flips each round so drift falls on both kinds alike.
      const first = (round + i) % 2 === 0 ? 1 : TURNS;
      const second = first === 1 ? TURNS : 1;
      (first === 1 ? short : long).push(await task(service.baseUrl, tenant, first));
      (second === 1 ? short : long).push(await task(service.baseUrl, tenant, second));
    }
    context.log(`  round ${round + 1}/${ROUNDS}: raw ${median(rawTimes).toFixed(2)} ms, tasks ${median(short)} / ${median(long)} ms`);
  }
  const steps = await stepDurations(phase.db, tenant);
  const expectedSteps = short.length + long.length * TURNS;
  if (steps.llm.length !== expectedSteps) throw new Error(`${label}: ${steps.llm.length} llm steps recorded, expected ${expectedSteps}`);
  const expectedTools = long.length * (TURNS - 1);
  if (steps.tool.length !== expectedTools) throw new Error(`${label}: ${steps.tool.length} tool steps recorded, expected ${expectedTools}`);

  const rawMs = median(rawTimes);
  const shortMs = median(short);
  const longMs = median(long);
  const perRoundTrip = (longMs - shortMs) / (TURNS - 1);
  const stepMs = median(steps.llm);
  return {
    figures: [
      {
        figure: `${label}: orchestration overhead per LLM round trip (beyond the HTTP call)`,
        unit: 'ms',
        value: perRoundTrip - rawMs,
        baseline: rawMs,
      },
      { figure: `${label}: llm step in the trace (gateway + HTTP call)`, unit: 'ms', value: stepMs, baseline: rawMs },
    ],
    notes: [
      `${label}: raw SDK call ${rawMs.toFixed(2)} ms (median of ${rawTimes.length}, replaying the service's own request); ` +
        `task with 1 LLM call ${shortMs} ms, with ${TURNS} calls ${longMs} ms (medians of ${short.length} each, task duration) → ` +
        `${perRoundTrip.toFixed(1)} ms per extra round trip (LLM turn + its tool step); medians of ${steps.llm.length} llm steps ` +
        `${stepMs} ms and ${steps.tool.length} tool steps ${median(steps.tool)} ms.`,
    ],
  };
}

export const benchmark: Benchmark = {
  name: 'orchestration',
  description: `Per-LLM-round-trip orchestration overhead (zero-latency scripted model, crm_lead_scoring single_agent with 1 vs ${TURNS} LLM calls) next to the raw SDK call`,
  async run(context) {
    const llm = await startScriptedLlm(script);
    context.scope.defer(() => llm.close());
    const result = await forEachDatabase(context, ['embedded', 'postgres'], (phase, scope) => measure(context, scope, phase, llm));
    result.notes.push(
      `the model answers at once (loopback server in the benchmark process); ENABLE_CREW_CACHING=false, agent memory on (default), ` +
        `MAX_RPM=100000; value = (task time with ${TURNS} calls − with 1) / ${TURNS - 1} − raw call time; tasks run one at a time.`,
    );
    return result;
  },
};
