/**
 * A connection's schedule: an interval ("15m", "every 2h", "30s" — s/m/h/d, at least 60 s) or a
 * five-field cron expression (minute hour day-of-month month day-of-week; each field a star, a number, a
 * range a-b, either with a /step, or a comma list of those). The service stores it and reasons about it; a scheduler outside this module triggers syncs.
 */
export type Schedule =
  { kind: 'interval'; expression: string; intervalSeconds: number } | { kind: 'cron'; expression: string; intervalSeconds: number | null };

export type ScheduleCheck = { ok: true; schedule: Schedule } | { ok: false; reason: string };

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const MIN_INTERVAL_SECONDS = 60;
const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

function checkCronField(text: string, field: (typeof CRON_FIELDS)[number]): string | null {
  for (const part of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return `${field.name} "${part}" is not *, n, a-b, */n or a-b/n`;
    const values = [match[2], match[3]].filter((v): v is string => v !== undefined).map(Number);
    if (values.some((v) => v < field.min || v > field.max)) return `${field.name} "${part}" is outside ${field.min}–${field.max}`;
    if (values.length === 2 && values[0] > values[1]) return `${field.name} range "${part}" runs backwards`;
    if (match[4] !== undefined && Number(match[4]) === 0) return `${field.name} step "${part}" must be at least 1`;
  }
  return null;
}

/** The period of the common regular cron shapes (every n minutes, hourly, every n hours, daily); null otherwise. */
function cronInterval(fields: string[]): number | null {
  const [minute, hour, dom, month, dow] = fields;
  if (dom !== '*' || month !== '*' || dow !== '*') return null;
  const everyMinutes = /^\*\/(\d+)$/.exec(minute);
  if (everyMinutes && hour === '*' && 60 % Number(everyMinutes[1]) === 0) return Number(everyMinutes[1]) * 60;
  if (minute === '*' && hour === '*') return 60;
  if (!/^\d+$/.test(minute)) return null;
  if (hour === '*') return 3600;
  const everyHours = /^\*\/(\d+)$/.exec(hour);
  if (everyHours && 24 % Number(everyHours[1]) === 0) return Number(everyHours[1]) * 3600;
  return /^\d+$/.test(hour) ? 86_400 : null;
}

export function parseSchedule(raw: string): ScheduleCheck {
  const expression = raw.trim().replace(/\s+/g, ' ');
  const interval = /^(?:every )?(\d+) ?([smhd])$/i.exec(expression);
  if (interval) {
    const seconds = Number(interval[1]) * UNIT_SECONDS[interval[2].toLowerCase()];
    if (seconds < MIN_INTERVAL_SECONDS) return { ok: false, reason: `an interval must be at least ${MIN_INTERVAL_SECONDS} seconds` };
    return { ok: true, schedule: { kind: 'interval', expression, intervalSeconds: seconds } };
  }
  const fields = expression.split(' ');
  if (fields.length !== 5) {
    return { ok: false, reason: 'expected an interval such as "15m", "every 2h" or a five-field cron expression such as "*/15 * * * *"' };
  }
  for (const [index, field] of CRON_FIELDS.entries()) {
    const problem = checkCronField(fields[index], field);
    if (problem) return { ok: false, reason: problem };
  }
  return { ok: true, schedule: { kind: 'cron', expression, intervalSeconds: cronInterval(fields) } };
}

/** "15m", "2h", "1d" — the shortest exact spelling of a number of seconds as an interval schedule. */
export function formatInterval(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
