import { describe, expect, it } from 'vitest';
import { summarise } from './step-recorder.js';

/** The summary as the whole value's JSON gives it: the reference summarise must agree with. */
function reference(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}

describe('summarise', () => {
  it('keeps a small value whole and marks nothing', () => {
    expect(summarise({ a: 1, b: ['x', null] })).toBe('{"a":1,"b":["x",null]}');
    expect(summarise('plain text')).toBe('plain text');
    expect(summarise(null)).toBeNull();
    expect(summarise(undefined)).toBeNull();
  });

  it.each([
    ['a bulk array of records', { customers: Array.from({ length: 100_000 }, (_, i) => ({ customer_id: `c${i}`, ltv: i * 1.5 })) }],
    ['an array of one-character items', Array.from({ length: 5_000 }, () => 0)],
    ['a long string inside an object', { note: 'é'.repeat(10_000), after: 1 }],
    ['a long string with characters JSON escapes', { text: '"\\\n'.repeat(3_000) }],
    ['a string cut inside a surrogate pair', { emoji: `a${'😀'.repeat(1_500)}` }],
    ['nested arrays past the limit', [[Array.from({ length: 3_000 }, (_, i) => i)], 'tail']],
  ])('cuts %s exactly where the whole JSON would be cut', (_label, value) => {
    const summary = summarise(value);
    expect(summary).toBe(reference(value));
    expect(summary).toHaveLength(2000);
    expect(summary?.endsWith('…')).toBe(true);
  });
});
