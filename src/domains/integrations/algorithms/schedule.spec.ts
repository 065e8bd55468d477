import { describe, expect, it } from 'vitest';
import { formatInterval, parseSchedule } from './schedule.js';

describe('connection schedules', () => {
  it.each([
    ['15m', { kind: 'interval', expression: '15m', intervalSeconds: 900 }],
    ['every 2h', { kind: 'interval', expression: 'every 2h', intervalSeconds: 7200 }],
    ['1d', { kind: 'interval', expression: '1d', intervalSeconds: 86_400 }],
    ['*/15 * * * *', { kind: 'cron', expression: '*/15 * * * *', intervalSeconds: 900 }],
    ['0 * * * *', { kind: 'cron', expression: '0 * * * *', intervalSeconds: 3600 }],
    ['30 */6 * * *', { kind: 'cron', expression: '30 */6 * * *', intervalSeconds: 21_600 }],
    ['0 3 * * *', { kind: 'cron', expression: '0 3 * * *', intervalSeconds: 86_400 }],
    ['0 9-17 * * 1-5', { kind: 'cron', expression: '0 9-17 * * 1-5', intervalSeconds: null }],
    ['5,35  2 1 * *', { kind: 'cron', expression: '5,35 2 1 * *', intervalSeconds: null }],
  ])('reads %s', (raw, schedule) => {
    expect(parseSchedule(raw)).toEqual({ ok: true, schedule });
  });

  it.each([
    ['30s', 'an interval must be at least 60 seconds'],
    ['hourly', 'expected an interval such as "15m", "every 2h" or a five-field cron expression such as "*/15 * * * *"'],
    ['60 * * * *', 'minute "60" is outside 0–59'],
    ['0 25 * * *', 'hour "25" is outside 0–23'],
    ['0 0 0 * *', 'day of month "0" is outside 1–31'],
    ['0 5-2 * * *', 'hour range "5-2" runs backwards'],
    ['*/0 * * * *', 'minute step "*/0" must be at least 1'],
    ['0 0 * JAN *', 'month "JAN" is not *, n, a-b, */n or a-b/n'],
  ])('refuses %s', (raw, reason) => {
    expect(parseSchedule(raw)).toEqual({ ok: false, reason });
  });

  it('formats intervals in the largest exact unit', () => {
    expect([90, 900, 7200, 86_400, 172_800].map(formatInterval)).toEqual(['90s', '15m', '2h', '1d', '2d']);
  });
});
