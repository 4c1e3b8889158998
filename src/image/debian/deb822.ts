/**
 * Debian control-file syntax (deb822: `Field: value` stanzas separated by blank lines, continuation lines
 * starting with a space), as Release, Packages, status and a .deb's `control` file use it. Stanzas are read
 * line by line from a stream, so a 50 MB Packages index is never held as one string.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Field names as written (`Package`, `Pre-Depends`); values without the separating space, continuation lines joined with `\n`. */
export type Stanza = Map<string, string>;

/** Parses one or more stanzas from text. */
export function parseStanzas(text: string): Stanza[] {
  const out: Stanza[] = [];
  const p = new StanzaParser((s) => out.push(s));
  for (const line of text.split('\n')) p.line(line);
  p.end();
  return out;
}

/** Calls `onStanza` for every stanza of a stream of lines. */
export async function forEachStanza(input: Readable, onStanza: (s: Stanza) => void): Promise<void> {
  const p = new StanzaParser(onStanza);
  const rl = createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) p.line(line);
  p.end();
}

class StanzaParser {
  private cur: Stanza = new Map();
  private last: string | null = null;
  constructor(private readonly emit: (s: Stanza) => void) {}

  line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') {
      this.flush();
      return;
    }
    if (line.startsWith('#')) return;
    if ((line.startsWith(' ') || line.startsWith('\t')) && this.last) {
      this.cur.set(this.last, `${this.cur.get(this.last) ?? ''}\n${line.slice(1)}`);
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return; // not a field: ignored, as apt does with junk lines
    this.last = line.slice(0, colon);
    this.cur.set(this.last, line.slice(colon + 1).trim());
  }

  end(): void {
    this.flush();
  }

  private flush(): void {
    if (this.cur.size > 0) this.emit(this.cur);
    this.cur = new Map();
    this.last = null;
  }
}

/** A stanza back to text in its field order (status.d files are written this way). */
export function formatStanza(s: Stanza): string {
  let out = '';
  for (const [k, v] of s) out += `${k}: ${v.split('\n').join('\n ')}\n`.replace(/: \n/, ':\n');
  return out;
}
