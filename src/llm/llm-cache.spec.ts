import { describe, expect, it } from 'vitest';
import { cacheKey, stableJson } from './llm-cache.service.js';

describe('LLM cache key', () => {
  const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Score lead L-1' }] };

  it('hashes equal requests equally whatever the key order', () => {
    expect(stableJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(cacheKey(request)).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ messages: request.messages, model: 'gpt-4o-mini', tools: [] })).toBe(cacheKey(request));
  });

  it('changes with the model, the messages, the tools and the parameters', () => {
    const base = cacheKey(request);
    const variants = [
      cacheKey({ ...request, model: 'gpt-4o' }),
      cacheKey({ ...request, messages: [{ role: 'user', content: 'Score lead L-2' }] }),
      cacheKey({ ...request, tools: [{ type: 'function', function: { name: 'score_lead' } }] }),
      cacheKey({ ...request, temperature: 0.2 }),
      cacheKey({ ...request, responseFormat: { type: 'json_object' } }),
      cacheKey({ ...request, toolChoice: 'none' }),
    ];
    expect(new Set([base, ...variants]).size).toBe(7);
  });
});
