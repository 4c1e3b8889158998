/**
 * Inline pragmas: `# gokiln ignore=GK004,GK013` silences those rules on the next instruction (all its
 * lines); `# gokiln ignore-file=GK003` silences them in the whole file. Ids are matched exactly.
 */

export interface Pragmas {
  file: Set<string>;
  /** 0-based [startLine, endLine] of an instruction → ids silenced on it */
  spans: { start: number; end: number; ids: Set<string> }[];
}

const PRAGMA = /^\s*#\s*gokiln\s+(ignore|ignore-file)\s*=\s*([A-Za-z0-9_,\s]+?)\s*$/;

export function readPragmas(lines: string[], instructionSpans: { start: number; end: number }[]): Pragmas {
  const out: Pragmas = { file: new Set(), spans: [] };
  for (let n = 0; n < lines.length; n++) {
    const m = PRAGMA.exec(lines[n]!);
    if (!m) continue;
    const ids = new Set(
      m[2]!
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((s) => s.toUpperCase()),
    );
    if (m[1] === 'ignore-file') {
      for (const id of ids) out.file.add(id);
      continue;
    }
    const next = instructionSpans.find((s) => s.start > n);
    if (next) out.spans.push({ start: next.start, end: next.end, ids });
  }
  return out;
}

export function isSilenced(p: Pragmas, rule: string, line: number): boolean {
  if (p.file.has(rule)) return true;
  return p.spans.some((s) => s.ids.has(rule) && line >= s.start && line <= s.end);
}
