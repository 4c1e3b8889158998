/**
 * Will this binary run in that image? Checks in the order the kernel and the dynamic loader meet the
 * problems, so the reason given is the one the user would see first: the kernel refuses a foreign format
 * or architecture (ENOEXEC), then needs the ELF interpreter (ENOENT), then ld.so loads every DT_NEEDED
 * library (fatal at the first missing one) and only then checks symbol versions (reporting all missing).
 */
import { supportPhase, supportSentence } from '../knowledge/eol.js';
import { renderMessage, failureMessage } from '../knowledge/failure-messages.js';
import { DEBIAN_TRIPLETS, debianLibPath, muslProvides } from '../knowledge/libc.js';
import { loaderFor, type RuntimeInfo } from '../knowledge/runtimes.js';
import { compareVersions } from '../compare-versions.js';
import { cgoModuleFor } from '../knowledge/cgo-libraries.js';
import { compatArch } from '../knowledge/compat-arch.js';
import type { InspectOk, RuntimeVerdict } from './types.js';
import { GokilnError } from '../errors.js';

/**
 * Where the binary sits in the image, named in every predicted message (`exec /app: …`): an absolute path,
 * as the kernel and a container runtime take it. Anything else is a usage error.
 */
export function checkPathInImage(path: string): void {
  if (!path.startsWith('/')) throw new GokilnError('E_USAGE', `--path-in-image must be absolute, not ${JSON.stringify(path)}`);
}

export type BinaryFacts = Pick<
  InspectOk,
  'format' | 'os' | 'arch' | 'kind' | 'linking' | 'interpreter' | 'libc' | 'needed' | 'glibcRequired' | 'versionNeeds' | 'needs'
> & {
  cgo: boolean | null;
  /** Module paths linked in (build info deps); lets a cgo-only module built without cgo be flagged. */
  modules?: string[];
  /** The GOAMD64 level the program was built for (build info), when above the baseline v1. */
  goamd64?: string | null;
};

export interface VerdictOptions {
  /** Where the binary sits in the image; it is what the messages name. Default `/app`. */
  pathInImage?: string;
  /**
   * The platform (Go arch name) the runtime image is run as. By default a verdict is for the runtime on
   * the binary's own architecture when the image is published for it (what `docker run` picks on a host
   * of that architecture), and for amd64 otherwise.
   */
  platform?: string;
  /** The day end-of-support warnings are computed for (default: today). */
  today?: Date | string;
}

/** Stable reason codes of a verdict (documented in docs/knowledge.md). */
export type VerdictReason =
  | 'ok'
  | 'wrong-os'
  | 'wrong-arch'
  | 'not-executable'
  | 'no-interpreter'
  | 'wrong-libc'
  | 'missing-library'
  | 'glibc-too-old'
  | 'library-too-old'
  | 'cgo-stub';

/** Stable warning codes. */
export type WarningCode =
  | 'no-ca-certs'
  | 'no-zoneinfo'
  | 'os-user'
  | 'cgo-required'
  | 'compat-arch'
  | 'cpu-level'
  | 'runs-as-root'
  | 'no-shell'
  | 'eol'
  | 'lts-only';

interface Failure {
  reason: Exclude<VerdictReason, 'ok'>;
  message: string;
}

export function verdictsFor(facts: BinaryFacts, runtimes: RuntimeInfo[], opts: VerdictOptions = {}): RuntimeVerdict[] {
  return runtimes.map((rt) => verdictFor(facts, rt, opts));
}

export function verdictFor(facts: BinaryFacts, rt: RuntimeInfo, opts: VerdictOptions = {}): RuntimeVerdict {
  const path = opts.pathInImage ?? '/app';
  checkPathInImage(path);
  const failure = firstFailure(facts, rt, path, opts.platform) ?? stubFailure(facts);
  return {
    name: rt.name,
    verdict: failure ? 'fails' : 'runs',
    reason: failure ? failure.reason : 'ok',
    message: failure ? failure.message : null,
    warnings: warningsFor(facts, rt, opts.today ?? new Date(), platformFor(facts, rt, opts.platform)),
  };
}

/** The platform the runtime is judged on (see VerdictOptions.platform). */
export function platformFor(facts: Pick<BinaryFacts, 'arch'>, rt: RuntimeInfo, platform?: string): string {
  if (platform) return platform;
  return rt.arches.includes(facts.arch) ? facts.arch : 'amd64';
}

function msg(id: string, values: Record<string, string>): string {
  const m = failureMessage(id);
  if (!m) throw new Error(`no failure message ${id}`);
  return renderMessage(m.text, values);
}

function firstFailure(facts: BinaryFacts, rt: RuntimeInfo, path: string, platformOpt?: string): Failure | null {
  // The kernel's binfmt handlers: nothing but Linux ELF is executable in a Linux container.
  if (facts.format !== 'elf' || facts.os !== 'linux') return { reason: 'wrong-os', message: msg('wrong-arch', { path }) };
  const platform = platformFor(facts, rt, platformOpt);
  // a 32-bit companion (386 on amd64) is run by the kernel; the image's files are still the platform's
  if (facts.arch !== platform && !compatArch(platform, facts.arch)) return { reason: 'wrong-arch', message: msg('wrong-arch', { path }) };
  if (facts.kind === 'object' || facts.kind === 'other') return { reason: 'not-executable', message: msg('wrong-arch', { path }) };
  if ((facts.kind === 'shared-library' || facts.linking === 'dynamic') && !facts.interpreter) {
    // A library has no entry point (e_entry 0). Without the x bit (go build writes c-shared output 0644)
    // execve fails with EACCES; with it, the kernel maps the file and jumps to 0: SIGSEGV, exit code 139,
    // and Docker prints nothing. A program that needs libraries (DT_NEEDED) but names no loader is
    // started at its entry with nothing loaded or relocated: the same SIGSEGV (docs/knowledge.md).
    return { reason: 'not-executable', message: msg('not-executable', { path }) };
  }
  if (facts.linking !== 'dynamic' || !facts.interpreter) return null;

  if (!hasLoader(rt, facts.interpreter, platform)) {
    const other = rt.libc.family !== 'none' && facts.libc !== 'none' && facts.libc !== 'other' && rt.libc.family !== facts.libc;
    return { reason: other ? 'wrong-libc' : 'no-interpreter', message: msg('no-interpreter', { path }) };
  }

  for (const lib of facts.needed) {
    if (!providesLibrary(rt, lib, platform)) {
      const id = rt.libc.family === 'musl' ? 'missing-library-musl' : 'missing-library';
      return { reason: 'missing-library', message: msg(id, { path, lib }) };
    }
  }

  const lines: string[] = [];
  let glibc = false;
  for (const need of facts.versionNeeds) {
    const providers = rt.symbolVersions.filter((p) => p.soname === need.file);
    if (providers.length === 0) continue;
    for (const v of need.versions) {
      const p = providers.find((x) => v.startsWith(x.prefix));
      if (!p) continue;
      const num = v.slice(p.prefix.length);
      if (!/^\d+(\.\d+)*$/.test(num) || compareVersions(num, p.max) <= 0) continue;
      if (p.prefix === 'GLIBC_') glibc = true;
      lines.push(`${path}: ${debianLibPath(platform, need.file)}: version \`${v}' not found (required by ${path})`);
    }
  }
  if (lines.length) return { reason: glibc ? 'glibc-too-old' : 'library-too-old', message: lines.join('\n') };
  return null;
}

/**
 * A cgo-only module built with CGO_ENABLED=0 as a stub: the program starts, then every call into the
 * module returns the stub's error. It cannot do its job in any image, so it is a failure, checked after
 * the loader's (which the user would meet first), and its message is the stub's own text.
 */
function stubFailure(facts: BinaryFacts): Failure | null {
  if (facts.cgo !== false) return null;
  for (const m of facts.modules ?? []) {
    const k = cgoModuleFor(m);
    if (k?.stubError) return { reason: 'cgo-stub', message: k.stubError };
  }
  return null;
}

/** The loader paths an image answers to, including the merged-/usr and multiarch spellings of the same file. */
function hasLoader(rt: RuntimeInfo, interpreter: string, arch: string): boolean {
  const loader = loaderFor(rt, arch);
  if (!loader) return false;
  const base = loader.slice(loader.lastIndexOf('/') + 1);
  return interpreter.endsWith('/' + base) && libraryPaths(rt, arch).has(interpreter);
}

/**
 * Does the loader find DT_NEEDED entry `needed` in this image? A name with a slash is opened as a path
 * (glibc and musl alike). A bare name that is the loader's own soname (`ld-linux-x86-64.so.2`, which gcc's
 * cc1 and cpp list) matches the loader already in memory, in any layout; musl answers libc's names itself;
 * the rest must be in the image's libraries.
 */
function providesLibrary(rt: RuntimeInfo, needed: string, arch: string): boolean {
  if (needed.includes('/')) return libraryPaths(rt, arch).has(needed);
  const loader = loaderFor(rt, arch);
  if (loader && needed === loader.slice(loader.lastIndexOf('/') + 1)) return true;
  if (rt.libc.family === 'musl' && muslProvides(needed, arch)) return true;
  return rt.libraries.includes(needed);
}

/**
 * Where a runtime keeps its loader and libraries, as absolute paths: the loader's ABI path and (glibc) its
 * multiarch file, the libraries in /lib/<triplet> (Debian and Ubuntu) or /lib (musl), and each of those
 * under /usr too where /usr is merged (/lib is a link to /usr/lib).
 */
export function libraryPaths(rt: RuntimeInfo, arch: string): Set<string> {
  const out = new Set<string>();
  const loader = loaderFor(rt, arch);
  if (!loader) return out;
  const base = loader.slice(loader.lastIndexOf('/') + 1);
  out.add(loader);
  const triplet = (DEBIAN_TRIPLETS as Record<string, string>)[arch];
  const dir = rt.libc.family === 'glibc' && triplet ? `/lib/${triplet}` : '/lib';
  out.add(`${dir}/${base}`);
  for (const so of rt.libraries) out.add(`${dir}/${so}`);
  if (rt.usrMerged) for (const p of [...out]) out.add('/usr' + p);
  return out;
}

function warningsFor(
  facts: BinaryFacts,
  rt: RuntimeInfo,
  today: Date | string,
  platform: string,
): Array<{ code: WarningCode; message: string }> {
  const out: Array<{ code: WarningCode; message: string }> = [];
  // (a dynamic one fails on the platform's loader instead, or with none named at all: nothing to warn about)
  const compat = facts.arch !== platform && facts.linking !== 'dynamic' ? compatArch(platform, facts.arch) : undefined;
  if (compat)
    out.push({ code: 'compat-arch', message: `a ${facts.arch} binary in the ${platform} image of ${rt.name} runs ${compat.note}` });
  const n = facts.needs;
  if (n.caCerts && !rt.caCerts) {
    out.push({
      code: 'no-ca-certs',
      message: `no CA certificates in ${rt.name}: TLS clients fail with "x509: certificate signed by unknown authority"`,
    });
  }
  if (n.tzdata && !n.tzdataEmbedded && !rt.zoneinfo) {
    out.push({
      code: 'no-zoneinfo',
      message: `no /usr/share/zoneinfo in ${rt.name} and time/tzdata not linked: time.LoadLocation fails with "unknown time zone <zone>"`,
    });
  }
  if (n.osUser && rt.users === null) {
    out.push({
      code: 'os-user',
      message: `os/user is linked but ${rt.name} has no /etc/passwd: user.Current fails ("user: Current requires cgo or $USER set in environment" in a pure-Go build) and lookups by name or id find nothing`,
    });
  }
  if (facts.cgo === false) {
    for (const m of facts.modules ?? []) {
      const k = cgoModuleFor(m);
      // a module with a stub is a failure (cgo-stub), not a warning; the others cannot have built at all
      if (k && !k.stubError)
        out.push({ code: 'cgo-required', message: `${m} needs cgo but the binary was built with CGO_ENABLED=0: it ${k.withoutCgo}` });
    }
  }
  if (facts.goamd64 && facts.goamd64 !== 'v1' && facts.arch === 'amd64') {
    // the image cannot help: the host's CPU decides, and the program refuses to start below its level
    out.push({
      code: 'cpu-level',
      message: `built with GOAMD64=${facts.goamd64}: on CPUs below x86-64-${facts.goamd64} (older servers; QEMU's default qemu64 model) it exits at start with "${msg('cpu-level', { level: facts.goamd64 })}"`,
    });
  }
  if (rt.defaultUser.uid === 0) out.push({ code: 'runs-as-root', message: `${rt.name} runs as root (uid 0) unless USER is set` });
  if (rt.shell === null)
    out.push({
      code: 'no-shell',
      message: `${rt.name} has no shell: docker exec/debugging needs a :debug variant or an ephemeral container`,
    });
  const support = supportPhase(rt, today);
  // Debian LTS still patches the public image: a notice, not the end of support
  if (support.phase !== 'supported')
    out.push({
      code: support.phase === 'extended' && support.kind === 'lts' ? 'lts-only' : 'eol',
      message: supportSentence(rt.name, support),
    });
  return out;
}
