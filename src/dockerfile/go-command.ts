/** Reads a `go …` command line the way cmd/go does: subcommand, flags (`-f v`, `-f=v`, `--f`), packages. */

export interface GoCommand {
  /** `build`, `install`, `get`, `mod download`, `mod vendor`, `generate`, `test`, `run`, … */
  sub: string;
  /** flag name without dashes → value, or true for a boolean flag */
  flags: Map<string, string | true>;
  packages: string[];
  /** the words after `go`, as written */
  words: string[];
}

/** cmd/go build flags that take no value (`go help build`). */
const BOOL_FLAGS = new Set([
  'a',
  'n',
  'race',
  'msan',
  'asan',
  'cover',
  'v',
  'work',
  'x',
  'trimpath',
  'linkshared',
  'modcacherw',
  'i',
  'u',
  't',
  'd',
  'json',
  'buildvcs',
  'insecure',
  'e',
  'f',
  'json',
]);

export function parseGoCommand(words: string[]): GoCommand {
  let k = 0;
  const flags = new Map<string, string | true>();
  // flags before the subcommand (`go -C dir build`) are rare; skip them
  while (words[k]?.startsWith('-')) k += words[k] === '-C' ? 2 : 1;
  let sub = words[k] ?? '';
  k++;
  if ((sub === 'mod' || sub === 'tool' || sub === 'work') && words[k] && !words[k]!.startsWith('-')) {
    sub = `${sub} ${words[k]}`;
    k++;
  }
  const packages: string[] = [];
  for (; k < words.length; k++) {
    const w = words[k]!;
    if (w === '--') {
      for (const w of words.slice(k + 1)) packages.push(w);
      break;
    }
    if (w.startsWith('-') && w.length > 1) {
      const body = w.replace(/^--?/, '');
      const eq = body.indexOf('=');
      if (eq >= 0) {
        flags.set(body.slice(0, eq), body.slice(eq + 1));
      } else if (BOOL_FLAGS.has(body) || words[k + 1] === undefined) {
        flags.set(body, true);
      } else {
        flags.set(body, words[k + 1]!);
        k++;
      }
      continue;
    }
    packages.push(w);
  }
  return { sub, flags, packages, words };
}

/** `-extldflags` with `-static` inside a `-ldflags` value (quotes already removed by the shell reader). */
export function extldflagsStatic(ldflags: string): boolean {
  const m = /-extldflags(?:=|\s+)(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(ldflags);
  if (!m) return false;
  const v = m[1] ?? m[2] ?? m[3] ?? '';
  return /(^|\s)-static(\s|$)|-static-pie/.test(v) || v === '-static';
}

/** Whether a go command's `-ldflags` ask the external linker for a static binary (`-extldflags "-static"`). */
export function ldflagsStatic(cmd: Pick<GoCommand, 'flags'>): boolean {
  const ld = cmd.flags.get('ldflags');
  return typeof ld === 'string' && extldflagsStatic(ld);
}
