import { COMPLEXITIES, type Complexity } from '../../tasks/task.types.js';

/**
 * Complexity keywords (DESIGN.md §7) with the inflections we accept. Matching is by whole token, never by
 * substring, so "target", "budget", "widget" and "targeting" are not "get". "integration(s)" and
 * "analytics" are deliberately absent: they name domains and categories, and "integration" would send every
 * sync task to a crew.
 */
export const COMPLEXITY_KEYWORDS: Readonly<Record<Complexity, readonly string[]>> = {
  simple: [
    'get',
    'gets',
    'list',
    'lists',
    'listing',
    'read',
    'reads',
    'fetch',
    'fetches',
    'retrieve',
    'retrieves',
    'retrieval',
    'show',
    'shows',
  ],
  moderate: [
    'create',
    'creates',
    'creation',
    'update',
    'updates',
    'delete',
    'deletes',
    'deletion',
    'validate',
    'validates',
    'validation',
    'process',
    'processes',
    'processing',
  ],
  complex: [
    'analyze',
    'analyzes',
    'analyzing',
    'analyse',
    'analyses',
    'analysing',
    'analysis',
    'optimize',
    'optimizes',
    'optimizing',
    'optimise',
    'optimises',
    'optimising',
    'optimization',
    'optimisation',
    'recommend',
    'recommends',
    'recommendation',
    'recommendations',
    'generate',
    'generates',
    'generating',
    'generation',
    'predict',
    'predicts',
    'prediction',
    'predictions',
    'predictive',
    'forecast',
    'forecasts',
    'forecasting',
    'segment',
    'segments',
    'segmenting',
    'segmentation',
    'score',
    'scores',
    'scoring',
  ],
  expert: [
    'orchestrate',
    'orchestrates',
    'orchestration',
    'workflow',
    'workflows',
    'coordinate',
    'coordinates',
    'coordination',
    'integrate',
    'integrates',
    'integrating',
    'comprehensive',
  ],
};

/** Upper bounds (exclusive) of the data-volume buckets; the index is the bucket's complexity level. */
const VOLUME_BOUNDS = [1_000, 10_000, 100_000] as const;
const VOLUME_LABELS = ['< 1K', '< 10K', '< 100K', '≥ 100K'] as const;
export type VolumeBucket = (typeof VOLUME_LABELS)[number];

/** From this many parameters the task has enough inputs to reconcile to be one level harder. */
export const MANY_PARAMETERS = 8;

export interface ComplexityInput {
  type: string;
  description: string;
  /** Rows the task touches; 0 (the API default) means "not stated" and is no signal. */
  dataVolume?: number;
  parameters?: Readonly<Record<string, unknown>>;
  /** The catalogue's default complexity when the type is in the catalogue. */
  catalogueComplexity?: Complexity;
}

export type SignalSource = 'catalogue' | 'keywords' | 'default' | 'data_volume' | 'parameters';

export interface ComplexitySignal {
  source: SignalSource;
  /** Contribution to the score: the starting level (1–4) for the first signal, −1/0/+1 for the others. */
  points: number;
  detail: string;
}

export interface ComplexityAnalysis {
  complexity: Complexity;
  /** 1 (simple) … 4 (expert); `complexity` is `COMPLEXITIES[score - 1]`. */
  score: number;
  signals: ComplexitySignal[];
  /** Complexity keywords found in type + description, by level (also when the catalogue decided). */
  keywords: Record<Complexity, string[]>;
}

/**
 * Splits text into lowercase alphanumeric words: `get_customer_list` → get, customer, list; camelCase is
 * split too (`getCustomerList`). Keyword rules compare whole tokens only.
 */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 0);
}

/** The distinct tokens that are in `words`, in order of first appearance. */
export function matchWords(tokens: readonly string[], words: readonly string[]): string[] {
  const wanted = new Set(words);
  return [...new Set(tokens.filter((token) => wanted.has(token)))];
}

export function complexityLevel(complexity: Complexity): number {
  return COMPLEXITIES.indexOf(complexity) + 1;
}

export function volumeBucket(dataVolume: number): { level: number; label: VolumeBucket } {
  const index = VOLUME_BOUNDS.findIndex((bound) => dataVolume < bound);
  const bucket = index === -1 ? VOLUME_BOUNDS.length : index;
  return { level: bucket + 1, label: VOLUME_LABELS[bucket] };
}

/**
 * Scores complexity on a 1–4 scale (simple … expert):
 * 1. Start: the catalogue default when the type is known (catalogue first); else the highest level among
 *    the keywords found in type + description; else simple.
 * 2. A stated data volume whose bucket (< 1K simple, < 10K moderate, < 100K complex, more expert) is above
 *    the start adds 1; below it subtracts 1 — except that a catalogue default is a floor. Keywords say what
 *    kind of work it is, the volume how much of it: "analyze" on 5,000 rows is moderate, on 50,000 complex.
 * 3. `MANY_PARAMETERS` or more parameters add 1.
 * The sum is clamped to 1–4.
 */
export function analyzeComplexity(input: ComplexityInput): ComplexityAnalysis {
  const dataVolume = input.dataVolume ?? 0;
  if (!Number.isFinite(dataVolume) || dataVolume < 0) throw new RangeError(`dataVolume must be a number ≥ 0, got ${dataVolume}`);

  const tokens = tokenize(`${input.type} ${input.description}`);
  const keywords = {} as Record<Complexity, string[]>;
  for (const level of COMPLEXITIES) keywords[level] = matchWords(tokens, COMPLEXITY_KEYWORDS[level]);

  const signals: ComplexitySignal[] = [startSignal(input.catalogueComplexity, keywords)];
  const start = signals[0].points;

  if (dataVolume > 0) signals.push(volumeSignal(dataVolume, start, input.catalogueComplexity !== undefined));

  const parameterCount = Object.keys(input.parameters ?? {}).length;
  if (parameterCount >= MANY_PARAMETERS) {
    signals.push({ source: 'parameters', points: 1, detail: `${parameterCount} parameters raise it one level` });
  }

  const total = signals.reduce((sum, signal) => sum + signal.points, 0);
  const score = Math.min(COMPLEXITIES.length, Math.max(1, total));
  return { complexity: COMPLEXITIES[score - 1], score, signals, keywords };
}

function startSignal(catalogue: Complexity | undefined, keywords: Record<Complexity, string[]>): ComplexitySignal {
  if (catalogue) return { source: 'catalogue', points: complexityLevel(catalogue), detail: `catalogue default ${catalogue}` };
  const highest = [...COMPLEXITIES].reverse().find((level) => keywords[level].length > 0);
  if (highest) {
    return { source: 'keywords', points: complexityLevel(highest), detail: `keywords ${keywords[highest].join(', ')} → ${highest}` };
  }
  return { source: 'default', points: 1, detail: 'no catalogue entry or complexity keyword → simple' };
}

function volumeSignal(dataVolume: number, start: number, catalogueFloor: boolean): ComplexitySignal {
  const bucket = volumeBucket(dataVolume);
  const what = `data volume ${dataVolume.toLocaleString('en-US')} (${bucket.label})`;
  if (bucket.level > start) return { source: 'data_volume', points: 1, detail: `${what} raises it one level` };
  if (bucket.level === start) return { source: 'data_volume', points: 0, detail: `${what} agrees` };
  if (catalogueFloor) return { source: 'data_volume', points: 0, detail: `${what} cannot go below the catalogue default` };
  return { source: 'data_volume', points: -1, detail: `${what} lowers it one level` };
}
