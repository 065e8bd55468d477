import { describe, expect, it } from 'vitest';
import { validateAgainstSchema } from './result-validator.js';
import { checkPlanStructure, normaliseInstructions, planSchema, type PlannedSubtask } from './planner.js';

const subtask = (id: string, depends_on: string[] = [], agent_id = 'crm_lead_specialist'): PlannedSubtask => ({
  id,
  agent_id,
  instructions: `do ${id}`,
  depends_on,
});

describe('plan checks', () => {
  it('restricts agent ids to the candidates and the number of subtasks', () => {
    const schema = planSchema(['crm_lead_specialist', 'crm_customer_specialist'], 2);
    expect(validateAgainstSchema(schema, { subtasks: [subtask('a')] }).valid).toBe(true);
    expect(validateAgainstSchema(schema, { subtasks: [subtask('a', [], 'billing_invoice_worker')] })).toEqual({
      valid: false,
      errors: ['/subtasks/0/agent_id must be equal to one of the allowed values: ["crm_lead_specialist","crm_customer_specialist"]'],
    });
    expect(validateAgainstSchema(schema, { subtasks: [subtask('a'), subtask('b'), subtask('c')] })).toEqual({
      valid: false,
      errors: ['/subtasks must NOT have more than 2 items'],
    });
    expect(validateAgainstSchema(schema, { subtasks: [] })).toEqual({
      valid: false,
      errors: ['/subtasks must NOT have fewer than 1 items'],
    });
  });

  it('finds repeated ids, unknown or self dependencies and cycles', () => {
    expect(checkPlanStructure([subtask('a'), subtask('b', ['a'])])).toEqual([]);
    expect(checkPlanStructure([subtask('a'), subtask('a')])).toEqual(['subtask id "a" is used twice']);
    expect(checkPlanStructure([subtask('a', ['a']), subtask('b', ['z'])])).toEqual([
      'subtask "a" depends on itself',
      'subtask "b" depends on "z", which is not in the plan',
    ]);
    expect(checkPlanStructure([subtask('a', ['c']), subtask('b', ['a']), subtask('c', ['b'])])).toEqual([
      'depends_on forms a cycle; order the subtasks so each depends only on earlier work',
    ]);
  });

  it('normalises instructions for duplicate detection', () => {
    expect(normaliseInstructions('  Score the LEADS!  ')).toBe(normaliseInstructions('score   the leads'));
    expect(normaliseInstructions('Score the leads')).not.toBe(normaliseInstructions('Segment the customers'));
  });
});
