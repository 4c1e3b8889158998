/**
 * End-of-support arithmetic on ISO days. Days, not instants: a support window ends on a calendar day
 * everywhere, and comparing `YYYY-MM-DD` strings keeps the knowledge tables plain data.
 */
import { GokilnError } from '../errors.js';

/** `YYYY-MM-DD` naming a day that exists in the proleptic Gregorian calendar (2024-02-29 yes, 2023-02-29 no). */
export function isCalendarDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

/** `Date` or `YYYY-MM-DD` → `YYYY-MM-DD` (UTC day). */
export function isoDay(d: Date | string): string {
  if (typeof d === 'string') {
    if (!isCalendarDay(d)) throw new GokilnError('E_USAGE', `not an ISO day (YYYY-MM-DD): ${d}`);
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

/**
 * How support goes on after its regular end: Debian LTS publishes to the public archive, so a
 * `debian:<release>` image keeps getting fixes; Ubuntu ESM needs an Ubuntu Pro subscription, so the
 * public `ubuntu:<release>` image does not.
 */
export type ExtendedSupport = 'lts' | 'esm';

export interface SupportWindow extends HasEol {
  /** First day without any support, extended included; null or absent when there is none. */
  extendedEol?: string | null;
  extendedSupport?: ExtendedSupport | null;
}

export type SupportPhase =
  { phase: 'supported' } | { phase: 'extended'; eol: string; until: string; kind: ExtendedSupport } | { phase: 'ended'; since: string };

/** Where `date` falls in a support window: regular support, the extended (LTS/ESM) years, or past both. */
export function supportPhase(w: SupportWindow, date: Date | string): SupportPhase {
  if (!isPastEol(w, date)) return { phase: 'supported' };
  const eol = w.eol!;
  if (w.extendedEol && w.extendedSupport && isoDay(date) < w.extendedEol)
    return { phase: 'extended', eol, until: w.extendedEol, kind: w.extendedSupport };
  return { phase: 'ended', since: w.extendedEol ?? eol };
}

/** One sentence for a phase past regular support, the same in `inspect` and `lint`. */
export function supportSentence(name: string, p: Exclude<SupportPhase, { phase: 'supported' }>): string {
  if (p.phase === 'ended') return `${name} is out of support since ${p.since}`;
  if (p.kind === 'lts') return `${name} left regular security support on ${p.eol}; Debian LTS updates continue until ${p.until}`;
  return `${name} left standard support on ${p.eol}; security updates until ${p.until} only with Ubuntu Pro (ESM), not in the public image`;
}
