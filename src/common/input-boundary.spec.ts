import { describe, expect, it } from 'vitest';
import { inputProblems, MAX_JSON_DEPTH, unsafeTextReason } from './input-boundary.js';
import { isExposed, ValidationProblem } from './problem.js';

const NUL = 'must not contain the NUL character (U+0000)';
const SURROGATE = 'must not contain an unpaired UTF-16 surrogate (the text is not valid Unicode)';

describe('the boundary rule', () => {
  it('tells NUL and unpaired surrogates apart from text that is fine', () => {
    expect(unsafeTextReason('plain, emoji 😀, tab\t, \u0001')).toBeUndefined();
    expect(unsafeTextReason('a\u0000b')).toBe(NUL);
    expect(unsafeTextReason('\ud800')).toBe(SURROGATE);
    expect(unsafeTextReason('x\udc00')).toBe(SURROGATE);
    expect(unsafeTextReason('\ud83d\ude00\ud800')).toBe(SURROGATE);
  });

  it("names values and keys by wire path (an object's keys first, then its values in order)", () => {
    expect(inputProblems({ a: ['ok', { b: '\u0000' }], 'k\ud800': 1, c: 'x\udfff' }, 'parameters')).toEqual([
      { field: 'parameters.k\\ud800', message: `key ${SURROGATE}` },
      { field: 'parameters.a[1].b', message: NUL },
      { field: 'parameters.c', message: SURROGATE },
    ]);
  });

  it('bounds nesting without recursing, however deep the input is', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    const problems = inputProblems({ p: deep });
    expect(problems).toEqual([
      { field: `p${'[0]'.repeat(MAX_JSON_DEPTH - 1)}`, message: `nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep` },
    ]);
    let fine: unknown = 1;
    for (let level = 0; level < MAX_JSON_DEPTH - 1; level += 1) fine = [fine];
    expect(inputProblems({ p: fine })).toEqual([]);
  });

  it('reports at most 20 problems', () => {
    expect(inputProblems(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
  });
});

describe('isExposed', () => {
  it('is true only for problems and errors that set expose', () => {
    class Refused extends Error {
      readonly expose = true;
    }
    expect(isExposed(new ValidationProblem([]))).toBe(true);
    expect(isExposed(new Refused('refused'))).toBe(true);
    expect(isExposed(new TypeError("Cannot read properties of null (reading 'x')"))).toBe(false);
    expect(isExposed({ expose: true, message: 'not an Error' })).toBe(false);
  });
});
