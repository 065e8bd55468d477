export interface PaymentAttempt {
  amount: number;
  status: string;
  failureCode: string | null;
  attemptedAt: Date;
}

/** An unpaid invoice with its payment attempts. */
export interface DunningInvoice {
  invoiceRef: string;
  customerRef: string;
  amount: number;
  payments: PaymentAttempt[];
}

export type FailureCategory = 'insufficient_funds' | 'transient' | 'update_payment_method' | 'hard_decline' | 'fraud';

export interface DunningStep {
  day: number;
  date: string;
  action: 'retry_payment' | 'send_message' | 'manual_review' | 'suspend_service';
  template?: string;
}

export interface DunningEntry {
  invoice_ref: string;
  customer_ref: string;
  amount_at_risk: number;
  failure_code: string | null;
  category: FailureCategory;
  failed_attempts: number;
  first_failed_at: string;
  last_attempt_at: string;
  retries_left: number;
  expected_recovery: number;
  strategy: string;
  schedule: DunningStep[];
  recovery_rank: number;
}

export interface DunningResult {
  status: 'ok' | 'not_enough_data';
  message: string;
  as_of: string;
  invoices: DunningEntry[];
  summary: {
    invoices: number;
    amount_at_risk: number;
    expected_recovery: number;
    by_category: Record<FailureCategory, { invoices: number; amount_at_risk: number }>;
    retries_scheduled: number;
  };
  assumptions: { retry_days: number[]; recovery_rates: Record<FailureCategory, number> };
}

/** Retries on day 1, 3, 5 and 7 after the first failure for declines that can succeed later. */
export const RETRY_DAYS = [1, 3, 5, 7];

const CODES: Record<Exclude<FailureCategory, 'transient'>, string[]> = {
  insufficient_funds: ['insufficient_funds', 'withdrawal_count_limit_exceeded', 'card_velocity_exceeded'],
  update_payment_method: [
    'card_expired',
    'expired_card',
    'incorrect_number',
    'invalid_number',
    'invalid_expiry_month',
    'invalid_expiry_year',
    'incorrect_cvc',
    'invalid_cvc',
    'card_not_supported',
  ],
  hard_decline: [
    'restricted_card',
    'account_closed',
    'new_account_information_available',
    'revocation_of_authorization',
    'revocation_of_all_authorizations',
    'stop_payment_order',
    'transaction_not_allowed',
    'invalid_account',
  ],
  fraud: ['fraudulent', 'stolen_card', 'lost_card', 'pickup_card', 'security_violation', 'merchant_blacklist'],
};

/**
 * Share of the amount at risk a dunning run typically recovers per category, used only to order the
 * work (stated in the result as an assumption).
 */
export const RECOVERY_RATES: Record<FailureCategory, number> = {
  transient: 0.7,
  insufficient_funds: 0.5,
  update_payment_method: 0.4,
  hard_decline: 0.1,
  fraud: 0,
};

/** Unknown codes (processing_error, generic_decline, do_not_honor, …) are treated as transient. */
export function categorise(code: string | null): FailureCategory {
  const normalised = (code ?? '').trim().toLowerCase();
  for (const [category, codes] of Object.entries(CODES) as [FailureCategory, string[]][]) if (codes.includes(normalised)) return category;
  return 'transient';
}

const DAY_MS = 86_400_000;
const cents = (value: number): number => Math.round(value * 100) / 100;
const utcDay = (date: Date): number => Math.floor(date.getTime() / DAY_MS) * DAY_MS;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

interface Plan {
  strategy: string;
  retries: number[];
  messages: { day: number; template: string }[];
  /** final_notice: a last message on day 7 (or after the last retry), service suspended the day after. */
  escalation: 'final_notice' | 'manual_review';
}

const FINAL_NOTICE_DAY = 7;

const PLANS: Record<FailureCategory, Plan> = {
  insufficient_funds: {
    strategy: 'retry on days 1, 3, 5 and 7; ask the customer to make funds available',
    retries: RETRY_DAYS,
    messages: [
      { day: 0, template: 'payment_failed_insufficient_funds' },
      { day: 5, template: 'payment_reminder' },
    ],
    escalation: 'final_notice',
  },
  transient: {
    strategy: 'retry on days 1, 3, 5 and 7 (temporary decline)',
    retries: RETRY_DAYS,
    messages: [{ day: 0, template: 'payment_failed_will_retry' }],
    escalation: 'final_notice',
  },
  update_payment_method: {
    strategy: 'no retry on the same card: ask for a new card, retry as soon as it is updated',
    retries: [],
    messages: [
      { day: 0, template: 'update_card' },
      { day: 3, template: 'update_card_reminder' },
    ],
    escalation: 'final_notice',
  },
  hard_decline: {
    strategy: 'stop retrying: the issuer will not approve this card; ask for a different payment method',
    retries: [],
    messages: [{ day: 0, template: 'different_payment_method' }],
    escalation: 'final_notice',
  },
  fraud: {
    strategy: 'stop: possible fraud, no retry and no automated message; review manually',
    retries: [],
    messages: [],
    escalation: 'manual_review',
  },
};

const ACTION_ORDER: Record<DunningStep['action'], number> = { manual_review: 0, retry_payment: 1, send_message: 2, suspend_service: 3 };

/** The steps still ahead (from `asOf`, a UTC day), anchored at the day of the first failure. */
function schedule(plan: Plan, firstFailed: number, retriesDone: number, asOf: number): DunningStep[] {
  const when = (ms: number) => ({ day: Math.round((ms - firstFailed) / DAY_MS), date: isoDay(ms) });
  const steps: DunningStep[] = [];
  // Retries already made are skipped; an overdue one happens today, and never two on one day.
  let lastRetry = -Infinity;
  for (const day of plan.retries.slice(retriesDone)) {
    lastRetry = Math.max(firstFailed + day * DAY_MS, asOf, lastRetry + DAY_MS);
    steps.push({ ...when(lastRetry), action: 'retry_payment' });
  }
  // Messages dated before today went out with the failures that triggered them.
  for (const message of plan.messages) {
    const at = firstFailed + message.day * DAY_MS;
    if (at >= asOf) steps.push({ ...when(at), action: 'send_message', template: message.template });
  }
  if (plan.escalation === 'final_notice') {
    const notice = Math.max(firstFailed + FINAL_NOTICE_DAY * DAY_MS, lastRetry, asOf);
    steps.push({ ...when(notice), action: 'send_message', template: 'final_notice' });
    steps.push({ ...when(notice + DAY_MS), action: 'suspend_service' });
  } else {
    steps.push({ ...when(Math.max(firstFailed, asOf)), action: 'manual_review' });
  }
  return steps.sort((a, b) => a.day - b.day || ACTION_ORDER[a.action] - ACTION_ORDER[b.action]);
}

function entryFor(invoice: DunningInvoice, asOf: number): Omit<DunningEntry, 'recovery_rank'> | undefined {
  const paid = invoice.payments.filter((p) => p.status === 'succeeded').reduce((total, p) => total + p.amount, 0);
  const atRisk = cents(invoice.amount - paid);
  const failed = invoice.payments.filter((p) => p.status === 'failed').sort((a, b) => a.attemptedAt.getTime() - b.attemptedAt.getTime());
  if (atRisk <= 0 || failed.length === 0) return undefined;
  const last = failed[failed.length - 1];
  const category = categorise(last.failureCode);
  const plan = PLANS[category];
  const firstFailed = utcDay(failed[0].attemptedAt);
  const retriesDone = failed.length - 1;
  const steps = schedule(plan, firstFailed, retriesDone, utcDay(new Date(asOf)));
  const retriesLeft = steps.filter((s) => s.action === 'retry_payment').length;
  // Once every retry failed, the remaining hope is the final notice.
  const exhausted = plan.retries.length > 0 && retriesLeft === 0;
  const rate = exhausted ? RECOVERY_RATES.hard_decline : RECOVERY_RATES[category];
  return {
    invoice_ref: invoice.invoiceRef,
    customer_ref: invoice.customerRef,
    amount_at_risk: atRisk,
    failure_code: last.failureCode,
    category,
    failed_attempts: failed.length,
    first_failed_at: failed[0].attemptedAt.toISOString(),
    last_attempt_at: last.attemptedAt.toISOString(),
    retries_left: retriesLeft,
    expected_recovery: cents(atRisk * rate),
    strategy: exhausted ? `all ${plan.retries.length} retries failed: send the final notice, then suspend` : plan.strategy,
    schedule: steps,
  };
}

/**
 * A retry and message schedule for every unpaid invoice with a failed payment, by failure category
 * (soft declines retried on days 1, 3, 5, 7 after the first failure; expired or invalid cards asked for
 * a new card without retrying; hard declines and fraud stopped), with the amount at risk and the order
 * to work them in (highest expected recovery first).
 */
export function planDunning(invoices: DunningInvoice[], asOf: Date): DunningResult {
  const entries = invoices
    .map((invoice) => entryFor(invoice, asOf.getTime()))
    .filter((entry): entry is Omit<DunningEntry, 'recovery_rank'> => entry !== undefined)
    .sort(
      (a, b) =>
        b.expected_recovery - a.expected_recovery || b.amount_at_risk - a.amount_at_risk || a.invoice_ref.localeCompare(b.invoice_ref),
    )
    .map((entry, index) => ({ ...entry, recovery_rank: index + 1 }));
  const byCategory = Object.fromEntries(
    (Object.keys(RECOVERY_RATES) as FailureCategory[]).map((category) => {
      const inCategory = entries.filter((e) => e.category === category);
      return [category, { invoices: inCategory.length, amount_at_risk: cents(inCategory.reduce((t, e) => t + e.amount_at_risk, 0)) }];
    }),
  ) as Record<FailureCategory, { invoices: number; amount_at_risk: number }>;
  const status = entries.length > 0 ? 'ok' : 'not_enough_data';
  return {
    status,
    message:
      status === 'ok'
        ? `${entries.length} unpaid invoice(s) with failed payments`
        : `Not enough data: no unpaid invoice with a failed payment (${invoices.length} invoice(s) checked)`,
    as_of: asOf.toISOString(),
    invoices: entries,
    summary: {
      invoices: entries.length,
      amount_at_risk: cents(entries.reduce((t, e) => t + e.amount_at_risk, 0)),
      expected_recovery: cents(entries.reduce((t, e) => t + e.expected_recovery, 0)),
      by_category: byCategory,
      retries_scheduled: entries.reduce((t, e) => t + e.retries_left, 0),
    },
    assumptions: { retry_days: RETRY_DAYS, recovery_rates: RECOVERY_RATES },
  };
}
