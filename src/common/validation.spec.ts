import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { ValidationProblem } from './problem.js';
import { memoiseValidationRules, validateDto } from './validation.js';

class Base {
  @IsString()
  @MaxLength(5)
  name!: string;
}

class Child extends Base {
  @IsInt()
  @Min(1)
  count!: number;
}

async function errorsOf<T extends object>(cls: new () => T, value: unknown): Promise<string[]> {
  try {
    await validateDto(cls, value, 'p');
    return [];
  } catch (error) {
    if (!(error instanceof ValidationProblem)) throw error;
    return (error.extensions.errors ?? []).map(({ field, message }) => `${field}: ${message}`).sort();
  }
}

describe('memoised validation rules', () => {
  it('validates exactly as before, inherited rules included, and picks up rules declared after it was installed', async () => {
    const cases: [new () => object, unknown][] = [
      [Child, { name: 'ok', count: 2 }],
      [Child, { name: 'too long', count: 0 }],
      [Child, { name: 'ok', count: 1, extra: true }],
      [Base, { name: 7 }],
    ];
    const before = await Promise.all(cases.map(([cls, value]) => errorsOf(cls, value)));
    expect(before[0]).toEqual([]);
    expect(before[1]).toEqual(['p.count: count must not be less than 1', 'p.name: name must be shorter than or equal to 5 characters']);
    expect(before[2]).toEqual(['p.extra: is not an allowed field']);

    memoiseValidationRules();
    for (let round = 0; round < 2; round += 1) {
      expect(await Promise.all(cases.map(([cls, value]) => errorsOf(cls, value)))).toEqual(before);
    }

    // A class decorated after the memo exists (rules registered later) is validated by its own rules.
    class Later extends Child {
      @IsInt()
      @Max(3)
      level!: number;
    }
    expect(await errorsOf(Later, { name: 'ok', count: 1, level: 9 })).toEqual(['p.level: level must not be greater than 3']);
    expect(await errorsOf(Child, { name: 'ok', count: 1, level: 9 })).toEqual(['p.level: is not an allowed field']);
  });
});
