import { describe, expect, it } from 'vitest';
import { parseAnswer, validateAgainstSchema } from './result-validator.js';

const SCHEMA = {
  type: 'object',
  required: ['score', 'tier'],
  additionalProperties: false,
  properties: { score: { type: 'integer', minimum: 0, maximum: 100 }, tier: { enum: ['hot', 'warm', 'cold'] } },
};

describe('result validation', () => {
  it('accepts a valid answer, also inside a ```json fence', () => {
    expect(parseAnswer('{"score": 82, "tier": "hot"}', SCHEMA)).toEqual({ valid: true, value: { score: 82, tier: 'hot' } });
    expect(parseAnswer('```json\n{"score": 5, "tier": "cold"}\n```', SCHEMA)).toEqual({ valid: true, value: { score: 5, tier: 'cold' } });
  });

  it('describes every schema violation in a sentence for the repair prompt', () => {
    expect(validateAgainstSchema(SCHEMA, { score: 120, tier: 'lukewarm', extra: 1 })).toEqual({
      valid: false,
      errors: [
        '(root) must NOT have additional properties (extra)',
        '/score must be <= 100',
        '/tier must be equal to one of the allowed values: ["hot","warm","cold"]',
      ],
    });
  });

  it('reports empty and non-JSON answers', () => {
    expect(parseAnswer(null, SCHEMA)).toEqual({ valid: false, errors: ['the answer is empty; reply with a JSON object'] });
    const notJson = parseAnswer('The score is 82.', SCHEMA);
    expect(notJson.valid).toBe(false);
    expect(!notJson.valid && notJson.errors[0]).toMatch(/^the answer is not valid JSON: /);
  });
});
