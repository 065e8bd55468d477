import { createHash } from 'node:crypto';

const DAY_MS = 86_400_000;

/**
 * The id of the n-th demo record of a kind: a UUID (version 5 layout) hashed from the kind and number, so it is
 * the same on every install and does not move when the generator draws its random numbers in another order —
 * README examples can name a demo record by id.
 */
export function demoUuid(kind: string, n: number): string {
  const hash = createHash('sha1').update(`ai-crew-demo:${kind}:${n}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `prefix_0042`: the readable external id of the n-th record. */
export const demoRef = (prefix: string, n: number, width = 3): string => `${prefix}_${String(n).padStart(width, '0')}`;

/**
 * Time in the demo data, counted back from the day it ends on (`asOf`, a UTC midnight): every record lies
 * before that midnight, so data loaded on the same day is the same data.
 */
export class DemoClock {
  readonly end: Date;

  constructor(readonly asOf: string) {
    this.end = new Date(`${asOf}T00:00:00.000Z`);
  }

  /** `days` whole days before the end, then `minutes` earlier still (so day 0 is the last day before the end). */
  ago(days: number, minutes = 0): Date {
    return new Date(this.end.getTime() - days * DAY_MS - minutes * 60_000);
  }

  /** `days` after the end (planned dates: a deal's close, a discount's end). */
  ahead(days: number): Date {
    return new Date(this.end.getTime() + days * DAY_MS);
  }

  /** Whole days from `date` to the end. */
  daysBefore(date: Date): number {
    return Math.floor((this.end.getTime() - date.getTime()) / DAY_MS);
  }
}

/** YYYY-MM-DD of an instant (UTC). */
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);
