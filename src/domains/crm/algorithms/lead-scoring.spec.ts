import { describe, expect, it } from 'vitest';
import { CrmValidationError } from './field-errors.js';
import { gradeOf, rankLeads, runLeadScoring, scoreLead, type LeadData, type LeadScoreResult } from './lead-scoring.js';
import { validateLeadScoringRequest } from './lead-scoring-validation.js';
import { createSeededRandom, randomInt } from './seeded-random.js';
import { JOB_TITLES, makeLead, randomLead } from '../../../../test/support/crm/crm-fixtures.js';

const README_CRITERIA = { engagement_weight: 0.3, demographic_weight: 0.4, behavior_weight: 0.3 };

function pointsTotal(result: LeadScoreResult): number {
  return result.factors.reduce((total, factor) => total + factor.points, 0);
}

describe('scoreLead — worked example (CTO at the company domain, TechCorp Inc, engagement 85, 12 visits)', () => {
  const result = scoreLead(makeLead({ email: 'cto@techcorp.com' }), README_CRITERIA);

  it('gives F 87.5, G 85, B ≈ 84.2 and score ≈ 85.8, grade A', () => {
    expect(result.components).toEqual({ fit: 87.5, engagement: 85, behavior: 84.2 });
    expect(result.lead_score).toBe(85.8);
    expect(result.grade).toBe('A');
  });

  it('is sales ready, high priority, in matrix cell A1', () => {
    expect(result.qualification_status).toBe('sales_ready');
    expect(result.priority).toBe('high');
    expect(result.matrix_cell).toBe('A1');
    expect(result.recommended_action).toBe('Route to sales now: call within one business day.');
  });

  it('explains the score: the factor points add up to it', () => {
    expect(result.factors.map((factor) => [factor.factor, factor.value, factor.points, factor.direction])).toEqual([
      ['seniority', 'c_level', 18, 'positive'],
      ['email_domain', 'company_domain', 12, 'positive'],
      ['company_size', 'unknown_size', 5, 'neutral'],
      ['engagement', 85, 25.5, 'positive'],
      ['website_visits', 12, 25.27, 'positive'],
    ]);
    expect(pointsTotal(result)).toBeCloseTo(85.77, 2);
  });

  it('keeps the weights it was given and carries the deterministic markers', () => {
    expect(result.applied_weights).toEqual({ demographic_weight: 0.4, engagement_weight: 0.3, behavior_weight: 0.3 });
    expect(result.warnings).toEqual([]);
    expect(result.model_version).toBe('crm-lead-scoring/1.0.0');
    expect(result.ai_explanation).toBeNull();
  });
});

describe('scoreLead — the README body verbatim', () => {
  it('scores prospect@company.com as another business domain (0.8), F 81.5, score 83.4', () => {
    const result = runLeadScoring({ lead_data: makeLead(), scoring_criteria: README_CRITERIA }) as LeadScoreResult;
    expect(result.components).toEqual({ fit: 81.5, engagement: 85, behavior: 84.2 });
    expect(result.lead_score).toBe(83.4);
    expect(result.grade).toBe('A');
    expect(result.factors[1]).toEqual({ factor: 'email_domain', value: 'business_domain', points: 9.6, direction: 'positive' });
  });

  it('accepts the README curl body with unknown fields and says what was missing', () => {
    const result = scoreLead({ email: 'test@example.com', score: 85 });
    // Role unknown (0.2), another business domain (0.8), no company (0): F = 100·(0.09 + 0.24) = 33.
    expect(result.components).toEqual({ fit: 33, engagement: 0, behavior: 0 });
    expect(result.lead_score).toBe(13.2);
    expect(result.grade).toBe('D');
    expect(result.qualification_status).toBe('nurture');
    expect(result.matrix_cell).toBe('C3');
    expect(result.warnings).toEqual(['engagement_score is missing; counted as 0', 'website_visits is missing; counted as 0']);
  });
});

describe('weights', () => {
  it('0.3/0.4/0.3 and 30/40/30 give the same score', () => {
    const lead = makeLead({ email: 'cto@techcorp.com', days_since_last_activity: 12, demo_requested: true });
    const fractions = scoreLead(lead, README_CRITERIA);
    const percents = scoreLead(lead, { engagement_weight: 30, demographic_weight: 40, behavior_weight: 30 });
    expect(percents.lead_score).toBe(fractions.lead_score);
    expect(percents.components).toEqual(fractions.components);
    expect(percents.factors).toEqual(fractions.factors);
    expect(percents.applied_weights).toEqual(fractions.applied_weights);
    expect(fractions.warnings).toEqual([]);
    expect(percents.warnings).toEqual(['scoring weights sum to 100, not 1; normalised to demographic 0.4, engagement 0.3, behavior 0.3']);
  });

  it('defaults to demographic 0.4, engagement 0.3, behaviour 0.3', () => {
    expect(scoreLead(makeLead()).applied_weights).toEqual({ demographic_weight: 0.4, engagement_weight: 0.3, behavior_weight: 0.3 });
  });

  it('fills a missing weight with its default before normalising', () => {
    const result = scoreLead(makeLead(), { engagement_weight: 0.6 });
    expect(result.applied_weights.engagement_weight).toBeCloseTo(0.6 / 1.3, 12);
    expect(result.applied_weights.demographic_weight).toBeCloseTo(0.4 / 1.3, 12);
    expect(result.warnings[0]).toMatch(/^scoring weights sum to 1\.3, not 1/);
  });

  it('zero weights leave their component out', () => {
    const result = scoreLead(makeLead(), { engagement_weight: 0, demographic_weight: 1, behavior_weight: 0 });
    expect(result.lead_score).toBe(81.5);
  });
});

describe('behaviour and decay', () => {
  it('adds intent bonuses and caps behaviour at 100, sharing the cap over its factors', () => {
    const result = scoreLead(makeLead({ website_visits: 3, demo_requested: true, pricing_page_visits: 2, content_downloads: 1 }));
    // 100·ln 4/ln 21 = 45.53 + 40 + 15 + 10 = 110.53 → capped at 100.
    expect(result.components.behavior).toBe(100);
    expect(pointsTotal(result)).toBeCloseTo(result.lead_score, 1);
    const bonus = result.factors.find((factor) => factor.factor === 'demo_request');
    expect(bonus?.points).toBeCloseTo(0.3 * 40 * (100 / 110.5336), 2);
  });

  it('20 visits alone give full behaviour', () => {
    expect(scoreLead(makeLead({ website_visits: 20 })).components.behavior).toBe(100);
  });

  it('halves engagement and behaviour after 30 quiet days; fit never decays', () => {
    const fresh = scoreLead(makeLead({ email: 'cto@techcorp.com' }), README_CRITERIA);
    const quiet = scoreLead(makeLead({ email: 'cto@techcorp.com', days_since_last_activity: 30 }), README_CRITERIA);
    expect(quiet.components).toEqual({ fit: 87.5, engagement: 42.5, behavior: 42.1 });
    expect(quiet.lead_score).toBe(60.4);
    expect(quiet.grade).toBe('B');
    expect(quiet.qualification_status).toBe('mql');
    const decay = quiet.factors.find((factor) => factor.factor === 'recency_decay');
    expect(decay).toEqual({ factor: 'recency_decay', value: 30, points: -25.39, direction: 'negative' });
    expect(pointsTotal(quiet)).toBeCloseTo(quiet.lead_score, 1);
    expect(fresh.factors.some((factor) => factor.factor === 'recency_decay')).toBe(false);
  });

  it('reads last_activity_at against the given now', () => {
    const result = scoreLead(makeLead({ last_activity_at: '2026-01-01T00:00:00Z' }), undefined, { now: new Date('2026-01-31T00:00:00Z') });
    expect(result.components.engagement).toBe(42.5);
  });

  it('treats a future last_activity_at as today, with a warning', () => {
    const result = scoreLead(makeLead({ last_activity_at: '2026-03-01' }), undefined, { now: new Date('2026-01-31T00:00:00Z') });
    expect(result.components.engagement).toBe(85);
    expect(result.warnings).toContain('last_activity_at is in the future; treated as activity today');
  });

  it('clamps engagement to 0–100 with a warning', () => {
    const result = scoreLead(makeLead({ engagement_score: 140 }));
    expect(result.components.engagement).toBe(100);
    expect(result.warnings).toEqual(['engagement_score 140 clamped to 0–100']);
  });
});

describe('monotonicity (seeded property loop)', () => {
  const random = createSeededRandom(42);
  const seniorityLadder = ['Software Engineer', 'Team Lead', 'Director of Sales', 'VP Marketing', 'CEO'];

  it('more engagement, visits or seniority never lowers the score', () => {
    for (let trial = 0; trial < 400; trial++) {
      const lead = randomLead(random);
      const base = scoreLead(lead).lead_score;
      const engaged = { ...lead, engagement_score: Math.min(100, (lead.engagement_score ?? 0) + 1 + randomInt(random, 30)) };
      const visited = { ...lead, website_visits: (lead.website_visits ?? 0) + 1 + randomInt(random, 15) };
      expect(scoreLead(engaged).lead_score, JSON.stringify(engaged)).toBeGreaterThanOrEqual(base);
      expect(scoreLead(visited).lead_score, JSON.stringify(visited)).toBeGreaterThanOrEqual(base);
      const rung = randomInt(random, seniorityLadder.length - 1);
      const lower = scoreLead({ ...lead, role: seniorityLadder[rung] }).lead_score;
      const higher = scoreLead({
        ...lead,
        role: seniorityLadder[rung + 1 + randomInt(random, seniorityLadder.length - rung - 1)],
      }).lead_score;
      expect(higher).toBeGreaterThanOrEqual(lower);
    }
  });

  it('strictly rewards engagement while it is below 100', () => {
    const lead = makeLead({ engagement_score: 40 });
    expect(scoreLead({ ...lead, engagement_score: 41 }).lead_score).toBeGreaterThan(scoreLead(lead).lead_score);
  });

  it('every generated title parses to a level (the fixture exercises the parser)', () => {
    const levels = new Set(JOB_TITLES.map((title) => scoreLead(makeLead({ role: title })).factors[0].value));
    expect([...levels].sort()).toEqual(['c_level', 'director', 'intern', 'manager', 'other', 'student', 'vp']);
  });
});

describe('grades, statuses and matrix', () => {
  it.each([
    [80, 'A'],
    [79.9, 'B'],
    [60, 'B'],
    [59.9, 'C'],
    [40, 'C'],
    [39.9, 'D'],
  ] as const)('score %d → grade %s', (score, grade) => {
    expect(gradeOf(score)).toBe(grade);
  });

  it('disqualifies a disposable address however engaged', () => {
    const result = scoreLead(makeLead({ email: 'cto@mailinator.com', engagement_score: 100, website_visits: 50, demo_requested: true }));
    expect(result.qualification_status).toBe('disqualified');
    expect(result.priority).toBe('none');
    expect(result.recommended_action).toMatch(/disposable email/);
  });

  it('disqualifies a student', () => {
    expect(scoreLead(makeLead({ role: 'PhD Student' })).qualification_status).toBe('disqualified');
  });

  it('keeps an engaged lead with weak fit in nurture', () => {
    const result = scoreLead({ email: 'x@gmail.com', role: 'Intern', engagement_score: 100, website_visits: 30 });
    // F = 100·(0 + 0.3·0.3 + 0) = 9 → score 0.4·9 + 30 + 30 = 63.6: grade B, but fit 9 < 40 so not an MQL.
    expect(result.components.fit).toBe(9);
    expect(result.lead_score).toBe(63.6);
    expect(result.qualification_status).toBe('nurture');
    expect(result.matrix_cell).toBe('C1');
  });

  it('uses the company size band when given', () => {
    const result = scoreLead(makeLead({ email: 'cto@techcorp.com', company_size: '1000+' }));
    expect(result.components.fit).toBe(100);
    expect(result.factors[2]).toEqual({ factor: 'company_size', value: '1000+', points: 10, direction: 'positive' });
  });

  it('gives no company credit without a company', () => {
    const result = scoreLead({ email: 'x@startup.io', role: 'CEO', engagement_score: 50, website_visits: 5 });
    expect(result.components.fit).toBe(69);
    expect(result.factors[2]).toEqual({ factor: 'company_size', value: 'no_company', points: 0, direction: 'negative' });
  });
});

describe('rankLeads', () => {
  it('ranks by score, then fit, then request order, and counts grades and statuses', () => {
    const leads: LeadData[] = [
      { lead_id: 'weak', email: 'x@gmail.com', role: 'Engineer', engagement_score: 10, website_visits: 0 },
      makeLead({ lead_id: 'best', email: 'cto@techcorp.com' }),
      makeLead({ id: 7 }),
      makeLead({ lead_id: 'twin', id: 'ignored' }),
    ];
    const result = rankLeads(leads, README_CRITERIA);
    expect(result.leads.map((lead) => [lead.rank, lead.lead_id, lead.index, lead.lead_score])).toEqual([
      [1, 'best', 1, 85.8],
      [2, '7', 2, 83.4],
      [3, 'twin', 3, 83.4],
      [4, 'weak', 0, 10.2],
    ]);
    expect(result.count).toBe(4);
    expect(result.summary.by_grade).toEqual({ A: 3, B: 0, C: 0, D: 1 });
    expect(result.summary.by_status).toEqual({ sales_ready: 3, mql: 0, nurture: 1, disqualified: 0 });
    expect(result.warnings).toEqual([]);
  });

  it('runLeadScoring answers a ranking for leads[]', () => {
    const result = runLeadScoring({ leads: [makeLead()] });
    expect('leads' in result && result.leads[0].rank).toBe(1);
  });
});

describe('validateLeadScoringRequest', () => {
  const valid = { lead_data: makeLead(), scoring_criteria: README_CRITERIA };

  it('accepts the README body', () => {
    expect(validateLeadScoringRequest(valid)).toEqual([]);
  });

  it.each([
    ['a non-object body', [], 'body', 'must be an object'],
    ['neither lead_data nor leads', {}, 'lead_data', 'is required (or send several leads as leads[])'],
    ['both lead_data and leads', { lead_data: makeLead(), leads: [makeLead()] }, 'leads', 'send either lead_data or leads, not both'],
    ['lead_data not an object', { lead_data: 'x' }, 'lead_data', 'must be an object'],
    ['leads not an array', { leads: {} }, 'leads', 'must be an array'],
    ['empty leads', { leads: [] }, 'leads', 'must not be empty'],
    ['a lead that is not an object', { leads: [makeLead(), 3] }, 'leads[1]', 'must be an object'],
    ['a bad email', { lead_data: makeLead({ email: 'not-an-email' }) }, 'lead_data.email', 'must be a valid email address'],
    ['a bad email in leads[]', { leads: [makeLead(), makeLead({ email: 'a@b' })] }, 'leads[1].email', 'must be a valid email address'],
    ['a numeric email', { lead_data: makeLead({ email: 5 as unknown as string }) }, 'lead_data.email', 'must be a string'],
    ['a numeric role', { lead_data: makeLead({ role: 1 as unknown as string }) }, 'lead_data.role', 'must be a string'],
    [
      'a text engagement',
      { lead_data: makeLead({ engagement_score: '85' as unknown as number }) },
      'lead_data.engagement_score',
      'must be a finite number',
    ],
    ['negative visits', { lead_data: makeLead({ website_visits: -1 }) }, 'lead_data.website_visits', 'must be at least 0'],
    [
      'an unreadable company size',
      { lead_data: makeLead({ company_size: 'huge' }) },
      'lead_data.company_size',
      'must be a number of employees (≥ 0) or a band such as "51-200" or "1000+"',
    ],
    [
      'a non-boolean demo flag',
      { lead_data: makeLead({ demo_requested: 'yes' as unknown as boolean }) },
      'lead_data.demo_requested',
      'must be a boolean',
    ],
    [
      'negative pricing visits',
      { lead_data: makeLead({ pricing_page_visits: -2 }) },
      'lead_data.pricing_page_visits',
      'must be at least 0',
    ],
    ['negative downloads', { lead_data: makeLead({ content_downloads: -1 }) }, 'lead_data.content_downloads', 'must be at least 0'],
    [
      'negative inactivity',
      { lead_data: makeLead({ days_since_last_activity: -3 }) },
      'lead_data.days_since_last_activity',
      'must be at least 0',
    ],
    [
      'a bad activity date',
      { lead_data: makeLead({ last_activity_at: 'yesterday' }) },
      'lead_data.last_activity_at',
      'must be an ISO 8601 date',
    ],
    [
      'an object lead_id',
      { lead_data: makeLead({ lead_id: {} as unknown as string }) },
      'lead_data.lead_id',
      'must be a string or a number',
    ],
    ['criteria not an object', { lead_data: makeLead(), scoring_criteria: 1 }, 'scoring_criteria', 'must be an object'],
    [
      'a negative weight',
      { lead_data: makeLead(), scoring_criteria: { ...README_CRITERIA, engagement_weight: -0.1 } },
      'scoring_criteria.engagement_weight',
      'must be at least 0',
    ],
    [
      'an infinite weight',
      { lead_data: makeLead(), scoring_criteria: { behavior_weight: Infinity } },
      'scoring_criteria.behavior_weight',
      'must be a finite number',
    ],
    [
      'a text weight',
      { lead_data: makeLead(), scoring_criteria: { demographic_weight: '0.4' } },
      'scoring_criteria.demographic_weight',
      'must be a finite number',
    ],
    [
      'all weights zero',
      { lead_data: makeLead(), scoring_criteria: { engagement_weight: 0, demographic_weight: 0, behavior_weight: 0 } },
      'scoring_criteria',
      'at least one weight must be greater than 0',
    ],
  ])('%s → %s: %s', (_name, body, field, message) => {
    expect(validateLeadScoringRequest(body)).toEqual([{ field, message }]);
  });

  it('the compute functions refuse what the validator refuses', () => {
    expect(() => scoreLead(makeLead(), { engagement_weight: 0, demographic_weight: 0, behavior_weight: 0 })).toThrow(CrmValidationError);
    try {
      rankLeads([makeLead({ website_visits: -1 })]);
      expect.unreachable();
    } catch (error) {
      expect((error as CrmValidationError).errors).toEqual([{ field: 'leads[0].website_visits', message: 'must be at least 0' }]);
    }
  });
});
