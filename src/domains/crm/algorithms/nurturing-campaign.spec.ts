import { describe, expect, it } from 'vitest';
import { CrmValidationError } from './field-errors.js';
import { goalOf, phaseOf, planNurturingCampaign, tierOf } from './nurturing-campaign.js';
import { validateNurturingCampaignRequest, type NurturingCampaignRequest } from './nurturing-campaign-validation.js';

const README_BODY: NurturingCampaignRequest = {
  lead_segments: ['high_value_prospects', 'warm_leads'],
  campaign_objective: 'Convert prospects to demos',
  duration_days: 30,
  touchpoint_frequency: 'weekly',
};

describe('planNurturingCampaign — the README body', () => {
  const result = planNurturingCampaign(README_BODY);

  it('has a weekly cadence of 5 touches on days 0, 7, 14, 21, 28', () => {
    expect(result.campaign.cadence).toEqual({
      frequency: 'weekly',
      interval_days: 7,
      touches: 5,
      send_window: { days: ['Tuesday', 'Wednesday', 'Thursday'], start: '09:00', end: '11:00', timezone: 'recipient_local' },
    });
    for (const track of result.tracks) expect(track.touchpoints.map((touch) => touch.day)).toEqual([0, 7, 14, 21, 28]);
  });

  it('gives the high-value segment email, LinkedIn and a closing sales call', () => {
    const track = result.tracks[0];
    expect(track.segment).toBe('high_value_prospects');
    expect(track.tier).toBe('high_value');
    expect(track.channels).toEqual(['email', 'linkedin', 'sales_call']);
    expect(track.touchpoints).toEqual([
      {
        step: 1,
        day: 0,
        weekday: 'Tuesday',
        phase: 'awareness',
        channel: 'email',
        content_type: 'educational_article',
        theme: 'The problem and why it matters now',
        cta: 'Read the article',
      },
      {
        step: 2,
        day: 7,
        weekday: 'Tuesday',
        phase: 'awareness',
        channel: 'linkedin',
        content_type: 'linkedin_connection',
        theme: 'Personal introduction',
        cta: 'Connect on LinkedIn',
      },
      {
        step: 3,
        day: 14,
        weekday: 'Tuesday',
        phase: 'consideration',
        channel: 'email',
        content_type: 'case_study',
        theme: 'How a similar team got results',
        cta: 'Read the case study',
      },
      {
        step: 4,
        day: 21,
        weekday: 'Tuesday',
        phase: 'consideration',
        channel: 'linkedin',
        content_type: 'linkedin_message',
        theme: 'Share a relevant insight',
        cta: 'Reply on LinkedIn',
      },
      {
        step: 5,
        day: 28,
        weekday: 'Tuesday',
        phase: 'decision',
        channel: 'sales_call',
        content_type: 'call_task',
        theme: 'Personal follow-up on their interest',
        cta: 'Book a demo',
      },
    ]);
  });

  it('gives the warm segment email and retargeting, closing with the demo email', () => {
    const track = result.tracks[1];
    expect(track.tier).toBe('warm');
    expect(track.channels).toEqual(['email', 'retargeting']);
    expect(track.touchpoints.map((touch) => touch.channel)).toEqual(['email', 'retargeting', 'email', 'retargeting', 'email']);
    expect(track.touchpoints[4]).toMatchObject({ phase: 'decision', content_type: 'demo_invite', cta: 'Book a demo' });
  });

  it('states exit criteria, branching, KPIs and the deterministic markers', () => {
    expect(result.tracks[0].exit_criteria).toEqual(['replied', 'meeting_booked', 'became_sql', 'unsubscribed']);
    expect(result.tracks[0].branching).toEqual([
      { trigger: 'clicked_in_decision_phase', action: 'create_sales_task' },
      { trigger: 'three_unopened_emails', action: 'switch_to_re_engagement' },
    ]);
    expect(result.kpis.map((kpi) => kpi.metric)).toEqual([
      'open_rate',
      'click_rate',
      'reply_rate',
      'demo_booking_rate',
      'unsubscribe_rate',
    ]);
    expect(result.warnings).toEqual([]);
    expect(result.ai_plan).toBeNull();
    expect(result.model_version).toBe('crm-nurturing-campaign/1.0.0');
  });

  it('has a stable id and a descriptive name', () => {
    expect(planNurturingCampaign(README_BODY).campaign.id).toBe(result.campaign.id);
    expect(result.campaign.id).toMatch(/^cmp_[0-9a-f]{8}$/);
    expect(planNurturingCampaign({ ...README_BODY, duration_days: 31 }).campaign.id).not.toBe(result.campaign.id);
    expect(result.campaign.name).toBe('Convert prospects to demos (30-day weekly nurture)');
    expect(result.campaign.start_date).toBeNull();
  });
});

describe('planNurturingCampaign — other inputs', () => {
  it('sends cold segments email only, at half frequency', () => {
    const result = planNurturingCampaign({ ...README_BODY, lead_segments: ['cold_leads'] });
    expect(result.tracks[0]).toMatchObject({ tier: 'cold', channels: ['email'] });
    expect(result.tracks[0].touchpoints.map((touch) => [touch.day, touch.channel])).toEqual([
      [0, 'email'],
      [14, 'email'],
      [28, 'email'],
    ]);
  });

  it('drops duplicate segments with a warning', () => {
    const result = planNurturingCampaign({ ...README_BODY, lead_segments: ['warm_leads', ' warm_leads '] });
    expect(result.tracks).toHaveLength(1);
    expect(result.warnings).toEqual(['duplicate segment "warm_leads" ignored']);
  });

  it('warns about more than 10 emails in a track', () => {
    const result = planNurturingCampaign({
      ...README_BODY,
      lead_segments: ['newsletter'],
      touchpoint_frequency: 'daily',
      duration_days: 30,
    });
    // 22 business days: emails on the 11 even steps plus the closing one.
    expect(result.tracks[0].touchpoints).toHaveLength(22);
    expect(result.warnings).toEqual(['newsletter: 12 emails in 30 days risks fatigue and unsubscribes']);
  });

  it('a campaign shorter than one interval has one decision touch and a warning', () => {
    const result = planNurturingCampaign({ ...README_BODY, duration_days: 5 });
    expect(result.campaign.cadence.touches).toBe(1);
    expect(result.tracks[1].touchpoints).toEqual([
      {
        step: 1,
        day: 0,
        weekday: 'Tuesday',
        phase: 'decision',
        channel: 'email',
        content_type: 'demo_invite',
        theme: 'The next step',
        cta: 'Book a demo',
      },
    ]);
    expect(result.warnings).toEqual(['duration_days 5 is shorter than one interval (7 days); the track has a single touch']);
  });

  it('uses the start date for weekdays', () => {
    // 2026-01-03 is a Saturday: the first touch moves to Monday, day 2.
    const result = planNurturingCampaign({ ...README_BODY, start_date: '2026-01-03' });
    expect(result.tracks[0].touchpoints.map((touch) => [touch.day, touch.weekday])).toEqual([
      [2, 'Monday'],
      [9, 'Monday'],
      [16, 'Monday'],
      [23, 'Monday'],
    ]);
    expect(result.campaign.start_date).toBe('2026-01-03');
  });

  it('defaults to 30 days weekly', () => {
    const result = planNurturingCampaign({ lead_segments: ['warm'], campaign_objective: 'Book meetings' });
    expect(result.campaign.cadence.touches).toBe(5);
    expect(result.tracks[0].touchpoints[4].cta).toBe('Book a meeting');
  });
});

describe('helpers', () => {
  it.each([
    ['high_value_prospects', 'high_value'],
    ['VIP accounts', 'high_value'],
    ['hot_leads', 'high_value'],
    ['photography_leads', 'warm'],
    ['warm_leads', 'warm'],
    ['cold_leads', 'cold'],
    ['churned_customers', 'cold'],
    ['newsletter', 'warm'],
  ] as const)('segment %s is %s', (segment, tier) => {
    expect(tierOf(segment)).toBe(tier);
  });

  it.each([
    ['Convert prospects to demos', 'Book a demo'],
    ['Drive free trial sign-ups', 'Start a free trial'],
    ['Fill the webinar', 'Register now'],
    ['Upgrade existing customers', 'Upgrade your plan'],
    ['Improve activation', 'Complete your setup'],
    ['Grow pipeline', 'Talk to sales'],
  ])('objective "%s" closes with "%s"', (objective, cta) => {
    expect(goalOf(objective).cta).toBe(cta);
  });

  it('phases split the calendar 40 / 35 / 25 and the last touch decides', () => {
    expect([0, 11, 12, 22, 23].map((day) => phaseOf(day, 30, false))).toEqual([
      'awareness',
      'awareness',
      'consideration',
      'consideration',
      'decision',
    ]);
    expect(phaseOf(0, 30, true)).toBe('decision');
  });
});

describe('validateNurturingCampaignRequest', () => {
  it('accepts the README body', () => {
    expect(validateNurturingCampaignRequest(README_BODY)).toEqual([]);
  });

  it.each([
    ['a non-object body', null, 'body', 'must be an object'],
    ['missing segments', { ...README_BODY, lead_segments: undefined }, 'lead_segments', 'is required'],
    ['segments not an array', { ...README_BODY, lead_segments: 'warm' }, 'lead_segments', 'must be an array'],
    ['no segments', { ...README_BODY, lead_segments: [] }, 'lead_segments', 'must not be empty'],
    ['an empty segment name', { ...README_BODY, lead_segments: ['warm', '  '] }, 'lead_segments[1]', 'must be a non-empty string'],
    ['a numeric segment name', { ...README_BODY, lead_segments: [3] }, 'lead_segments[0]', 'must be a non-empty string'],
    [
      '21 distinct segments',
      { ...README_BODY, lead_segments: Array.from({ length: 21 }, (_, i) => `s${i}`) },
      'lead_segments',
      'must have at most 20 distinct segments',
    ],
    ['missing objective', { ...README_BODY, campaign_objective: undefined }, 'campaign_objective', 'is required'],
    ['a blank objective', { ...README_BODY, campaign_objective: '   ' }, 'campaign_objective', 'must not be empty'],
    [
      'a 501-character objective',
      { ...README_BODY, campaign_objective: 'x'.repeat(501) },
      'campaign_objective',
      'must be at most 500 characters',
    ],
    ['duration 0', { ...README_BODY, duration_days: 0 }, 'duration_days', 'must be between 1 and 365'],
    ['duration 366', { ...README_BODY, duration_days: 366 }, 'duration_days', 'must be between 1 and 365'],
    ['a fractional duration', { ...README_BODY, duration_days: 7.5 }, 'duration_days', 'must be an integer'],
    ['a text duration', { ...README_BODY, duration_days: '30' }, 'duration_days', 'must be a finite number'],
    [
      'an unknown frequency',
      { ...README_BODY, touchpoint_frequency: 'hourly' },
      'touchpoint_frequency',
      'must be one of daily, twice_weekly, weekly, biweekly or monthly',
    ],
    ['an impossible start date', { ...README_BODY, start_date: '2026-02-30' }, 'start_date', 'must be a date in the form YYYY-MM-DD'],
  ])('%s → %s: %s', (_name, body, field, message) => {
    expect(validateNurturingCampaignRequest(body)).toEqual([{ field, message }]);
  });

  it('20 segments with duplicates beyond them are fine', () => {
    const segments = [...Array.from({ length: 20 }, (_, i) => `s${i}`), 's0'];
    expect(validateNurturingCampaignRequest({ ...README_BODY, lead_segments: segments })).toEqual([]);
  });

  it('planNurturingCampaign throws the same errors', () => {
    expect(() => planNurturingCampaign({ ...README_BODY, touchpoint_frequency: 'hourly' })).toThrow(CrmValidationError);
  });
});
