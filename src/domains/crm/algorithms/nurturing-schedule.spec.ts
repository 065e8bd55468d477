import { describe, expect, it } from 'vitest';
import { touchDays } from './nurturing-schedule.js';

const MONDAY = 0;
const TUESDAY = 1;
const FRIDAY = 4;

describe('touchDays', () => {
  it('30 days weekly → days 0, 7, 14, 21, 28 (5 touches)', () => {
    expect(touchDays({ frequency: 'weekly', durationDays: 30, startWeekday: TUESDAY })).toEqual({ days: [0, 7, 14, 21, 28], warnings: [] });
  });

  it('biweekly and monthly use 14 and 30 days', () => {
    expect(touchDays({ frequency: 'biweekly', durationDays: 60, startWeekday: TUESDAY }).days).toEqual([0, 14, 28, 42, 56]);
    // Tuesday + 60 is a Saturday: moved to Monday (62); +90 is a Monday.
    expect(touchDays({ frequency: 'monthly', durationDays: 100, startWeekday: TUESDAY }).days).toEqual([0, 30, 62, 90]);
  });

  it('daily means every business day', () => {
    expect(touchDays({ frequency: 'daily', durationDays: 10, startWeekday: TUESDAY }).days).toEqual([0, 1, 2, 3, 6, 7, 8, 9]);
  });

  it('twice_weekly means Tuesdays and Thursdays', () => {
    expect(touchDays({ frequency: 'twice_weekly', durationDays: 14, startWeekday: MONDAY }).days).toEqual([1, 3, 8, 10]);
  });

  it('half frequency doubles the interval (cold leads)', () => {
    expect(touchDays({ frequency: 'weekly', durationDays: 30, startWeekday: TUESDAY, half: true }).days).toEqual([0, 14, 28]);
    expect(touchDays({ frequency: 'twice_weekly', durationDays: 14, startWeekday: MONDAY, half: true }).days).toEqual([1, 8]);
    expect(touchDays({ frequency: 'daily', durationDays: 7, startWeekday: MONDAY, half: true }).days).toEqual([0, 2, 4]);
  });

  it('moves weekend touches to Monday', () => {
    // Starting on a Saturday: day 0 → Monday (2), day 7 → 9, day 14 → 16.
    expect(touchDays({ frequency: 'weekly', durationDays: 20, startWeekday: 5 }).days).toEqual([2, 9, 16]);
  });

  it('drops a moved touch that would pass the end, and says so', () => {
    const schedule = touchDays({ frequency: 'weekly', durationDays: 8, startWeekday: 6 });
    expect(schedule.days).toEqual([1]);
    expect(schedule.warnings).toEqual(['the touch due on day 7 falls on a weekend and the Monday after is past the campaign end; dropped']);
  });

  it('a duration shorter than one interval gives one touch and a warning', () => {
    expect(touchDays({ frequency: 'weekly', durationDays: 5, startWeekday: TUESDAY })).toEqual({
      days: [0],
      warnings: ['duration_days 5 is shorter than one interval (7 days); the track has a single touch'],
    });
    expect(touchDays({ frequency: 'monthly', durationDays: 3, startWeekday: 5 }).days).toEqual([2]);
  });

  it('falls back to one touch when no cadence day fits', () => {
    const schedule = touchDays({ frequency: 'twice_weekly', durationDays: 4, startWeekday: FRIDAY });
    expect(schedule.days).toEqual([0]);
    expect(schedule.warnings).toEqual(['no twice_weekly touch falls inside 4 day(s); the track has a single touch']);
  });
});
