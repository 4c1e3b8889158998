/**
 * A build target (GOOS, GOARCH, tags, cgo on/off) and which files it compiles: the file-name rules
 * (`x_linux.go`, `x_arm64.go`, `x_linux_arm64.go`, `x_test.go`) and `//go:build` / `// +build` lines, as
 * `go help buildconstraint` describes them. GOARCH may be unknown (a Dockerfile's `$TARGETARCH`): then an
 * answer that depends on it is `undefined`, and callers decide whether to include such a file.
 */

export interface Target {
  goos: string;
  /** undefined: not known (lint of a Dockerfile that builds for `$TARGETARCH`) */
  goarch: string | undefined;
  /** tags set with `-tags` (and GOFLAGS) */
  tags: readonly string[];
  cgo: boolean;
}

/** `go tool dist list` operating systems (Go 1.26) and the historical names file names may still use. */
export const KNOWN_GOOS = [
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'js',
  'linux',
  'nacl',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasip1',
  'windows',
  'zos',
];
/** GOARCH values the go command knows (`go/build`'s knownArch): a file named `x_<arch>.go` is compiled only for that one. */
export const KNOWN_GOARCH = [
  '386',
  'amd64',
  'amd64p32',
  'arm',
  'arm64',
  'arm64be',
  'armbe',
  'loong64',
  'mips',
  'mips64',
  'mips64le',
  'mips64p32',
  'mips64p32le',
  'mipsle',
  'ppc',
  'ppc64',
  'ppc64le',
  'riscv',
  'riscv64',
  's390',
  's390x',
  'sparc',
  'sparc64',
  'wasm',
];
/** `unix` is satisfied by these GOOS (go/build's unixOS). */
const UNIX_OS = new Set([
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'linux',
  'netbsd',
  'openbsd',
  'solaris',
]);

/** GOARCH of this machine as the go command names it, so a source reading agrees with a local `go list`. */
export function hostGoarch(): string {
  const map: Record<string, string> = {
    x64: 'amd64',
    ia32: '386',
    arm64: 'arm64',
    arm: 'arm',
    ppc64: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
    loong64: 'loong64',
  };
  return map[process.arch] ?? process.arch;
}

/** Linux with cgo on: the build a container image's binary comes from; GOARCH null: any (not known). */
export function linuxTarget(goarch: string | null = hostGoarch(), tags: readonly string[] = []): Target {
  return { goos: 'linux', goarch: goarch ?? undefined, tags, cgo: true };
}

/**
 * What a file's name says: excluded (`_test.go`, a name starting with `_` or `.`), or restricted to a GOOS
 * and/or GOARCH by its last one or two `_` elements.
 */
export function fileNameMatch(name: string, t: Target): boolean | undefined {
  if (!name.endsWith('.go') || name.endsWith('_test.go') || name.startsWith('_') || name.startsWith('.')) return false;
  const parts = name.slice(0, -3).split('_');
  if (parts.length < 2) return true;
  const last = parts[parts.length - 1]!;
  const prev = parts.length > 2 ? parts[parts.length - 2]! : undefined;
  if (prev !== undefined && KNOWN_GOOS.includes(prev) && KNOWN_GOARCH.includes(last)) return and3(osMatches(prev, t), archMatches(last, t));
  if (KNOWN_GOOS.includes(last)) return osMatches(last, t);
  if (KNOWN_GOARCH.includes(last)) return archMatches(last, t);
  return true;
}

/** The GOARCH a file name restricts it to, if any. */
export function fileArch(name: string): string | undefined {
  const parts = (name.split('/').pop() ?? name).replace(/\.go$/, '').split('_');
  const last = parts[parts.length - 1]!;
  return parts.length > 1 && KNOWN_GOARCH.includes(last) ? last : undefined;
}

function osMatches(os: string, t: Target): boolean {
  // go/build: *_linux.go is built for android too, *_solaris.go for illumos, *_darwin.go for ios
  return (
    os === t.goos ||
    (os === 'linux' && t.goos === 'android') ||
    (os === 'solaris' && t.goos === 'illumos') ||
    (os === 'darwin' && t.goos === 'ios')
  );
}
function archMatches(arch: string, t: Target): boolean | undefined {
  return t.goarch === undefined ? undefined : arch === t.goarch;
}

/**
 * The build-constraint expression of a file's header (before the package clause): its `//go:build` line, or
 * its `// +build` lines turned into one (lines AND, spaces OR, commas AND), as Go before 1.17 wrote them.
 */
export function headerConstraint(header: string): string | undefined {
  const gb = /^\/\/go:build\s+(.+?)\s*$/m.exec(header);
  if (gb) return gb[1];
  const lines = [...header.matchAll(/^\/\/\s*\+build\s+(.+?)\s*$/gm)].map((m) => m[1]!);
  if (!lines.length) return undefined;
  return lines
    .map(
      (l) =>
        `(${l
          .split(/\s+/)
          .map((o) => `(${o.split(',').join(' && ')})`)
          .join(' || ')})`,
    )
    .join(' && ');
}

/**
 * A constraint expression for a target: true, false, or undefined when it turns on an unknown GOARCH.
 * Tags the target does not set are false, as for the go command; `goN.M` release tags are true
 * (every release gokiln plans for is newer than the constraints in use).
 */
export function evalConstraint(expr: string, t: Target): boolean | undefined {
  const toks = expr.match(/&&|\|\||[!()]|[A-Za-z0-9_.]+/g) ?? [];
  let i = 0;
  const atom = (): boolean | undefined => {
    const tok = toks[i++];
    if (tok === '!') {
      const v = atom();
      return v === undefined ? undefined : !v;
    }
    if (tok === '(') {
      const v = or();
      if (toks[i] === ')') i++;
      return v;
    }
    if (tok === undefined) return undefined;
    return tagValue(tok, t);
  };
  const and = (): boolean | undefined => {
    let v = atom();
    while (toks[i] === '&&') {
      i++;
      v = and3(v, atom());
    }
    return v;
  };
  const or = (): boolean | undefined => {
    let v = and();
    while (toks[i] === '||') {
      i++;
      v = or3(v, and());
    }
    return v;
  };
  const v = or();
  return i === toks.length ? v : undefined;
}

function tagValue(tag: string, t: Target): boolean | undefined {
  if (t.tags.includes(tag)) return true;
  if (tag === t.goos || (tag === 'unix' && UNIX_OS.has(t.goos)) || tag === 'gc') return true;
  if (tag === 'cgo') return t.cgo;
  if (/^go1\.\d+$/.test(tag)) return true;
  if (KNOWN_GOOS.includes(tag)) return osMatches(tag, t);
  if (KNOWN_GOARCH.includes(tag)) return archMatches(tag, t);
  return false;
}

/** Whether a target compiles a file: its name and its header constraint together, three-valued. */
export function fileMatches(name: string, constraint: string | undefined, t: Target): boolean | undefined {
  const byName = fileNameMatch(name, t);
  if (byName === false) return false;
  return and3(byName, constraint === undefined ? true : evalConstraint(constraint, t));
}

function and3(a: boolean | undefined, b: boolean | undefined): boolean | undefined {
  return a === false || b === false ? false : a === true && b === true ? true : undefined;
}
function or3(a: boolean | undefined, b: boolean | undefined): boolean | undefined {
  return a === true || b === true ? true : a === false && b === false ? false : undefined;
}
