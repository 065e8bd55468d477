import { describe, expect, it } from 'vitest';
import { categorise, type DunningInvoice, type PaymentAttempt, planDunning } from './dunning-plan.js';

const failed = (at: string, failureCode: string, amount = 100): PaymentAttempt => ({
  amount,
  status: 'failed',
  failureCode,
  attemptedAt: new Date(at),
});
const invoice = (invoiceRef: string, amount: number, payments: PaymentAttempt[]): DunningInvoice => ({
  invoiceRef,
  customerRef: `c${invoiceRef.slice(3)}`,
  amount,
  payments,
});

const AS_OF = new Date('2025-03-04T12:00:00Z');

const INVOICES = [
  invoice('inv1', 100, [failed('2025-03-04T08:00:00Z', 'insufficient_funds')]),
  invoice('inv2', 300, [failed('2025-03-01T09:00:00Z', 'card_expired')]),
  invoice('inv3', 200, [
    { amount: 50, status: 'succeeded', failureCode: null, attemptedAt: new Date('2025-02-19T00:00:00Z') },
    failed('2025-02-20T10:00:00Z', 'processing_error'),
    failed('2025-02-21T10:00:00Z', 'processing_error'),
    failed('2025-02-23T10:00:00Z', 'processing_error'),
  ]),
  invoice('inv4', 500, [failed('2025-03-03T10:00:00Z', 'stolen_card')]),
  invoice('inv5', 80, [
    failed('2025-02-01T10:00:00Z', 'do_not_honor'),
    failed('2025-02-02T10:00:00Z', 'do_not_honor'),
    failed('2025-02-04T10:00:00Z', 'do_not_honor'),
    failed('2025-02-06T10:00:00Z', 'do_not_honor'),
    failed('2025-02-08T10:00:00Z', 'do_not_honor'),
  ]),
  invoice('inv6', 40, [
    failed('2025-03-01T10:00:00Z', 'insufficient_funds'),
    { amount: 40, status: 'succeeded', failureCode: null, attemptedAt: new Date('2025-03-02T10:00:00Z') },
  ]),
  invoice('inv7', 60, [failed('2025-03-02T10:00:00Z', 'account_closed')]),
];

describe('dunning plan', () => {
  it.each([
    ['insufficient_funds', 'insufficient_funds'],
    ['EXPIRED_CARD', 'update_payment_method'],
    ['card_expired', 'update_payment_method'],
    ['account_closed', 'hard_decline'],
    ['stolen_card', 'fraud'],
    ['processing_error', 'transient'],
    [null, 'transient'],
  ])('puts failure code %s in %s', (code, category) => {
    expect(categorise(code)).toBe(category);
  });

  it('plans retries and messages by failure code, with amounts at risk and the recovery order (hand-checked)', () => {
    const result = planDunning(INVOICES, AS_OF);
    // Expected recovery: inv2 300 × 0.4 = 120; inv3 (200 − 50 paid) 150 × 0.7 = 105; inv1 100 × 0.5 = 50;
    // inv5 all 4 retries failed → 80 × 0.1 = 8; inv7 60 × 0.1 = 6; inv4 fraud 500 × 0 = 0. inv6 is paid.
    expect(result.invoices.map((e) => [e.recovery_rank, e.invoice_ref, e.category, e.amount_at_risk, e.expected_recovery])).toEqual([
      [1, 'inv2', 'update_payment_method', 300, 120],
      [2, 'inv3', 'transient', 150, 105],
      [3, 'inv1', 'insufficient_funds', 100, 50],
      [4, 'inv5', 'transient', 80, 8],
      [5, 'inv7', 'hard_decline', 60, 6],
      [6, 'inv4', 'fraud', 500, 0],
    ]);
    // 100 + 300 + 150 + 500 + 80 + 60 = 1190; 120 + 105 + 50 + 8 + 6 + 0 = 289
    expect(result.summary).toEqual({
      invoices: 6,
      amount_at_risk: 1190,
      expected_recovery: 289,
      by_category: {
        transient: { invoices: 2, amount_at_risk: 230 },
        insufficient_funds: { invoices: 1, amount_at_risk: 100 },
        update_payment_method: { invoices: 1, amount_at_risk: 300 },
        hard_decline: { invoices: 1, amount_at_risk: 60 },
        fraud: { invoices: 1, amount_at_risk: 500 },
      },
      retries_scheduled: 6,
    });
    const byRef = Object.fromEntries(result.invoices.map((e) => [e.invoice_ref, e]));
    // Failed today (day 0 = 2025-03-04): retries on days 1, 3, 5, 7; final notice on day 7, suspension on day 8.
    expect(byRef.inv1.schedule).toEqual([
      { day: 0, date: '2025-03-04', action: 'send_message', template: 'payment_failed_insufficient_funds' },
      { day: 1, date: '2025-03-05', action: 'retry_payment' },
      { day: 3, date: '2025-03-07', action: 'retry_payment' },
      { day: 5, date: '2025-03-09', action: 'retry_payment' },
      { day: 5, date: '2025-03-09', action: 'send_message', template: 'payment_reminder' },
      { day: 7, date: '2025-03-11', action: 'retry_payment' },
      { day: 7, date: '2025-03-11', action: 'send_message', template: 'final_notice' },
      { day: 8, date: '2025-03-12', action: 'suspend_service' },
    ]);
    // Expired card on 2025-03-01: no retry; the day-0 message went out, the day-3 reminder is today.
    expect(byRef.inv2).toMatchObject({ retries_left: 0, failed_attempts: 1 });
    expect(byRef.inv2.schedule).toEqual([
      { day: 3, date: '2025-03-04', action: 'send_message', template: 'update_card_reminder' },
      { day: 7, date: '2025-03-08', action: 'send_message', template: 'final_notice' },
      { day: 8, date: '2025-03-09', action: 'suspend_service' },
    ]);
    // Two retries done (02-21, 02-23); the day-5 and day-7 retries (02-25, 02-27) are overdue → today and tomorrow.
    expect(byRef.inv3.schedule).toEqual([
      { day: 12, date: '2025-03-04', action: 'retry_payment' },
      { day: 13, date: '2025-03-05', action: 'retry_payment' },
      { day: 13, date: '2025-03-05', action: 'send_message', template: 'final_notice' },
      { day: 14, date: '2025-03-06', action: 'suspend_service' },
    ]);
    expect(byRef.inv4).toMatchObject({ retries_left: 0, schedule: [{ day: 1, date: '2025-03-04', action: 'manual_review' }] });
    expect(byRef.inv5).toMatchObject({
      retries_left: 0,
      failed_attempts: 5,
      strategy: 'all 4 retries failed: send the final notice, then suspend',
    });
    expect(byRef.inv7.schedule).toEqual([
      { day: 7, date: '2025-03-09', action: 'send_message', template: 'final_notice' },
      { day: 8, date: '2025-03-10', action: 'suspend_service' },
    ]);
  });

  it('answers not enough data without failed payments on unpaid invoices', () => {
    expect(planDunning([], AS_OF)).toMatchObject({
      status: 'not_enough_data',
      message: 'Not enough data: no unpaid invoice with a failed payment (0 invoice(s) checked)',
      invoices: [],
      summary: { invoices: 0, amount_at_risk: 0 },
    });
    expect(planDunning([INVOICES[5]], AS_OF).status).toBe('not_enough_data');
  });
});
