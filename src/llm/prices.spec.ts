import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, loadConfig } from '../config/app-config.js';
import { addUsage, addUsd, callCost, findPrice, roundUsd, tokenUsage } from './prices.js';

describe('callCost', () => {
  it('prices input and output tokens per 1M at the model rate', () => {
    // 1000 × 0.15 + 500 × 0.6 = 450 micro-USD
    expect(callCost({ inputTokens: 1000, cachedTokens: 0, outputTokens: 500 }, 'gpt-4o-mini')).toEqual({
      costUsd: 0.00045,
      priced: true,
      priceModel: 'gpt-4o-mini',
    });
    // 1M × 2.5 + 1M × 10
    expect(callCost({ inputTokens: 1_000_000, cachedTokens: 0, outputTokens: 1_000_000 }, 'gpt-4o').costUsd).toBe(12.5);
  });

  it('prices cached tokens (part of the prompt) at the cached rate', () => {
    // 800 uncached × 0.15 + 200 cached × 0.075 + 300 × 0.6 = 120 + 15 + 180
    expect(callCost({ inputTokens: 1000, cachedTokens: 200, outputTokens: 300 }, 'gpt-4o-mini').costUsd).toBe(0.000315);
    expect(callCost({ inputTokens: 10_000, cachedTokens: 10_000, outputTokens: 0 }, 'gpt-4o').costUsd).toBe(0.0125);
    expect(callCost({ inputTokens: 10_000, cachedTokens: 0, outputTokens: 0 }, 'gpt-4o').costUsd).toBe(0.025);
  });

  it('rounds to 6 decimals, half up', () => {
    // 500 × 0.15 + 1500 × 0.075 + 100 × 0.6 = 75 + 112.5 + 60 = 247.5 micro-USD
    expect(callCost({ inputTokens: 2000, cachedTokens: 1500, outputTokens: 100 }, 'gpt-4o-mini').costUsd).toBe(0.000248);
    // 1 × 0.15 micro-USD rounds away
    expect(callCost({ inputTokens: 1, cachedTokens: 0, outputTokens: 0 }, 'gpt-4o-mini').costUsd).toBe(0);
  });

  it('reports an unknown model as unpriced with cost 0 instead of guessing', () => {
    expect(callCost({ inputTokens: 1000, cachedTokens: 0, outputTokens: 1000 }, 'llama3.1:8b')).toEqual({ costUsd: 0, priced: false });
    expect(callCost({ inputTokens: 1000, cachedTokens: 0, outputTokens: 1000 }, 'constructor')).toEqual({ costUsd: 0, priced: false });
  });

  it('tries the models in order: the one asked for, then the one that answered', () => {
    expect(callCost({ inputTokens: 1000, cachedTokens: 0, outputTokens: 0 }, ['my-alias', 'gpt-4.1-mini-2025-04-14'])).toEqual({
      costUsd: 0.0004,
      priced: true,
      priceModel: 'gpt-4.1-mini',
    });
  });

  it('uses an LLM_PRICES override from the configuration, with cached_input defaulting to input', () => {
    const { prices } = loadConfig({
      LLM_PRICES: '{"llama3.1":{"input":0.2,"output":0.4},"gpt-4o-mini":{"input":1,"cached_input":0.5,"output":2}}',
    }).llm;
    // 500 × 1 + 500 × 0.5 + 1000 × 2
    expect(callCost({ inputTokens: 1000, cachedTokens: 500, outputTokens: 1000 }, 'gpt-4o-mini', prices).costUsd).toBe(0.00275);
    // 1000 × 0.2 (cached at the input rate too) + 1000 × 0.4
    expect(callCost({ inputTokens: 1000, cachedTokens: 500, outputTokens: 1000 }, 'llama3.1', prices).costUsd).toBe(0.0006);
    // Defaults not overridden are kept.
    expect(prices['gpt-4o']).toEqual(DEFAULT_PRICES['gpt-4o']);
  });
});

describe('findPrice', () => {
  it('matches exact names and dated snapshots of listed models, nothing looser', () => {
    expect(findPrice('gpt-4o-mini-2024-07-18')?.model).toBe('gpt-4o-mini');
    expect(findPrice('gpt-4o-2024-08-06')?.model).toBe('gpt-4o');
    expect(findPrice('gpt-4o')?.price).toEqual({ input: 2.5, cachedInput: 1.25, output: 10 });
    expect(findPrice('gpt-4o-mini-tts')).toBeUndefined();
    expect(findPrice('gpt-4')).toBeUndefined();
    expect(findPrice('toString')).toBeUndefined();
  });
});

describe('tokenUsage', () => {
  it('maps the wire usage, cached tokens included', () => {
    expect(tokenUsage({ prompt_tokens: 1200, completion_tokens: 34, prompt_tokens_details: { cached_tokens: 1024 } })).toEqual({
      inputTokens: 1200,
      cachedTokens: 1024,
      outputTokens: 34,
    });
  });

  it('treats missing or nonsensical fields as zero and never reports more cached than prompt tokens', () => {
    expect(tokenUsage(undefined)).toEqual({ inputTokens: 0, cachedTokens: 0, outputTokens: 0 });
    expect(tokenUsage({ prompt_tokens: 10, completion_tokens: null, prompt_tokens_details: null })).toEqual({
      inputTokens: 10,
      cachedTokens: 0,
      outputTokens: 0,
    });
    expect(tokenUsage({ prompt_tokens: 10, completion_tokens: -3, prompt_tokens_details: { cached_tokens: 50 } })).toEqual({
      inputTokens: 10,
      cachedTokens: 10,
      outputTokens: 0,
    });
  });

  it('adds usages field by field', () => {
    expect(addUsage({ inputTokens: 1, cachedTokens: 2, outputTokens: 3 }, { inputTokens: 10, cachedTokens: 20, outputTokens: 30 })).toEqual(
      {
        inputTokens: 11,
        cachedTokens: 22,
        outputTokens: 33,
      },
    );
  });
});

describe('USD arithmetic', () => {
  it('sums amounts without binary drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(addUsd(0.1, 0.2)).toBe(0.3);
    expect(addUsd(0.000345, 0.000315, 0.00045)).toBe(0.00111);
    expect(addUsd()).toBe(0);
  });

  it('rounds to 6 decimals, half up, ignoring representation noise', () => {
    expect(roundUsd(0.0000025)).toBe(0.000003);
    expect(roundUsd(1.2345674)).toBe(1.234567);
    expect(roundUsd(1.2345675)).toBe(1.234568);
  });
});
