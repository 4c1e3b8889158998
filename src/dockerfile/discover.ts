/**
 * Which files `gokiln lint PATH...` lints: a file named is linted whatever its name; a directory is searched
 * (sorted, bounded depth) for Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile, skipping what only looks
 * like one. A path that gives nothing to lint is an input problem: a GK000 finding and, when the file system
 * refused it, the typed error every command gives for that path. Never prints, never throws on a bad path.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fsError, type GokilnError } from '../errors.js';
import type { Finding } from './types.js';

/** A path that gave nothing to lint: its GK000 finding, and the file-system error behind it (if one was). */
export interface InputProblem {
  finding: Finding;
  error?: GokilnError;
}

export interface Discovered {
  /** Files to lint in order, as given or found (`-` is standard input). */
  targets: string[];
  problems: InputProblem[];
}

const DOCKERFILE_NAME = /^(Dockerfile|Containerfile|dockerfile)$|\.[Dd]ockerfile$|^(Dockerfile|Containerfile)\./;
/**
 * Names a directory search passes over: `Dockerfile.md` next to a Dockerfile documents it; compressed,
 * archived, binary and editor-swap files (`Containerfile.5.gz`, the man page podman installs in
 * /usr/share/man/man5) are not Dockerfiles either. A file named on the command line is linted whatever its name.
 */
const NOT_DOCKERFILE =
  /\.(md|txt|json|ya?ml|html?|pdf|png|jpe?g|gif|svg|gz|tgz|bz2|xz|txz|zst|lz|lzma|lz4|Z|zip|tar|7z|rar|deb|rpm|apk|so|o|a|exe|dll|bin|swp|swo|orig|rej)$/;
/** Directories a search does not enter: dependencies, VCS data and test data hold other projects' Dockerfiles. */
const SKIP = new Set(['node_modules', 'vendor', '.git', 'testdata']);
const MAX_DEPTH = 6;
/** gzip, bzip2, xz, zstd, zip, compress: the start of a compressed file. */
const MAGIC = [
  [0x1f, 0x8b],
  [0x42, 0x5a, 0x68],
  [0xfd, 0x37, 0x7a, 0x58, 0x5a],
  [0x28, 0xb5, 0x2f, 0xfd],
  [0x50, 0x4b, 0x03, 0x04],
  [0x1f, 0x9d],
];

/** The start of a file a directory search skips: NUL bytes (binary), compression magic, a troff man page. */
function notDockerfileContent(path: string): boolean {
  let head: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(4096);
    head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } catch {
    // unreadable: keep it, so the read problem is reported
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (head.includes(0)) return true;
  if (MAGIC.some((m) => m.every((b, i) => head[i] === b))) return true;
  // man pages (man(7) and mdoc(7)) open with a comment or a title macro; a Dockerfile cannot
  const first =
    head
      .toString('utf8')
      .split('\n')
      .find((l) => l.trim() !== '') ?? '';
  return /^(\.\\"|'\\"|\.TH\s|\.Dd\s|\.so\s)/.test(first);
}

/** Paths to lint: files as given, directories searched (sorted, bounded depth); a path that gives nothing is a problem. */
export function discoverDockerfiles(paths: readonly string[]): Discovered {
  const targets: string[] = [];
  const problems: InputProblem[] = [];
  for (const p of paths) {
    if (p === '-') {
      targets.push('-');
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      problems.push(readProblem(displayPath(p), e));
      continue;
    }
    if (!st.isDirectory()) {
      // a named pipe or a device would block the read, or never end (/dev/zero): refused, not read
      if (st.isFile()) targets.push(p);
      else
        problems.push({
          finding: gk000(
            displayPath(p),
            'not a regular file (a named pipe, socket or device), so not read',
            'Pass the Dockerfile itself, or - to read it from standard input.',
          ),
        });
      continue;
    }
    const before = targets.length;
    const walk = (d: string, depth: number) => {
      let names: string[];
      try {
        names = readdirSync(d).sort();
      } catch (e) {
        problems.push(readProblem(displayPath(d), e));
        return;
      }
      for (const n of names) {
        const full = join(d, n);
        let s;
        try {
          s = statSync(full);
        } catch {
          continue;
        }
        if (s.isDirectory()) {
          if (depth < MAX_DEPTH && !SKIP.has(n) && !n.startsWith('.')) walk(full, depth + 1);
        } else if (s.isFile() && DOCKERFILE_NAME.test(n) && !NOT_DOCKERFILE.test(n) && !notDockerfileContent(full)) targets.push(full);
      }
    };
    walk(p, 0);
    if (targets.length === before)
      problems.push({
        finding: gk000(
          displayPath(p),
          'no Dockerfile found in this directory',
          'Pass a Dockerfile path, or a directory holding Dockerfile, *.Dockerfile, Dockerfile.* or Containerfile.',
        ),
      });
  }
  return { targets, problems };
}

/**
 * An input that cannot be read: a GK000 finding naming gokiln's error code, and that typed error (the same
 * code inspect or plan would give for the path), which the CLI prints as its error line.
 */
export function readProblem(file: string, e: unknown): InputProblem {
  const error = fsError(e, file);
  const why = error.message.startsWith(`${file}: `) ? error.message.slice(file.length + 2) : error.message;
  return { finding: gk000(file, `cannot read (${error.code}): ${why}`, 'Check the path and its permissions.'), error };
}

function gk000(file: string, message: string, fix: string): Finding {
  return { file, line: 1, column: 1, rule: 'GK000', severity: 'error', message, fix };
}

/** A path as findings name it: relative to the working directory when inside it, else absolute. */
export function displayPath(p: string): string {
  const abs = isAbsolute(p) ? p : resolve(p);
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}
