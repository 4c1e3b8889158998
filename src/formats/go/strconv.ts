/**
 * Unquoting of Go string literals as `strconv.Quote` writes them (and raw backquoted strings), which is how
 * build info records settings whose values contain spaces, quotes or `=` (e.g. `-ldflags="-s -w"`).
 */
import { GokilnError } from '../../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf8Encoder = new TextEncoder();

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  '\\': 0x5c,
  "'": 0x27,
  '"': 0x22,
};

function bad(s: string, why: string): GokilnError {
  return new GokilnError('E_CORRUPT', `invalid Go quoted string ${JSON.stringify(s.slice(0, 80))}: ${why}`);
}

/**
 * Length of the quoted literal at the start of `s` (Go's strconv.QuotedPrefix), or -1 when `s` does not
 * start with a complete `"…"` or `` `…` `` literal.
 */
export function quotedPrefixLength(s: string): number {
  const q = s[0];
  if (q === '`') {
    const end = s.indexOf('`', 1);
    return end < 0 ? -1 : end + 1;
  }
  if (q !== '"') return -1;
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if (c === '\n') return -1;
  }
  return -1;
}

/**
 * Go's strconv.Unquote for double-quoted and backquoted strings. `\x` and octal escapes are raw bytes
 * (so the result is assembled as bytes and decoded as UTF-8 once); `\u`/`\U` are code points.
 * Throws E_CORRUPT on a malformed literal.
 */
export function goUnquote(s: string): string {
  if (s.length < 2) throw bad(s, 'too short');
  const q = s[0];
  if (q === '`') {
    if (s[s.length - 1] !== '`' || s.indexOf('`', 1) !== s.length - 1) throw bad(s, 'unterminated raw string');
    return s.slice(1, -1).replace(/\r/g, '');
  }
  if (q !== '"' || s[s.length - 1] !== '"') throw bad(s, 'not a quoted string');
  const body = s.slice(1, -1);
  if (!body.includes('\\')) {
    if (body.includes('"') || body.includes('\n')) throw bad(s, 'unescaped quote or newline');
    return body;
  }
  const out: number[] = [];
  const pushText = (t: string): void => {
    for (const b of utf8Encoder.encode(t)) out.push(b);
  };
  let i = 0;
  while (i < body.length) {
    const j = body.indexOf('\\', i);
    const chunk = j < 0 ? body.slice(i) : body.slice(i, j);
    if (chunk.includes('"') || chunk.includes('\n')) throw bad(s, 'unescaped quote or newline');
    pushText(chunk);
    if (j < 0) break;
    const e = body[j + 1];
    if (e === undefined) throw bad(s, 'trailing backslash');
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      if (e === "'") throw bad(s, "\\' in a double-quoted string");
      out.push(simple);
      i = j + 2;
    } else if (e === 'x') {
      out.push(hexValue(s, body.slice(j + 2, j + 4), 2));
      i = j + 4;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const cp = hexValue(s, body.slice(j + 2, j + 2 + n), n);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) throw bad(s, 'invalid code point');
      pushText(String.fromCodePoint(cp));
      i = j + 2 + n;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(j + 1, j + 4);
      if (!/^[0-7]{3}$/.test(oct)) throw bad(s, 'bad octal escape');
      const v = parseInt(oct, 8);
      if (v > 255) throw bad(s, 'octal escape out of range');
      out.push(v);
      i = j + 4;
    } else {
      throw bad(s, `unknown escape \\${e}`);
    }
  }
  return utf8.decode(Uint8Array.from(out));
}

function hexValue(s: string, digits: string, n: number): number {
  if (digits.length !== n || !/^[0-9a-fA-F]+$/.test(digits)) throw bad(s, 'bad hex escape');
  return parseInt(digits, 16);
}
