/**
 * The module-info text the go command embeds in a binary (runtime/debug.BuildInfo.String's format):
 * tab-separated `path`, `mod`, `dep`, `=>` and `build` lines. Parsed with the same rules as Go's
 * debug.ParseBuildInfo, so a line Go would reject is E_CORRUPT here and unknown line kinds are skipped.
 */
import { GokilnError } from '../../errors.js';
import { goUnquote, quotedPrefixLength } from './strconv.js';
import type { GoModule } from './types.js';

export interface ModInfo {
  path: string | null;
  main: GoModule | null;
  deps: GoModule[];
  settings: Array<{ key: string; value: string }>;
}

function corrupt(lineNo: number, why: string): GokilnError {
  return new GokilnError('E_CORRUPT', `build info line ${lineNo}: ${why}`, { line: lineNo });
}

function moduleOf(cols: string[], lineNo: number): GoModule {
  if (cols.length !== 2 && cols.length !== 3) throw corrupt(lineNo, `expected 2 or 3 columns, got ${cols.length}`);
  const sum = cols[2];
  return { path: cols[0] ?? '', version: cols[1] ?? '', sum: sum === undefined || sum === '' ? null : sum, replace: null };
}

/** Keys Go quotes when writing (`strconv.Quote` when they hold `=`, space, tab, CR, LF, `"` or a backquote). */
const NEEDS_QUOTE_KEY = /[= \t\r\n"`]/;

function parseBuildLine(kv: string, lineNo: number): { key: string; value: string } {
  if (kv.length === 0) throw corrupt(lineNo, "build line missing '='");
  let key: string;
  let rawValue: string;
  const c0 = kv[0];
  if (c0 === '=') throw corrupt(lineNo, 'build line with missing key');
  if (c0 === '"' || c0 === '`') {
    const n = quotedPrefixLength(kv);
    if (n < 0) throw corrupt(lineNo, 'invalid quoted key in build line');
    if (kv[n] !== '=') throw corrupt(lineNo, "build line missing '=' after quoted key");
    key = goUnquote(kv.slice(0, n));
    rawValue = kv.slice(n + 1);
  } else {
    const eq = kv.indexOf('=');
    if (eq < 0) throw corrupt(lineNo, "build line missing '=' after key");
    key = kv.slice(0, eq);
    if (NEEDS_QUOTE_KEY.test(key)) throw corrupt(lineNo, `unquoted key ${JSON.stringify(key)} must be quoted`);
    rawValue = kv.slice(eq + 1);
  }
  let value = rawValue;
  if (rawValue[0] === '"' || rawValue[0] === '`') {
    try {
      value = goUnquote(rawValue);
    } catch {
      throw corrupt(lineNo, 'invalid quoted value in build line');
    }
  } else if (/[ \t\r\n"`]/.test(rawValue)) {
    throw corrupt(lineNo, `unquoted value ${JSON.stringify(rawValue.slice(0, 40))} must be quoted`);
  }
  return { key, value };
}

/** Parses the modinfo text (already stripped of its 16-byte sentinels). Only complete lines count, as in Go. */
export function parseModInfo(text: string): ModInfo {
  const info: ModInfo = { path: null, main: null, deps: [], settings: [] };
  let last: GoModule | null = null;
  const lines = text.split('\n');
  lines.pop(); // the text after the last newline is not a line (Go stops at the last '\n')
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    const tab = line.indexOf('\t');
    if (tab < 0) return;
    const kind = line.slice(0, tab);
    const rest = line.slice(tab + 1);
    switch (kind) {
      case 'path':
        // Go keeps Path as a string and treats "" as none (BuildInfo.String and its JSON leave it out)
        info.path = rest === '' ? null : rest;
        break;
      case 'mod':
        info.main = moduleOf(rest.split('\t'), lineNo);
        last = info.main;
        break;
      case 'dep': {
        const m = moduleOf(rest.split('\t'), lineNo);
        info.deps.push(m);
        last = m;
        break;
      }
      case '=>': {
        const cols = rest.split('\t');
        if (cols.length !== 3) throw corrupt(lineNo, `expected 3 columns for replacement, got ${cols.length}`);
        if (last === null) throw corrupt(lineNo, 'replacement with no module on the previous line');
        (last as GoModule).replace = moduleOf(cols, lineNo);
        last = null;
        break;
      }
      case 'build':
        info.settings.push(parseBuildLine(rest, lineNo));
        break;
      default:
        break;
    }
  });
  return info;
}
