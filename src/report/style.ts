/**
 * What every reporter shares: the one colour type and stable JSON. Whether to colour is the CLI's
 * decision (it knows the terminal); reporters only take the colours they are given.
 */
import pc from 'picocolors';

/** The colours a reporter may paint with: picocolors' set, coloured or (enabled = false) plain. */
export type Colors = ReturnType<typeof pc.createColors>;

export function createColors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

/** Stable JSON: two-space indent and a trailing newline. Key order is the order the builder set. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
