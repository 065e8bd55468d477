/**
 * The `crm_nurturing_campaign` operation: a deterministic cadence and one track per lead segment. High-value
 * segments get email, LinkedIn and sales-call tasks, warm ones email and retargeting, cold ones email only at
 * half frequency. Phases follow the calendar (first ~40% awareness, next ~35% consideration, rest decision);
 * the final touch carries the call to action the objective asks for. Copy is left to an LLM (`ai_plan`).
 */
import { assertValid } from './field-errors.js';
import {
  DEFAULT_DURATION_DAYS,
  DEFAULT_FREQUENCY,
  validateNurturingCampaignRequest,
  weekdayOfDate,
  type NurturingCampaignRequest,
  type TouchpointFrequency,
} from './nurturing-campaign-validation.js';
import { INTERVAL_DAYS, touchDays, weekdayOf, WEEKDAYS, type Weekday } from './nurturing-schedule.js';

export const NURTURING_MODEL_VERSION = 'crm-nurturing-campaign/1.0.0';
/** Weekday of day 0 when no start date is given: Tuesday, the first day of the send window. */
export const DEFAULT_START_WEEKDAY = 1;
export const MAX_EMAILS_WITHOUT_WARNING = 10;

export type Phase = 'awareness' | 'consideration' | 'decision';
export type Channel = 'email' | 'linkedin' | 'sales_call' | 'retargeting';
export type SegmentTier = 'high_value' | 'warm' | 'cold';

export interface Touchpoint {
  step: number;
  day: number;
  weekday: Weekday;
  phase: Phase;
  channel: Channel;
  content_type: string;
  theme: string;
  cta: string;
}

export interface Branch {
  trigger: string;
  action: string;
}

export interface Track {
  segment: string;
  tier: SegmentTier;
  channels: Channel[];
  touchpoints: Touchpoint[];
  exit_criteria: string[];
  branching: Branch[];
}

export interface Kpi {
  metric: string;
  target: number;
  comparison: 'at_least' | 'at_most';
}

export interface NurturingCampaignResult {
  campaign: {
    id: string;
    name: string;
    objective: string;
    start_date: string | null;
    cadence: {
      frequency: TouchpointFrequency;
      interval_days: number;
      touches: number;
      send_window: { days: Weekday[]; start: string; end: string; timezone: string };
    };
  };
  tracks: Track[];
  kpis: Kpi[];
  warnings: string[];
  model_version: string;
  ai_plan: string | null;
}

const CHANNELS: Record<SegmentTier, Channel[]> = {
  high_value: ['email', 'linkedin', 'sales_call'],
  warm: ['email', 'retargeting'],
  cold: ['email'],
};

// Whole words, where snake_case underscores also separate words ("hot_leads" but not "photo").
const HIGH_VALUE = /(?<![a-z])(high[\s_-]?value|vips?|enterprises?|key[\s_-]?accounts?|strategic|champions?|hot)(?![a-z])/i;
const COLD = /(?<![a-z])(cold|inactive|dormant|lapsed|churn(ed|ing)?|unengaged|disengaged|lost|stale)(?![a-z])/i;

/** High value, warm or cold from the segment's name; a name that says neither is treated as warm. */
export function tierOf(segment: string): SegmentTier {
  if (HIGH_VALUE.test(segment)) return 'high_value';
  if (COLD.test(segment)) return 'cold';
  return 'warm';
}

interface ObjectiveGoal {
  pattern: RegExp;
  cta: string;
  contentType: string;
  metric: string;
}

const GOALS: ObjectiveGoal[] = [
  { pattern: /\bdemos?\b/i, cta: 'Book a demo', contentType: 'demo_invite', metric: 'demo_booking_rate' },
  { pattern: /\btrials?\b/i, cta: 'Start a free trial', contentType: 'trial_offer', metric: 'trial_start_rate' },
  {
    pattern: /\b(meetings?|calls?|consultations?)\b/i,
    cta: 'Book a meeting',
    contentType: 'meeting_invite',
    metric: 'meeting_booking_rate',
  },
  { pattern: /\b(webinars?|events?)\b/i, cta: 'Register now', contentType: 'event_invite', metric: 'registration_rate' },
  { pattern: /\b(upgrades?|upsell)\b/i, cta: 'Upgrade your plan', contentType: 'upgrade_offer', metric: 'upgrade_rate' },
  { pattern: /\brenew(als?)?\b/i, cta: 'Renew your subscription', contentType: 'renewal_offer', metric: 'renewal_rate' },
  { pattern: /\b(onboard\w*|activat\w*|adoption)\b/i, cta: 'Complete your setup', contentType: 'setup_guide', metric: 'activation_rate' },
];
const DEFAULT_GOAL: ObjectiveGoal = { pattern: /$^/, cta: 'Talk to sales', contentType: 'sales_offer', metric: 'sales_conversation_rate' };

export function goalOf(objective: string): ObjectiveGoal {
  return GOALS.find((goal) => goal.pattern.test(objective)) ?? DEFAULT_GOAL;
}

const EMAIL_CONTENT: Record<Phase, { contentType: string; theme: string; cta: string }[]> = {
  awareness: [
    { contentType: 'educational_article', theme: 'The problem and why it matters now', cta: 'Read the article' },
    { contentType: 'industry_insight', theme: 'Trends and benchmarks in your industry', cta: 'Read the report' },
    { contentType: 'checklist', theme: 'A practical checklist to get started', cta: 'Download the checklist' },
  ],
  consideration: [
    { contentType: 'case_study', theme: 'How a similar team got results', cta: 'Read the case study' },
    { contentType: 'webinar_invite', theme: 'Live walkthrough with Q&A', cta: 'Register for the webinar' },
    { contentType: 'product_comparison', theme: 'Your options compared', cta: 'See the comparison' },
  ],
  decision: [
    { contentType: 'roi_calculator', theme: 'Estimate your return', cta: 'Calculate your ROI' },
    { contentType: 'customer_testimonial', theme: 'What customers say', cta: 'Watch the story' },
  ],
};

/** Builds the campaign; throws CrmValidationError on input that breaks a rule. */
export function planNurturingCampaign(request: NurturingCampaignRequest): NurturingCampaignResult {
  assertValid(validateNurturingCampaignRequest(request));
  const warnings: string[] = [];
  const segments = distinctSegments(request.lead_segments, warnings);
  const objective = request.campaign_objective.trim();
  const durationDays = request.duration_days ?? DEFAULT_DURATION_DAYS;
  const frequency = (request.touchpoint_frequency ?? DEFAULT_FREQUENCY) as TouchpointFrequency;
  const startDate = request.start_date ?? null;
  const startWeekday = startDate === null ? DEFAULT_START_WEEKDAY : (weekdayOfDate(startDate) ?? DEFAULT_START_WEEKDAY);
  const goal = goalOf(objective);

  const base = touchDays({ frequency, durationDays, startWeekday });
  warnings.push(...base.warnings);
  const tracks = segments.map((segment) => {
    const tier = tierOf(segment);
    const schedule = tier === 'cold' ? touchDays({ frequency, durationDays, startWeekday, half: true }) : base;
    if (tier === 'cold') warnings.push(...schedule.warnings.map((warning) => `${segment} (cold, half frequency): ${warning}`));
    const track = buildTrack(segment, tier, schedule.days, durationDays, startWeekday, goal);
    const emails = track.touchpoints.filter((touch) => touch.channel === 'email').length;
    if (emails > MAX_EMAILS_WITHOUT_WARNING)
      warnings.push(`${segment}: ${emails} emails in ${durationDays} days risks fatigue and unsubscribes`);
    return track;
  });

  return {
    campaign: {
      id: campaignId(segments, objective, durationDays, frequency, startDate),
      name: `${objective.length > 60 ? `${objective.slice(0, 57)}...` : objective} (${durationDays}-day ${frequency.replace('_', ' ')} nurture)`,
      objective,
      start_date: startDate,
      cadence: {
        frequency,
        interval_days: INTERVAL_DAYS[frequency],
        touches: base.days.length,
        send_window: { days: ['Tuesday', 'Wednesday', 'Thursday'], start: '09:00', end: '11:00', timezone: 'recipient_local' },
      },
    },
    tracks,
    kpis: kpisFor(goal),
    warnings,
    model_version: NURTURING_MODEL_VERSION,
    ai_plan: null,
  };
}

function distinctSegments(segments: string[], warnings: string[]): string[] {
  const distinct: string[] = [];
  for (const raw of segments) {
    const segment = raw.trim();
    if (distinct.includes(segment)) warnings.push(`duplicate segment "${segment}" ignored`);
    else distinct.push(segment);
  }
  return distinct;
}

/** Phase by the share of the campaign elapsed; the last touch always closes in the decision phase. */
export function phaseOf(day: number, durationDays: number, isLast: boolean): Phase {
  if (isLast) return 'decision';
  const elapsed = day / durationDays;
  if (elapsed < 0.4) return 'awareness';
  if (elapsed < 0.75) return 'consideration';
  return 'decision';
}

function channelFor(tier: SegmentTier, index: number, phase: Phase, isLast: boolean): Channel {
  if (tier === 'cold') return 'email';
  if (isLast) return tier === 'high_value' ? 'sales_call' : 'email';
  if (index % 2 === 0) return 'email';
  if (tier === 'warm') return 'retargeting';
  return phase === 'decision' ? 'sales_call' : 'linkedin';
}

function buildTrack(
  segment: string,
  tier: SegmentTier,
  days: number[],
  durationDays: number,
  startWeekday: number,
  goal: ObjectiveGoal,
): Track {
  const emailsInPhase: Record<Phase, number> = { awareness: 0, consideration: 0, decision: 0 };
  let linkedinTouches = 0;
  const touchpoints = days.map((day, index): Touchpoint => {
    const isLast = index === days.length - 1;
    const phase = phaseOf(day, durationDays, isLast);
    const channel = channelFor(tier, index, phase, isLast);
    const common = { step: index + 1, day, weekday: WEEKDAYS[weekdayOf(day, startWeekday)], phase, channel };
    if (isLast && channel === 'email') return { ...common, content_type: goal.contentType, theme: 'The next step', cta: goal.cta };
    switch (channel) {
      case 'email': {
        const options = EMAIL_CONTENT[phase];
        const content = options[emailsInPhase[phase]++ % options.length];
        return { ...common, content_type: content.contentType, theme: content.theme, cta: content.cta };
      }
      case 'linkedin':
        return linkedinTouches++ === 0
          ? { ...common, content_type: 'linkedin_connection', theme: 'Personal introduction', cta: 'Connect on LinkedIn' }
          : { ...common, content_type: 'linkedin_message', theme: 'Share a relevant insight', cta: 'Reply on LinkedIn' };
      case 'retargeting':
        return { ...common, content_type: 'retargeting_ad', theme: EMAIL_CONTENT[phase][0].theme, cta: 'Learn more' };
      case 'sales_call':
        return { ...common, content_type: 'call_task', theme: 'Personal follow-up on their interest', cta: goal.cta };
    }
  });
  return {
    segment,
    tier,
    channels: CHANNELS[tier],
    touchpoints,
    exit_criteria: ['replied', 'meeting_booked', 'became_sql', 'unsubscribed'],
    branching: [
      { trigger: 'clicked_in_decision_phase', action: 'create_sales_task' },
      { trigger: 'three_unopened_emails', action: 'switch_to_re_engagement' },
    ],
  };
}

/** Benchmark targets for B2B nurturing email (defaults, not measured). */
function kpisFor(goal: ObjectiveGoal): Kpi[] {
  return [
    { metric: 'open_rate', target: 0.35, comparison: 'at_least' },
    { metric: 'click_rate', target: 0.04, comparison: 'at_least' },
    { metric: 'reply_rate', target: 0.02, comparison: 'at_least' },
    { metric: goal.metric, target: 0.05, comparison: 'at_least' },
    { metric: 'unsubscribe_rate', target: 0.005, comparison: 'at_most' },
  ];
}

/** Same request, same id: FNV-1a of the normalised inputs. */
function campaignId(segments: string[], objective: string, durationDays: number, frequency: string, startDate: string | null): string {
  const text = JSON.stringify([segments, objective, durationDays, frequency, startDate]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `cmp_${hash.toString(16).padStart(8, '0')}`;
}
