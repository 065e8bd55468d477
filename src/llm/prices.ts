import { DEFAULT_PRICES, type ModelPrice } from '../config/app-config.js';

/** Tokens of one call. `cachedTokens` is the part of `inputTokens` served from the provider's prompt cache. */
export interface TokenUsage {
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
}

export interface CallCost {
  /** USD, rounded to 6 decimals like the numeric(14,6) columns it is stored in. */
  costUsd: number;
  /** False when no price is known for the model: the cost is then 0, not a guess. */
  priced: boolean;
  /** The price-table entry used. */
  priceModel?: string;
}

/** The `usage` object of a chat completion, as OpenAI-compatible servers send it. */
export interface WireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
}

export const ZERO_USAGE: Readonly<TokenUsage> = Object.freeze({ inputTokens: 0, cachedTokens: 0, outputTokens: 0 });

/** Normalises a wire `usage` (missing, partial or inconsistent on some servers) into TokenUsage. */
export function tokenUsage(usage: WireUsage | null | undefined): TokenUsage {
  const inputTokens = count(usage?.prompt_tokens);
  return {
    inputTokens,
    // Cached tokens are a subset of the prompt; never let a server's report exceed it.
    cachedTokens: Math.min(count(usage?.prompt_tokens_details?.cached_tokens), inputTokens),
    outputTokens: count(usage?.completion_tokens),
  };
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
}

/**
 * The price-table entry for a model: an exact name, or a dated snapshot of a listed model
 * (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`), which is what providers echo back in `model`.
 */
export function findPrice(
  model: string,
  prices: Readonly<Record<string, ModelPrice>> = DEFAULT_PRICES,
): { model: string; price: ModelPrice } | undefined {
  if (Object.hasOwn(prices, model)) return { model, price: prices[model] };
  const snapshot = /^(.+)-\d{4}-\d{2}-\d{2}$/.exec(model);
  if (snapshot && Object.hasOwn(prices, snapshot[1])) return { model: snapshot[1], price: prices[snapshot[1]] };
  return undefined;
}

/**
 * USD cost of one call. Prices are per 1M tokens; cached tokens are billed at the cached rate and the rest
 * of the prompt at the input rate. `models` are tried in order (the model asked for, then the one answering).
 */
export function callCost(
  usage: TokenUsage,
  models: string | readonly string[],
  prices: Readonly<Record<string, ModelPrice>> = DEFAULT_PRICES,
): CallCost {
  for (const model of typeof models === 'string' ? [models] : models) {
    const found = findPrice(model, prices);
    if (!found) continue;
    const { input, cachedInput, output } = found.price;
    const uncached = usage.inputTokens - usage.cachedTokens;
    // Tokens × USD-per-million is micro-USD, exactly the 6 decimals we keep.
    const microUsd = uncached * input + usage.cachedTokens * cachedInput + usage.outputTokens * output;
    return { costUsd: microToUsd(microUsd), priced: true, priceModel: found.model };
  }
  return { costUsd: 0, priced: false };
}

/** Sums USD amounts without accumulating binary floating-point drift. */
export function addUsd(...amounts: number[]): number {
  return microToUsd(amounts.reduce((sum, amount) => sum + amount * 1_000_000, 0));
}

export function roundUsd(amount: number): number {
  return microToUsd(amount * 1_000_000);
}

function microToUsd(micro: number): number {
  // toPrecision strips representation noise (2.4999999999999996 → 2.5) before rounding half up.
  return Math.round(Number(micro.toPrecision(12))) / 1_000_000;
}

function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
