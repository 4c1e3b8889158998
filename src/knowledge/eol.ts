/**
 * End-of-support arithmetic on ISO days. Days, not instants: a support window ends on a calendar day
 * everywhere, and comparing `YYYY-MM-DD` strings keeps the knowledge tables plain data.
 */
import { GokilnError } from '../errors.js';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `Date` or `YYYY-MM-DD` → `YYYY-MM-DD` (UTC day). */
export function isoDay(d: Date | string): string {
  if (typeof d === 'string') {
    if (!ISO_DAY.test(d)) throw new GokilnError('E_USAGE', `not an ISO day (YYYY-MM-DD): ${d}`);
    return d;
  }
  if (Number.isNaN(d.getTime())) throw new GokilnError('E_USAGE', 'invalid date');
  return d.toISOString().slice(0, 10);
}

/** Anything with an end-of-support day; null means no end announced. */
export interface HasEol {
  eol: string | null;
}

/**
 * True when `date` is after the last supported day. `eol` is the first day without support
 * (endoflife.date convention), so on the eol day itself the thing is already past support.
 */
export function isPastEol(thing: HasEol, date: Date | string): boolean {
  if (thing.eol === null) return false;
  return isoDay(date) >= thing.eol;
}

/** Days from `date` until `eol` (negative when past); null without an announced end. */
export function daysUntilEol(thing: HasEol, date: Date | string): number | null {
  if (thing.eol === null) return null;
  const a = Date.parse(isoDay(date) + 'T00:00:00Z');
  const b = Date.parse(thing.eol + 'T00:00:00Z');
  return Math.round((b - a) / 86_400_000);
}
