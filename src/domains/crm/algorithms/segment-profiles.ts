/** Segment names, recommended actions and the per-segment profile shared by every segmentation type. */
import type { CustomerTable } from './segmentation-features.js';
import { median, roundTo } from './stats.js';

export interface SegmentProfile {
  means: Record<string, number | null>;
  medians: Record<string, number | null>;
}

export interface Segment {
  segment_id: number;
  name: string;
  size: number;
  share: number;
  customer_ids: (string | number)[];
  profile: SegmentProfile;
  total_ltv: number;
  ltv_share: number;
  /** Σ ltv × churn_risk; null when no customer has a churn risk. */
  revenue_at_risk: number | null;
  recommended_actions: string[];
}

/** Centre of a behavioural cluster in z-scores: v value (ln LTV), e engagement, r churn risk. */
export interface CentreZ {
  v: number;
  e: number;
  r: number;
}

export function behavioralName({ v, e, r }: CentreZ): string {
  if (v > 0.5 && e > 0 && r < 0) return 'Champions';
  if (v > 0.5 && r > 0.5) return 'At Risk (high value)';
  if (v > 0 && e >= 0) return 'Loyal';
  if (v <= 0 && e > 0.5 && r < 0) return 'Promising';
  if (r > 0.5 && e < 0) return 'Hibernating';
  return 'Needs Attention';
}

/** "Loyal", "Loyal (2)", …: the first segment (highest value) keeps the plain name. */
export function suffixDuplicates(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

const ACTIONS: Record<string, string[]> = {
  Champions: [
    'Invite to referral and advocacy programmes',
    'Offer early access to new features',
    'Upsell premium tiers with a personal touch',
  ],
  'At Risk (high value)': [
    'Assign an account manager for a retention call this week',
    'Review support history and resolve open issues',
    'Offer a tailored renewal incentive',
  ],
  Loyal: ['Cross-sell complementary products', 'Enrol in a loyalty programme', 'Ask for reviews and testimonials'],
  Promising: [
    'Guide towards higher-value plans with onboarding content',
    'Offer a time-limited upgrade incentive',
    'Nurture with product education',
  ],
  Hibernating: [
    'Run a win-back campaign with a strong offer',
    'Survey for reasons of disengagement',
    'Reduce contact frequency to avoid unsubscribes',
  ],
  'Needs Attention': ['Re-engage with personalised content', 'Check product fit and usage blockers', 'Review churn risk monthly'],
  'Loyal Customers': ['Cross-sell complementary products', 'Enrol in a loyalty programme', 'Ask for reviews and testimonials'],
  'New Customers': ['Run a structured onboarding sequence', 'Check in after the first purchase', 'Recommend a second product'],
  "Can't Lose Them": ['Call personally to win them back', 'Offer a renewal or loyalty incentive', 'Find out what changed and fix it'],
  'At Risk': ['Send a personalised reactivation offer', 'Remind them of the value they get', 'Ask for feedback'],
  'Need Attention': ['Send limited-time offers', 'Recommend based on purchase history', 'Reactivate with relevant content'],
  Lost: ['Include in a low-cost win-back campaign', 'Otherwise suppress from regular sends'],
  New: ['Run a structured onboarding sequence', 'Check in at day 7 and day 30', 'Highlight quick wins'],
  Active: ['Cross-sell and upsell based on usage', 'Invite to the community', 'Ask for referrals'],
  Lapsed: ['Run a win-back campaign', 'Survey for reasons of leaving', 'Suppress after no response'],
  'All Customers': ['Segment further once more signals are available'],
};

const VALUE_TIER_ACTIONS = [
  ['Protect with dedicated account management', 'Offer premium services and early access'],
  ['Upsell to the next tier', 'Deepen engagement with tailored content'],
  ['Grow with targeted cross-sell offers', 'Automate nurturing'],
  ['Serve through low-cost automated channels', 'Test upgrade incentives'],
];

export function actionsFor(name: string, valueTier?: { index: number; count: number }): string[] {
  if (valueTier) {
    const position = valueTier.count === 1 ? 0 : Math.round((valueTier.index * (VALUE_TIER_ACTIONS.length - 1)) / (valueTier.count - 1));
    return VALUE_TIER_ACTIONS[position];
  }
  const base = name.replace(/ \(\d+\)$/, '');
  return ACTIONS[base] ?? ACTIONS['Needs Attention'];
}

export interface SegmentSpec {
  name: string;
  recommendedActions: string[];
}

/** Groups customers by label (0 … k−1, already in output order) into segments with their profiles. */
export function buildSegments(table: CustomerTable, labels: Int32Array, specs: SegmentSpec[]): Segment[] {
  const k = specs.length;
  const members = groupByLabel(labels, k);
  const ltv = table.core.ltv;
  const churn = table.core.churn_risk;
  let totalLtv = 0;
  if (ltv) for (let i = 0; i < table.n; i++) totalLtv += ltv[i];
  const columns = profileColumns(table);
  return specs.map((spec, label) => {
    const indices = members[label];
    let segmentLtv = 0;
    let atRisk = 0;
    for (const i of indices) {
      const value = ltv ? ltv[i] : 0;
      segmentLtv += value;
      if (churn) atRisk += value * churn[i];
    }
    const means: Record<string, number | null> = {};
    const medians: Record<string, number | null> = {};
    for (const column of columns) {
      const values = column.values ? Float64Array.from(indices, (i) => (column.values as Float64Array)[i]) : null;
      means[column.name] = values && values.length > 0 ? roundTo(values.reduce((a, b) => a + b, 0) / values.length, 4) : null;
      medians[column.name] = values && values.length > 0 ? roundTo(median(values), 4) : null;
    }
    return {
      segment_id: label + 1,
      name: spec.name,
      size: indices.length,
      share: roundTo(indices.length / table.n, 4),
      customer_ids: Array.from(indices, (i) => table.ids[i]),
      profile: { means, medians },
      total_ltv: roundTo(segmentLtv, 2),
      ltv_share: totalLtv > 0 ? roundTo(segmentLtv / totalLtv, 4) : 0,
      revenue_at_risk: churn ? roundTo(atRisk, 2) : null,
      recommended_actions: spec.recommendedActions,
    };
  });
}

function profileColumns(table: CustomerTable): { name: string; values: Float64Array | null }[] {
  return [
    { name: 'ltv', values: table.core.ltv },
    { name: 'engagement_score', values: table.core.engagement_score },
    { name: 'churn_risk', values: table.core.churn_risk },
    ...table.extras,
  ];
}

/** Member indices per label, in input order (counting sort). */
export function groupByLabel(labels: Int32Array, k: number): Int32Array[] {
  const counts = new Int32Array(k);
  for (const label of labels) counts[label]++;
  const groups = Array.from(counts, (count) => new Int32Array(count));
  const filled = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    groups[label][filled[label]++] = i;
  }
  return groups;
}
