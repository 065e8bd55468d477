/**
 * Touch days of a nurturing cadence. Day 0 is the campaign's first day; weekdays count 0 = Monday … 6 = Sunday.
 * Fixed intervals (weekly 7, biweekly 14, monthly 30 days) place touch k on day round(k · interval); daily
 * means every business day and twice_weekly every Tuesday and Thursday. A touch on a weekend moves to the
 * Monday after; there is at most one touch a day and none on or after `durationDays`.
 */
import type { TouchpointFrequency } from './nurturing-campaign-validation.js';

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Nominal days between touches (twice weekly: 3.5 on average). */
export const INTERVAL_DAYS: Record<TouchpointFrequency, number> = { daily: 1, twice_weekly: 3.5, weekly: 7, biweekly: 14, monthly: 30 };

const SATURDAY = 5;
const SUNDAY = 6;
const TUESDAY = 1;
const THURSDAY = 3;

export interface Schedule {
  days: number[];
  warnings: string[];
}

export interface ScheduleOptions {
  frequency: TouchpointFrequency;
  durationDays: number;
  /** Weekday of day 0. */
  startWeekday: number;
  /** Half frequency: every other touch of the cadence (cold leads). */
  half?: boolean;
}

export function weekdayOf(day: number, startWeekday: number): number {
  return (startWeekday + day) % 7;
}

function isBusinessDay(day: number, startWeekday: number): boolean {
  const weekday = weekdayOf(day, startWeekday);
  return weekday !== SATURDAY && weekday !== SUNDAY;
}

function firstBusinessDay(durationDays: number, startWeekday: number): number {
  for (let day = 0; day < durationDays; day++) if (isBusinessDay(day, startWeekday)) return day;
  return 0;
}

export function touchDays({ frequency, durationDays, startWeekday, half = false }: ScheduleOptions): Schedule {
  const warnings: string[] = [];
  const interval = INTERVAL_DAYS[frequency] * (half ? 2 : 1);
  if (durationDays < interval) {
    warnings.push(`duration_days ${durationDays} is shorter than one interval (${interval} days); the track has a single touch`);
    return { days: [firstBusinessDay(durationDays, startWeekday)], warnings };
  }
  const days = candidateDays(frequency, durationDays, startWeekday, half, warnings);
  if (days.length === 0) {
    warnings.push(`no ${frequency} touch falls inside ${durationDays} day(s); the track has a single touch`);
    days.push(firstBusinessDay(durationDays, startWeekday));
  }
  return { days, warnings };
}

function candidateDays(
  frequency: TouchpointFrequency,
  durationDays: number,
  startWeekday: number,
  half: boolean,
  warnings: string[],
): number[] {
  const days: number[] = [];
  switch (frequency) {
    case 'daily': {
      let businessDay = 0;
      for (let day = 0; day < durationDays; day++) {
        if (!isBusinessDay(day, startWeekday)) continue;
        if (!half || businessDay % 2 === 0) days.push(day);
        businessDay++;
      }
      return days;
    }
    case 'twice_weekly':
      for (let day = 0; day < durationDays; day++) {
        const weekday = weekdayOf(day, startWeekday);
        if (weekday === TUESDAY || (!half && weekday === THURSDAY)) days.push(day);
      }
      return days;
    case 'weekly':
    case 'biweekly':
    case 'monthly': {
      const interval = INTERVAL_DAYS[frequency] * (half ? 2 : 1);
      for (let k = 0; Math.round(k * interval) < durationDays; k++) {
        const nominal = Math.round(k * interval);
        const weekday = weekdayOf(nominal, startWeekday);
        const day = weekday === SATURDAY ? nominal + 2 : weekday === SUNDAY ? nominal + 1 : nominal;
        if (day >= durationDays) {
          warnings.push(`the touch due on day ${nominal} falls on a weekend and the Monday after is past the campaign end; dropped`);
        } else if (days.includes(day)) {
          warnings.push(`the touch due on day ${nominal} moved to day ${day}, which already has one; dropped`);
        } else {
          days.push(day);
        }
      }
      return days;
    }
  }
}
