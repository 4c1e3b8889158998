/** `gokiln size --json`: the report as is (schemas/size.schema.json); the treemap detail is not part of it. */
import { toJson } from './style.js';
import type { SizeDiff, SizeReport } from '../analysis/size/types.js';

export function sizeJson(r: SizeReport): string {
  return toJson(r);
}

export function sizeDiffJson(d: SizeDiff): string {
  return toJson(d);
}
