/**
 * `npm run demo`: loads the demo tenant into the RUNNING service (`npm start` first). The embedded database belongs
 * to the service process, so the data goes in through the API, as the task type load_demo_data. Built with the
 * service (dist/src/demo/demo.cli.js); it needs nothing but fetch, so any Node from 18 on runs it.
 *
 *   CREW_URL      the service (default http://localhost:8002)
 *   CREW_API_KEY  an API key when the service has CREW_API_KEYS: a service key, or the demo tenant's key
 *   --as-of YYYY-MM-DD   the day the data ends on (default: today, UTC)
 */
import { DEMO_TENANT, LOAD_DEMO_DATA } from './demo.constants.js';

const USAGE = 'Usage: npm run demo [-- --as-of YYYY-MM-DD]';

interface Answer {
  status?: string;
  detail?: string;
  error?: string | null;
  result?: { message: string; loaded: boolean };
}

/** The task's parameters from the command line; null when an argument is not understood. */
function demoParameters(argv: string[]): { as_of?: string } | null {
  const parameters: { as_of?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--as-of' && i + 1 < argv.length) parameters.as_of = argv[++i];
    else if (arg.startsWith('--as-of=')) parameters.as_of = arg.slice('--as-of='.length);
    else return null;
  }
  return parameters;
}

/** Runs the load; answers the exit code (0 loaded or already there, 1 refused or unreachable, 2 bad arguments). */
async function runDemo(argv: string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const parameters = demoParameters(argv);
  if (parameters === null) {
    err.write(`${USAGE}\n`);
    return 2;
  }
  const base = (env.CREW_URL ?? 'http://localhost:8002').replace(/\/+$/, '');
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Tenant-ID': DEMO_TENANT };
  if (env.CREW_API_KEY) headers['X-API-Key'] = env.CREW_API_KEY;
  let response: Response;
  try {
    response = await fetch(`${base}/api/crew/execute`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: LOAD_DEMO_DATA, description: 'Load the demo tenant', parameters }),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    err.write(
      `The service does not answer at ${base} (${cause}). Start it first (npm start, in another terminal), then run npm run demo ` +
        'again; set CREW_URL if it listens elsewhere.\n',
    );
    return 1;
  }
  const answer = (await response.json().catch(() => ({}))) as Answer;
  if (!response.ok || answer.status !== 'completed' || !answer.result) {
    err.write(`Loading the demo tenant failed: ${answer.detail ?? answer.error ?? `HTTP ${response.status}`}\n`);
    if (response.status === 401 || response.status === 403) err.write("Set CREW_API_KEY to a service key or to the demo tenant's key.\n");
    return 1;
  }
  out.write(`${answer.result.message}\n`);
  out.write(
    `\nAsk it something (tenant "${DEMO_TENANT}"):\n` +
      `  curl -s -X POST ${base}/api/crew/execute -H 'Content-Type: application/json' -H 'X-Tenant-ID: ${DEMO_TENANT}' \\\n` +
      `    -d '{"type": "analyze_customer_churn", "description": "Predict customer churn risk", "requires_ai": true, "data_volume": 5000}'\n` +
      "The README's Quick start shows more.\n",
  );
  return 0;
}

process.exitCode = await runDemo(process.argv.slice(2), process.env, process.stdout, process.stderr);
