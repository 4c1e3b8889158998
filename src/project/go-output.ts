/**
 * The go command's error output as one line: gokiln prints every error on one line, while `go` writes
 * progress (`go: downloading …`) and continues a message on tab-indented lines.
 */

/** Progress lines the go command writes on stderr before the error itself. */
const PROGRESS = /^go: (downloading|finding|extracting|found|added|upgraded|downgraded|removed|switching to) /;

/** Lines joined where go continues a message (a line starting with white space), white space collapsed. */
function logicalLines(output: string): string[] {
  const out: string[] = [];
  for (const raw of output.replace(/\r\n?/g, '\n').split('\n')) {
    if (raw.trim() === '') continue;
    if (/^\s/.test(raw) && out.length) out[out.length - 1] += ` ${raw.trim()}`;
    else out.push(raw.trim());
  }
  return out.map((l) => l.replace(/\s+/g, ' '));
}

/**
 * `go: example.com/app imports github.com/x/y: module lookup disabled by GOPROXY=off` for the output
 * `go: downloading github.com/x/y v1.2.3\ngo: example.com/app imports\n\tgithub.com/x/y: module lookup…`:
 * the first line that is not progress, with its continuation lines; then, when the output holds more
 * than that, all of it after ` | output: `, its lines joined with ` | `. Empty output gives `fallback`.
 */
export function goErrorLine(output: string, fallback = 'no output'): string {
  const lines = logicalLines(output);
  if (lines.length === 0) return fallback;
  const first = lines.find((l) => !PROGRESS.test(l)) ?? lines[0]!;
  return lines.length === 1 ? first : `${first} | output: ${lines.join(' | ')}`;
}
