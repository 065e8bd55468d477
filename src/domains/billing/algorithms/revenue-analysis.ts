/** A subscription's MRR becomes `mrr` at `effectiveAt` (net of discounts; 0 when cancelled). */
export interface MrrEvent {
  customerRef: string;
  subscriptionRef: string;
  effectiveAt: Date;
  mrr: number;
}

export type MovementKind = 'new' | 'expansion' | 'contraction' | 'churn' | 'reactivation';

export interface CustomerMovement {
  customer_ref: string;
  mrr_start: number;
  mrr_end: number;
  movement: MovementKind;
  amount: number;
}

export interface RevenueResult {
  status: 'ok' | 'not_enough_data';
  message: string;
  period: { start: string; end: string };
  mrr_start: number;
  mrr_end: number;
  movements: Record<MovementKind, number>;
  net_new_mrr: number;
  /** (start + expansion − contraction − churn) / start; null without MRR at the start. */
  net_revenue_retention: number | null;
  /** (start − contraction − churn) / start; null without MRR at the start. */
  gross_revenue_retention: number | null;
  customers: { at_start: number; at_end: number; new: number; churned: number; reactivated: number; expanded: number; contracted: number };
  /** start + new + reactivation + expansion − contraction − churn = end. */
  reconciles: boolean;
  by_customer: CustomerMovement[];
}

const cents = (value: number): number => Math.round(value * 100) / 100;
const ratio = (value: number): number => Math.round(value * 1e4) / 1e4;
export const MAX_CUSTOMER_ROWS = 200;

/** Each customer's MRR just before `at`: the sum of their subscriptions' last event before it. */
function mrrBefore(events: MrrEvent[], at: number): Map<string, number> {
  const latest = new Map<string, MrrEvent>();
  for (const event of events) {
    if (event.effectiveAt.getTime() >= at) continue;
    const key = `${event.customerRef}\u0000${event.subscriptionRef}`;
    const current = latest.get(key);
    if (!current || event.effectiveAt.getTime() >= current.effectiveAt.getTime()) latest.set(key, event);
  }
  const byCustomer = new Map<string, number>();
  for (const event of latest.values()) byCustomer.set(event.customerRef, (byCustomer.get(event.customerRef) ?? 0) + event.mrr);
  return byCustomer;
}

/**
 * The MRR bridge of a period [start, end): per customer, MRR just before start vs just before end gives
 * new (0 → >0, never paid before), reactivation (0 → >0, paid before), expansion, contraction and churn
 * (>0 → 0). Net revenue retention = (start + expansion − contraction − churn) / start; gross revenue
 * retention = (start − contraction − churn) / start.
 */
export function analyseRevenue(events: MrrEvent[], periodStart: Date, periodEnd: Date): RevenueResult {
  const start = periodStart.getTime();
  const end = periodEnd.getTime();
  const atStart = mrrBefore(events, start);
  const atEnd = mrrBefore(events, end);
  const paidBefore = new Set(events.filter((e) => e.effectiveAt.getTime() < start && e.mrr > 0).map((e) => e.customerRef));
  const movements: Record<MovementKind, number> = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0 };
  const counts = { new: 0, churned: 0, reactivated: 0, expanded: 0, contracted: 0 };
  const rows: CustomerMovement[] = [];
  const customers = [...new Set([...atStart.keys(), ...atEnd.keys()])].sort();
  for (const customer of customers) {
    const s = cents(atStart.get(customer) ?? 0);
    const e = cents(atEnd.get(customer) ?? 0);
    if (s === e) continue;
    let movement: MovementKind;
    if (s === 0) {
      movement = paidBefore.has(customer) ? 'reactivation' : 'new';
      counts[movement === 'new' ? 'new' : 'reactivated'] += 1;
    } else if (e === 0) {
      movement = 'churn';
      counts.churned += 1;
    } else if (e > s) {
      movement = 'expansion';
      counts.expanded += 1;
    } else {
      movement = 'contraction';
      counts.contracted += 1;
    }
    const amount = cents(Math.abs(e - s));
    movements[movement] = cents(movements[movement] + amount);
    rows.push({ customer_ref: customer, mrr_start: s, mrr_end: e, movement, amount });
  }
  const mrrStart = cents([...atStart.values()].reduce((sum, v) => sum + v, 0));
  const mrrEnd = cents([...atEnd.values()].reduce((sum, v) => sum + v, 0));
  const bridge = cents(mrrStart + movements.new + movements.reactivation + movements.expansion - movements.contraction - movements.churn);
  const period = { start: periodStart.toISOString(), end: periodEnd.toISOString() };
  const hasStart = mrrStart > 0;
  const status = hasStart || mrrEnd > 0 ? 'ok' : 'not_enough_data';
  rows.sort((a, b) => b.amount - a.amount || a.customer_ref.localeCompare(b.customer_ref));
  return {
    status,
    message:
      status === 'not_enough_data'
        ? `Not enough data: no recurring revenue before ${period.start} or before ${period.end} (${events.length} MRR change(s) recorded)`
        : hasStart
          ? `MRR ${mrrStart} → ${mrrEnd} over the period`
          : `MRR 0 → ${mrrEnd}: retention needs MRR at the period start`,
    period,
    mrr_start: mrrStart,
    mrr_end: mrrEnd,
    movements,
    net_new_mrr: cents(mrrEnd - mrrStart),
    net_revenue_retention: hasStart ? ratio((mrrStart + movements.expansion - movements.contraction - movements.churn) / mrrStart) : null,
    gross_revenue_retention: hasStart ? ratio((mrrStart - movements.contraction - movements.churn) / mrrStart) : null,
    customers: {
      at_start: [...atStart.values()].filter((v) => cents(v) > 0).length,
      at_end: [...atEnd.values()].filter((v) => cents(v) > 0).length,
      ...counts,
    },
    reconciles: bridge === mrrEnd,
    by_customer: rows.slice(0, MAX_CUSTOMER_ROWS),
  };
}
