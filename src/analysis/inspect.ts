/**
 * `inspect`: from a file's bytes to everything gokiln knows about it — format facts, Go facts, what the
 * program needs from its image, and a verdict per runtime. Never executes the file.
 */
import { GokilnError, toErrorInfo } from '../errors.js';
import type { BinaryImage } from '../formats/binary.js';
import { parseBinary } from '../formats/open.js';
import { elfLinking, libcFamily } from '../formats/elf/linking.js';
import { highestGlibc } from '../formats/elf/versions.js';
import { identifyGo } from '../formats/go/identity.js';
import type { GoNameQuery } from '../formats/go/names.js';
import { deriveMainVersion } from '../formats/go/main-version.js';
import type { ByteSource } from '../formats/source.js';
import { FileSource } from '../io/file-source.js';
import { goRelease, supportedGoMinors } from '../knowledge/go-releases.js';
import { isoDay } from '../knowledge/eol.js';
import { NO_NEEDS, needsFromGo } from './needs.js';
import { verdictsFor, type BinaryFacts } from './verdict.js';
import { RUNTIMES, findRuntime, type RuntimeInfo } from './runtimes.js';
import type { GoReport, InspectOk, InspectResult, LibcFamily, Linking, Needs } from './types.js';

export interface InspectOptions {
  /** Runtime names to judge (see `gokiln inspect --list-runtimes`); all known runtimes when empty. */
  runtimes?: string[];
  /** Path the binary will have inside the image, used in predicted error messages. */
  pathInImage?: string;
  /** The day verdict warnings (end of support) are computed for; today by default. */
  today?: Date;
  /** Also list every Go package linked in (`go.packages`); a pass over all function names. */
  packages?: boolean;
}

type Facts = Omit<InspectOk, 'file' | 'slices'>;

export function resolveRuntimes(names: string[] | undefined): RuntimeInfo[] {
  if (!names || names.length === 0) return RUNTIMES;
  return names.map((n) => {
    const r = findRuntime(n);
    if (!r) throw new GokilnError('E_USAGE', `unknown runtime "${n}" (see gokiln inspect --list-runtimes)`);
    return r;
  });
}

/** Inspects one file on disk; a read or parse failure becomes an InspectError, never an exception. */
export function inspectFile(path: string, opts: InspectOptions = {}): InspectResult {
  const runtimes = resolveRuntimes(opts.runtimes);
  let src: FileSource | null = null;
  try {
    src = FileSource.open(path);
    return { file: path, ...inspectSource(src, runtimes, opts) };
  } catch (e) {
    return { file: path, error: toErrorInfo(e, path) };
  } finally {
    src?.close();
  }
}

/** Inspects bytes already open; throws GokilnError on unreadable input. */
export function inspectSource(
  src: ByteSource,
  runtimes: RuntimeInfo[] = RUNTIMES,
  opts: InspectOptions = {},
): Facts & { slices?: Facts[] } {
  const images = parseBinary(src);
  const facts = images.map((img) => factsOf(img, runtimes, opts));
  const first = facts[0];
  if (!first) throw new GokilnError('E_CORRUPT', 'no binary image found');
  return images.length > 1 ? { ...first, slices: facts } : first;
}

function factsOf(img: BinaryImage, runtimes: RuntimeInfo[], opts: InspectOptions): Facts {
  const notes: Array<{ code: string; message: string }> = [];
  const link = linkingOf(img);
  const go = goReportOf(img, notes, opts.packages === true);
  const needs: Needs = go ? needsFromGo({ names: go.names, settings: go.report.settings, cgo: go.report.cgo }) : NO_NEEDS;
  const versionNeeds = img.elf?.versionNeeds ?? [];
  const base: BinaryFacts = {
    format: img.format,
    os: img.os,
    arch: img.arch,
    kind: kindOf(img),
    linking: link.linking,
    interpreter: link.interpreter,
    libc: link.libc,
    needed: link.needed,
    glibcRequired: highestGlibc(versionNeeds),
    versionNeeds,
    needs,
    cgo: go ? go.report.cgo : null,
    modules: go ? go.report.deps.map((d) => d.path) : [],
    goamd64: go?.report.settings['GOAMD64'] ?? null,
  };
  for (const p of img.elf?.problems ?? []) notes.push(p);
  const toolchain = go ? goSupportNote(go.report.version, opts.today ?? new Date()) : null;
  if (toolchain) notes.push(toolchain);
  return {
    format: base.format,
    os: base.os,
    arch: base.arch,
    bits: img.bits,
    endian: img.endian,
    kind: base.kind,
    linking: base.linking,
    interpreter: base.interpreter,
    libc: base.libc,
    needed: base.needed,
    rpath: img.elf?.rpath ?? img.macho?.rpaths ?? [],
    runpath: img.elf?.runpath ?? [],
    glibcRequired: base.glibcRequired,
    versionNeeds,
    stripped: !img.hasSymbols,
    dwarf: img.hasDwarf,
    buildId: { gnu: img.elf?.gnuBuildId ?? null, go: img.elf?.goBuildId ?? null },
    go: go ? go.report : null,
    needs,
    runtimes: verdictsFor(base, runtimes, { pathInImage: opts.pathInImage, today: opts.today }),
    notes,
  };
}

/**
 * A binary built by a Go release past its support carries that release's runtime and standard library,
 * with their unfixed vulnerabilities, whatever image it runs in: said once per binary, not per runtime.
 * The same dates as lint's GK022 for a golang builder tag.
 */
function goSupportNote(version: string | null, today: Date | string): { code: string; message: string } | null {
  const rel = version ? goRelease(version) : null;
  const day = isoDay(today);
  if (!rel?.eol || day < rel.eol) return null;
  const supported = supportedGoMinors(day);
  return {
    code: 'go-unsupported',
    message: `built with ${version}: Go ${rel.minor} is out of support since ${rel.eol} (no more security fixes for its runtime and standard library); rebuild with Go ${supported.join(' or ')}`,
  };
}

function kindOf(img: BinaryImage): InspectOk['kind'] {
  if (img.elf) {
    switch (img.elf.type) {
      case 'exec':
        return 'executable';
      case 'dyn':
        // ET_DYN is both a PIE and a shared library: an interpreter or the PIE flag makes it a program.
        return img.elf.interpreter || img.elf.pieFlag ? 'executable' : 'shared-library';
      case 'rel':
        return 'object';
      default:
        return 'other';
    }
  }
  if (img.macho) {
    if (img.macho.fileType === 2) return 'executable'; // MH_EXECUTE
    if (img.macho.fileType === 6 || img.macho.fileType === 8) return 'shared-library'; // MH_DYLIB, MH_BUNDLE
    if (img.macho.fileType === 1) return 'object';
    return 'other';
  }
  if (img.pe) return img.pe.characteristics & 0x2000 ? 'shared-library' : 'executable'; // IMAGE_FILE_DLL
  return 'other';
}

function linkingOf(img: BinaryImage): { linking: Linking; interpreter: string | null; libc: LibcFamily; needed: string[] } {
  if (img.elf) {
    return { linking: elfLinking(img), interpreter: img.elf.interpreter, libc: libcFamily(img), needed: img.elf.needed };
  }
  if (img.macho) {
    // Every Mach-O program is loaded by dyld and links libSystem: there is no static linking on macOS.
    return { linking: 'dynamic', interpreter: img.macho.dylinker, libc: 'other', needed: img.macho.dylibs };
  }
  const imports = img.pe?.imports ?? [];
  const crt = imports.some((d) => /^(msvcrt|ucrtbase|api-ms-win-crt-|vcruntime)/i.test(d));
  return { linking: imports.length ? 'dynamic' : 'static', interpreter: null, libc: crt ? 'other' : 'none', needed: imports };
}

function goReportOf(
  img: BinaryImage,
  notes: Array<{ code: string; message: string }>,
  withPackages: boolean,
): { report: GoReport; names: GoNameQuery | null } | null {
  const id = identifyGo(img, { pclntab: 'names' });
  notes.push(...id.problems.map((p) => ({ code: p.code, message: `${p.part}: ${p.message}` })));
  if (!id.identity.isGo) return null;
  const bi = id.buildInfo;
  const names = id.names;
  const settings: Record<string, string> = {};
  for (const s of bi?.settings ?? []) settings[s.key] = s.value;
  const cgoSetting = settings['CGO_ENABLED'];
  // Without build info, cgo shows as package runtime/cgo being linked in.
  const cgo = cgoSetting === '1' ? true : cgoSetting === '0' ? false : names ? names.hasPrefix('runtime/cgo.') : null;
  let main: GoReport['main'] = null;
  if (bi?.main) {
    const derived = deriveMainVersion(bi);
    main =
      derived && derived.derivedFrom !== 'buildinfo'
        ? { path: bi.main.path, version: derived.version, derivedFrom: derived.derivedFrom }
        : { path: bi.main.path, version: bi.main.version, derivedFrom: 'buildinfo' };
  }
  const report: GoReport = {
    version: id.identity.version,
    versionSource: id.identity.versionSource,
    evidence: id.identity.evidence,
    path: bi?.path ?? null,
    main,
    deps: (bi?.deps ?? []).map((d) => ({
      path: d.path,
      version: d.version,
      sum: d.sum,
      replace: d.replace ? { path: d.replace.path, version: d.replace.version, sum: d.replace.sum } : null,
    })),
    settings,
    cgo,
    pclntab: names
      ? { version: names.version, magic: '0x' + names.magic.toString(16).padStart(8, '0'), section: names.section, funcs: names.count }
      : null,
  };
  if (withPackages) report.packages = names ? names.packages() : [];
  return { report, names };
}
